package io.parasol.plugin.api;

/**
 * A real-valued input with an optional unit, range and step.
 *
 * @param id the field id
 * @param label the label
 * @param help help text, empty when none
 * @param unit the unit shown next to the value, such as {@code m} or {@code K}; empty when none
 * @param min the smallest accepted value, or null for no bound
 * @param max the largest accepted value, or null for no bound
 * @param step the widget's step, or null
 * @param defaultValue the default, or null
 * @param required whether a visible field must have a value
 * @param visibleWhen the visibility rule, or null
 */
public record NumberField(
    String id,
    String label,
    String help,
    String unit,
    Double min,
    Double max,
    Double step,
    Double defaultValue,
    boolean required,
    Condition visibleWhen)
    implements Field {

  /** Checks the values. */
  public NumberField {
    Field.checkCommon(id, label);
    help = help == null ? "" : help;
    unit = unit == null ? "" : unit;
    if (min != null && max != null && min > max) {
      throw new IllegalArgumentException("field " + id + ": min is greater than max");
    }
    if (step != null && step <= 0) {
      throw new IllegalArgumentException("field " + id + ": step must be positive");
    }
    if (defaultValue != null) {
      checkRange(id, defaultValue, min, max);
    }
  }

  /**
   * A required number field without unit, bounds or default.
   *
   * @param id the field id
   * @param label the label
   * @return the field
   */
  public static NumberField of(String id, String label) {
    return new NumberField(id, label, "", "", null, null, null, null, true, null);
  }

  /**
   * @param unit the unit
   * @return a copy with this unit
   */
  public NumberField withUnit(String unit) {
    return new NumberField(
        id, label, help, unit, min, max, step, defaultValue, required, visibleWhen);
  }

  /**
   * @param min the smallest accepted value
   * @param max the largest accepted value
   * @return a copy with this range
   */
  public NumberField withRange(double min, double max) {
    return new NumberField(
        id, label, help, unit, min, max, step, defaultValue, required, visibleWhen);
  }

  /**
   * @param step the widget's step
   * @return a copy with this step
   */
  public NumberField withStep(double step) {
    return new NumberField(
        id, label, help, unit, min, max, step, defaultValue, required, visibleWhen);
  }

  /**
   * @param value the default
   * @return a copy with this default
   */
  public NumberField withDefault(double value) {
    return new NumberField(id, label, help, unit, min, max, step, value, required, visibleWhen);
  }

  /**
   * @param text the help text
   * @return a copy with this help text
   */
  public NumberField withHelp(String text) {
    return new NumberField(
        id, label, text, unit, min, max, step, defaultValue, required, visibleWhen);
  }

  /**
   * @param condition the visibility rule
   * @return a copy that is visible only while the condition holds
   */
  public NumberField visibleWhen(Condition condition) {
    return new NumberField(
        id, label, help, unit, min, max, step, defaultValue, required, condition);
  }

  @Override
  public Object coerce(Object value) {
    if (!(value instanceof Number number)) {
      throw new IllegalArgumentException("must be a number");
    }
    double d = number.doubleValue();
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException("must be a finite number");
    }
    checkRange(id, d, min, max);
    return d;
  }

  private static void checkRange(String id, double value, Double min, Double max) {
    if (min != null && value < min) {
      throw new IllegalArgumentException("must be at least " + format(min));
    }
    if (max != null && value > max) {
      throw new IllegalArgumentException("must be at most " + format(max));
    }
  }

  private static String format(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
