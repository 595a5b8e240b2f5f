package io.parasol.protocol;

import java.util.List;

/**
 * The result of verifying an uploaded plugin: each check with its outcome, and the descriptor when
 * it could be extracted.
 *
 * @param passed whether every check passed
 * @param checks the checks, in the order they ran
 * @param descriptor the descriptor, or null when it could not be extracted
 */
public record VerificationReport(boolean passed, List<Check> checks, AppDescriptor descriptor) {

  /**
   * One verification check.
   *
   * @param name a stable name such as {@code archive}, {@code descriptor}, {@code self-test}
   * @param passed whether it passed
   * @param message what was found, for the ISV
   * @param durationMs how long it took
   */
  public record Check(String name, boolean passed, String message, long durationMs) {}

  /**
   * A failed report with a single check.
   *
   * @param name the check name
   * @param message why it failed
   * @return the report
   */
  public static VerificationReport failed(String name, String message) {
    return new VerificationReport(false, List.of(new Check(name, false, message, 0)), null);
  }
}
