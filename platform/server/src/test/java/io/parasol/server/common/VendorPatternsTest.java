package io.parasol.server.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parasol.plugin.api.FormSpec;
import io.parasol.plugin.api.FormValidation;
import io.parasol.plugin.api.NumberField;
import io.parasol.plugin.api.Section;
import io.parasol.plugin.api.TextField;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Vendor patterns are evaluated in linear time, with the JDK's meaning for what RE2 can express.
 */
class VendorPatternsTest {

  private static final String CATASTROPHIC = "((a+)+)+b";

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS) // a backtracking engine would not finish at all
  void aCatastrophicPatternIsAnsweredAtOnce() {
    FormSpec form =
        FormSpec.of(
            Section.of(
                "s",
                "S",
                TextField.of("name", "Name").withPattern(CATASTROPHIC).withMaxLength(10_000)));
    FormValidation v = VendorPatterns.validate(form, Map.of("name", "a".repeat(10_000)));
    assertEquals(1, v.errors().size());
    assertEquals("name", v.errors().get(0).field());
    assertTrue(VendorPatterns.validate(form, Map.of("name", "aaab")).errors().isEmpty());
  }

  @Test
  void matchingIsOfTheWholeText() {
    assertTrue(VendorPatterns.matches("[A-Z]{2}\\d+", "AB12"));
    assertFalse(VendorPatterns.matches("[A-Z]{2}\\d+", "xAB12"));
    assertFalse(VendorPatterns.matches("[A-Z]{2}\\d+", "AB12 "));
  }

  @Test
  void otherFieldsAreValidatedAsTheSdkDoes() {
    FormSpec form =
        FormSpec.of(
            Section.of(
                "s",
                "S",
                TextField.of("code", "Code").withPattern("[a-z]+"),
                NumberField.of("span", "Span").withRange(1, 10)));
    FormValidation v = VendorPatterns.validate(form, Map.of("code", "abc", "span", 20, "x", 1));
    assertEquals(
        java.util.Set.of("span", "x"),
        v.errors().stream().map(e -> e.field()).collect(java.util.stream.Collectors.toSet()));
    assertEquals("abc", v.values().get("code"));
  }

  @Test
  void patternsRe2CannotEvaluateAreRefusedWithTheReason() {
    assertTrue(VendorPatterns.problem("(a)\\1").isPresent());
    assertTrue(VendorPatterns.problem("a(?=b)").orElseThrow().contains("lookahead"));
    assertTrue(VendorPatterns.problem("a".repeat(1001)).isPresent());
    assertTrue(VendorPatterns.problem(CATASTROPHIC).isEmpty());
    assertTrue(VendorPatterns.problem("").isEmpty());
  }
}
