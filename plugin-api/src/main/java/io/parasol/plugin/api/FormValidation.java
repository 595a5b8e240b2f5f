package io.parasol.plugin.api;

import java.util.List;
import java.util.Map;

/**
 * The result of {@link FormSpec#validate(Map)}: the typed values of the visible fields with
 * defaults filled in, and every error found.
 *
 * @param values typed values by field id; complete only when there are no errors
 * @param errors the errors, empty when the inputs are valid
 */
public record FormValidation(Map<String, Object> values, List<FieldError> errors) {

  /** Copies the collections. */
  public FormValidation {
    values = Map.copyOf(values);
    errors = List.copyOf(errors);
  }

  /**
   * Whether the inputs were valid.
   *
   * @return true when there are no errors
   */
  public boolean isValid() {
    return errors.isEmpty();
  }
}
