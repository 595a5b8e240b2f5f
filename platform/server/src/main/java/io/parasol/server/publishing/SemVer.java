package io.parasol.server.publishing;

import java.util.Comparator;

/** Orders Semantic Versions: core numbers numerically, a pre-release before its release. */
final class SemVer {

  static final Comparator<String> COMPARATOR = SemVer::compare;

  private SemVer() {}

  static int compare(String a, String b) {
    String[] pa = a.split("-", 2);
    String[] pb = b.split("-", 2);
    String[] ca = pa[0].split("\\.");
    String[] cb = pb[0].split("\\.");
    for (int i = 0; i < 3; i++) {
      int c = Long.compare(part(ca, i), part(cb, i));
      if (c != 0) {
        return c;
      }
    }
    if (pa.length == 1 || pb.length == 1) {
      return Integer.compare(pb.length, pa.length);
    }
    return pa[1].compareTo(pb[1]);
  }

  private static long part(String[] parts, int i) {
    try {
      return i < parts.length ? Long.parseLong(parts[i]) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
