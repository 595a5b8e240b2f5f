package io.parasol.server.common;

import java.util.regex.Pattern;

/**
 * The rule for the names of organisations, clusters, partitions, regions and sites: what a DNS
 * label allows (1 to 63 lower-case letters, digits and '-', starting and ending with a letter or a
 * digit), which also fits every column that holds one.
 */
public final class Names {

  /** The pattern of a name. */
  public static final Pattern PATTERN = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  /** What a 422 says of a value that is not a name. */
  public static final String RULE =
      "must be 1 to 63 lower-case letters, digits and '-', starting and ending alike";

  private Names() {}

  /** Whether {@code value} is a name. */
  public static boolean isName(String value) {
    return value != null && PATTERN.matcher(value).matches();
  }
}
