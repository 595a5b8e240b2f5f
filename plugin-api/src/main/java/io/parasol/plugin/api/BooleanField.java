package io.parasol.plugin.api;

/**
 * A yes/no input. It always has a value: its default when none is given.
 *
 * @param id the field id
 * @param label the label
 * @param help help text, empty when none
 * @param defaultValue the default
 * @param visibleWhen the visibility rule, or null
 */
public record BooleanField(
    String id, String label, String help, Boolean defaultValue, Condition visibleWhen)
    implements Field {

  /** Checks the values. */
  public BooleanField {
    Field.checkCommon(id, label);
    help = help == null ? "" : help;
    defaultValue = defaultValue != null && defaultValue;
  }

  /**
   * A boolean field with the given default.
   *
   * @param id the field id
   * @param label the label
   * @param defaultValue the default
   * @return the field
   */
  public static BooleanField of(String id, String label, boolean defaultValue) {
    return new BooleanField(id, label, "", defaultValue, null);
  }

  /**
   * @param text the help text
   * @return a copy with this help text
   */
  public BooleanField withHelp(String text) {
    return new BooleanField(id, label, text, defaultValue, visibleWhen);
  }

  /**
   * @param condition the visibility rule
   * @return a copy that is visible only while the condition holds
   */
  public BooleanField visibleWhen(Condition condition) {
    return new BooleanField(id, label, help, defaultValue, condition);
  }

  @Override
  public boolean required() {
    return true;
  }

  @Override
  public Object coerce(Object value) {
    if (!(value instanceof Boolean b)) {
      throw new IllegalArgumentException("must be true or false");
    }
    return b;
  }
}
