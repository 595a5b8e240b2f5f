package io.parasol.plugin.api;

/**
 * A whole-number input with an optional unit and range.
 *
 * @param id the field id
 * @param label the label
 * @param help help text, empty when none
 * @param unit the unit, empty when none
 * @param min the smallest accepted value, or null
 * @param max the largest accepted value, or null
 * @param defaultValue the default, or null
 * @param required whether a visible field must have a value
 * @param visibleWhen the visibility rule, or null
 */
public record IntegerField(
    String id,
    String label,
    String help,
    String unit,
    Long min,
    Long max,
    Long defaultValue,
    boolean required,
    Condition visibleWhen)
    implements Field {

  /** Checks the values. */
  public IntegerField {
    Field.checkCommon(id, label);
    help = help == null ? "" : help;
    unit = unit == null ? "" : unit;
    if (min != null && max != null && min > max) {
      throw new IllegalArgumentException("field " + id + ": min is greater than max");
    }
    if (defaultValue != null) {
      checkRange(defaultValue, min, max);
    }
  }

  /**
   * A required integer field without bounds or default.
   *
   * @param id the field id
   * @param label the label
   * @return the field
   */
  public static IntegerField of(String id, String label) {
    return new IntegerField(id, label, "", "", null, null, null, true, null);
  }

  /**
   * @param min the smallest accepted value
   * @param max the largest accepted value
   * @return a copy with this range
   */
  public IntegerField withRange(long min, long max) {
    return new IntegerField(id, label, help, unit, min, max, defaultValue, required, visibleWhen);
  }

  /**
   * @param value the default
   * @return a copy with this default
   */
  public IntegerField withDefault(long value) {
    return new IntegerField(id, label, help, unit, min, max, value, required, visibleWhen);
  }

  /**
   * @param unit the unit
   * @return a copy with this unit
   */
  public IntegerField withUnit(String unit) {
    return new IntegerField(id, label, help, unit, min, max, defaultValue, required, visibleWhen);
  }

  /**
   * @param text the help text
   * @return a copy with this help text
   */
  public IntegerField withHelp(String text) {
    return new IntegerField(id, label, text, unit, min, max, defaultValue, required, visibleWhen);
  }

  /**
   * @param condition the visibility rule
   * @return a copy that is visible only while the condition holds
   */
  public IntegerField visibleWhen(Condition condition) {
    return new IntegerField(id, label, help, unit, min, max, defaultValue, required, condition);
  }

  @Override
  public Object coerce(Object value) {
    if (!(value instanceof Number number)) {
      throw new IllegalArgumentException("must be a whole number");
    }
    double d = number.doubleValue();
    if (!Double.isFinite(d) || d != Math.rint(d) || Math.abs(d) > 9.0e15) {
      throw new IllegalArgumentException("must be a whole number");
    }
    long l = number.longValue();
    checkRange(l, min, max);
    return l;
  }

  private static void checkRange(long value, Long min, Long max) {
    if (min != null && value < min) {
      throw new IllegalArgumentException("must be at least " + min);
    }
    if (max != null && value > max) {
      throw new IllegalArgumentException("must be at most " + max);
    }
  }
}
