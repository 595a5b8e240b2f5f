package io.parasol.plugin.api;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A free-text input with an optional pattern and a length limit.
 *
 * @param id the field id
 * @param label the label
 * @param help help text, empty when none
 * @param pattern a Java regular expression the whole value must match, empty for any
 * @param maxLength the longest accepted value, at most 10,000 characters
 * @param defaultValue the default, or null
 * @param required whether a visible field must have a value
 * @param visibleWhen the visibility rule, or null
 */
public record TextField(
    String id,
    String label,
    String help,
    String pattern,
    int maxLength,
    String defaultValue,
    boolean required,
    Condition visibleWhen)
    implements Field {

  /** The largest {@link #maxLength()} an app may declare. */
  public static final int MAX_LENGTH = 10_000;

  /** Checks the values. */
  public TextField {
    Field.checkCommon(id, label);
    help = help == null ? "" : help;
    pattern = pattern == null ? "" : pattern;
    if (maxLength < 1 || maxLength > MAX_LENGTH) {
      throw new IllegalArgumentException("field " + id + ": maxLength must be 1.." + MAX_LENGTH);
    }
    try {
      Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("field " + id + ": invalid pattern: " + e.getMessage());
    }
  }

  /**
   * A required text field of at most 200 characters.
   *
   * @param id the field id
   * @param label the label
   * @return the field
   */
  public static TextField of(String id, String label) {
    return new TextField(id, label, "", "", 200, null, true, null);
  }

  /**
   * @param regex a Java regular expression the whole value must match
   * @return a copy with this pattern
   */
  public TextField withPattern(String regex) {
    return new TextField(id, label, help, regex, maxLength, defaultValue, required, visibleWhen);
  }

  /**
   * @param value the default
   * @return a copy with this default
   */
  public TextField withDefault(String value) {
    return new TextField(id, label, help, pattern, maxLength, value, required, visibleWhen);
  }

  /**
   * @param length the longest accepted value
   * @return a copy with this limit
   */
  public TextField withMaxLength(int length) {
    return new TextField(id, label, help, pattern, length, defaultValue, required, visibleWhen);
  }

  /**
   * @return a copy that may be left empty
   */
  public TextField optional() {
    return new TextField(id, label, help, pattern, maxLength, defaultValue, false, visibleWhen);
  }

  /**
   * @param condition the visibility rule
   * @return a copy that is visible only while the condition holds
   */
  public TextField visibleWhen(Condition condition) {
    return new TextField(id, label, help, pattern, maxLength, defaultValue, required, condition);
  }

  @Override
  public Object coerce(Object value) {
    if (!(value instanceof String s)) {
      throw new IllegalArgumentException("must be text");
    }
    if (s.length() > maxLength) {
      throw new IllegalArgumentException("must be at most " + maxLength + " characters");
    }
    if (!pattern.isEmpty() && !Pattern.compile(pattern).matcher(s).matches()) {
      throw new IllegalArgumentException("must match the pattern " + pattern);
    }
    return s;
  }
}
