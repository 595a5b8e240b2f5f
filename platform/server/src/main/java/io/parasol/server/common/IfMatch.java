package io.parasol.server.common;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * An {@code If-Match} precondition as RFC 9110 section 13.1.1 defines it: {@code *} matches any
 * current representation; otherwise a list of entity tags compared strongly, so a weak tag ({@code
 * W/"3"}) never matches, and where there is no current representation nothing does.
 *
 * @param any whether the header was {@code *}
 * @param tags the opaque values of the strong tags listed (weak ones are left out)
 */
public record IfMatch(boolean any, Set<String> tags) {

  public IfMatch {
    tags = Set.copyOf(tags);
  }

  /**
   * Parses the header; none when it is absent.
   *
   * @throws ProblemException 400 when it is not {@code *} or a list of entity tags
   */
  public static Optional<IfMatch> parse(String header) {
    if (header == null) {
      return Optional.empty();
    }
    String value = header.trim();
    if (value.equals("*")) {
      return Optional.of(new IfMatch(true, Set.of()));
    }
    Set<String> strong = new LinkedHashSet<>();
    int i = 0;
    boolean any = false;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c == ' ' || c == '\t' || c == ',') {
        i++;
        continue;
      }
      boolean weak = value.startsWith("W/", i);
      int open = weak ? i + 2 : i;
      int close =
          open < value.length() && value.charAt(open) == '"' ? value.indexOf('"', open + 1) : -1;
      if (close < 0) {
        throw bad();
      }
      String opaque = value.substring(open + 1, close);
      if (!opaque.chars().allMatch(ch -> ch == 0x21 || (ch >= 0x23 && ch <= 0x7E) || ch >= 0x80)) {
        throw bad();
      }
      if (!weak) {
        strong.add(opaque);
      }
      any = true;
      i = close + 1;
    }
    if (!any) {
      throw bad();
    }
    return Optional.of(new IfMatch(false, strong));
  }

  /** Whether the precondition holds for a representation whose strong tag is {@code current}. */
  public boolean matches(String current) {
    return any || tags.contains(current);
  }

  private static ProblemException bad() {
    return new ProblemException(
        400,
        "Bad Request",
        "If-Match must be * or a list of entity tags such as \"3\", as the ETag header gives them",
        java.util.List.of(
            new ProblemException.FieldProblem("If-Match", "must be * or a list of entity tags")),
        java.util.Map.of());
  }
}
