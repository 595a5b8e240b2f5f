package io.parasol.plugin.api;

import java.util.regex.Pattern;

/**
 * One typed input of a {@link FormSpec}. The implementations are the field types an app can use;
 * each is created with its static factory and refined with {@code with...} methods, for example
 * {@code NumberField.of("length", "Plate length").withUnit("m").withRange(0.01, 10.0)}.
 */
public sealed interface Field
    permits NumberField, IntegerField, ChoiceField, BooleanField, TextField, FileField {

  /** Field ids are lower camelCase: a letter, then letters and digits. */
  Pattern ID_PATTERN = Pattern.compile("[a-z][A-Za-z0-9]{0,63}");

  /**
   * The field's id, the key of its value in the inputs.
   *
   * @return the id
   */
  String id();

  /**
   * The label shown next to the widget.
   *
   * @return the label
   */
  String label();

  /**
   * Help text shown under the widget; empty when none.
   *
   * @return the help text
   */
  String help();

  /**
   * Whether a visible field must have a value (its own or its default).
   *
   * @return true when required
   */
  boolean required();

  /**
   * The rule that decides whether the field is visible, or {@code null} when it always is.
   *
   * @return the condition, or null
   */
  Condition visibleWhen();

  /**
   * The default value, typed as the field's values are, or {@code null} when there is none.
   *
   * @return the default, or null
   */
  Object defaultValue();

  /**
   * Checks and converts one supplied value.
   *
   * @param value the value as decoded from JSON (never null)
   * @return the typed value
   * @throws IllegalArgumentException with a message for the engineer when the value is invalid
   */
  Object coerce(Object value);

  /** Shared checks of the common properties. */
  static void checkCommon(String id, String label) {
    if (id == null || !ID_PATTERN.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "field id must be lower camelCase, at most 64 characters: " + id);
    }
    if (label == null || label.isBlank()) {
      throw new IllegalArgumentException("field " + id + " needs a label");
    }
  }
}
