package io.parasol.server.common;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.parasol.plugin.api.Field;
import io.parasol.plugin.api.FieldError;
import io.parasol.plugin.api.FormSpec;
import io.parasol.plugin.api.FormValidation;
import io.parasol.plugin.api.Section;
import io.parasol.plugin.api.TextField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Regular expressions written by vendors (a text field's {@code pattern}), evaluated by the server
 * with RE2/J: matching takes time linear in the input whatever the pattern, so no pattern can make
 * a quote or a launch spin (a backtracking engine takes seconds on {@code ((a+)+)+b} and 26
 * characters). RE2 syntax has no backreferences and no lookaround; verification refuses a pattern
 * that uses them, with the reason.
 */
public final class VendorPatterns {

  /** The longest pattern a field may declare. */
  public static final int MAX_PATTERN_LENGTH = 1_000;

  private static final Cache<String, Pattern> COMPILED =
      Caffeine.newBuilder().maximumSize(10_000).build();

  private VendorPatterns() {}

  /** Why the server cannot evaluate {@code pattern}, if it cannot. */
  public static Optional<String> problem(String pattern) {
    if (pattern == null || pattern.isEmpty()) {
      return Optional.empty();
    }
    if (pattern.length() > MAX_PATTERN_LENGTH) {
      return Optional.of("is longer than " + MAX_PATTERN_LENGTH + " characters");
    }
    try {
      Pattern.compile(pattern);
      return Optional.empty();
    } catch (PatternSyntaxException e) {
      return Optional.of(
          "is not a pattern the platform can evaluate in linear time (RE2 syntax: no"
              + " backreferences, no lookahead or lookbehind): "
              + ProblemMappers.cut(e.getDescription(), 200));
    }
  }

  /** Whether the whole of {@code text} matches {@code pattern}. */
  public static boolean matches(String pattern, String text) {
    Pattern compiled = COMPILED.get(pattern, Pattern::compile);
    return compiled.matches(text);
  }

  /**
   * Validates inputs against a stored form as {@link FormSpec#validate(Map)} does, with every text
   * pattern evaluated here in linear time instead of by the JDK's backtracking engine.
   */
  public static FormValidation validate(FormSpec form, Map<String, ?> inputs) {
    boolean anyPattern =
        form.fields().stream().anyMatch(f -> f instanceof TextField t && !t.pattern().isEmpty());
    if (!anyPattern) {
      return form.validate(inputs); // the launch path's common case: nothing to take out
    }
    Map<String, String> patterns = new LinkedHashMap<>();
    List<Section> plain = new ArrayList<>();
    for (Section section : form.sections()) {
      List<Field> fields = new ArrayList<>();
      for (Field field : section.fields()) {
        if (field instanceof TextField text && !text.pattern().isEmpty()) {
          patterns.put(text.id(), text.pattern());
          fields.add(text.withPattern(""));
        } else {
          fields.add(field);
        }
      }
      plain.add(new Section(section.id(), section.title(), fields));
    }
    FormValidation checked = new FormSpec(plain).validate(inputs);
    Map<String, Object> values = new LinkedHashMap<>(checked.values());
    List<FieldError> errors = new ArrayList<>(checked.errors());
    for (Map.Entry<String, String> p : patterns.entrySet()) {
      if (values.get(p.getKey()) instanceof String s && !matchesSafely(p.getValue(), s)) {
        values.remove(p.getKey());
        errors.add(
            new FieldError(
                p.getKey(), "must match the pattern " + ProblemMappers.cut(p.getValue(), 200)));
      }
    }
    return new FormValidation(values, errors);
  }

  private static boolean matchesSafely(String pattern, String text) {
    try {
      return matches(pattern, text);
    } catch (PatternSyntaxException e) {
      return false; // stored before patterns were checked at verification: nothing can match it
    }
  }
}
