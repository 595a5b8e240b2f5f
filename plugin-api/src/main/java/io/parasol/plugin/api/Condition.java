package io.parasol.plugin.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code visibleWhen} rule: the field it guards is shown, required and validated only while
 * another field's value is one of the listed values.
 *
 * @param field the id of the field whose value decides
 * @param anyOf the values for which the guarded field is visible
 */
public record Condition(String field, List<Object> anyOf) {

  /** Checks the values. */
  public Condition {
    Objects.requireNonNull(field, "field");
    anyOf = List.copyOf(Objects.requireNonNull(anyOf, "anyOf"));
    if (anyOf.isEmpty()) {
      throw new IllegalArgumentException("a condition needs at least one value");
    }
  }

  /**
   * A condition that holds while {@code field} equals one of {@code values}.
   *
   * @param field the deciding field
   * @param values the accepted values
   * @return the condition
   */
  public static Condition when(String field, Object... values) {
    return new Condition(field, List.of(values));
  }

  /**
   * Whether the condition holds for the given (already typed) values.
   *
   * @param values field values by id
   * @return true when the deciding field's value is one of {@link #anyOf()}
   */
  public boolean test(Map<String, Object> values) {
    Object actual = values.get(field);
    if (actual == null) {
      return false;
    }
    for (Object expected : anyOf) {
      if (expected.equals(actual)
          || (expected instanceof Number a
              && actual instanceof Number b
              && a.doubleValue() == b.doubleValue())) {
        return true;
      }
    }
    return false;
  }
}
