package io.parasol.plugin.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The validated, typed inputs of one run, read by field id.
 *
 * <p>Values of hidden fields are absent. A getter for an absent field, or for a field of another
 * type, throws; use {@link #has(String)} for optional fields.
 */
public final class RunInputs {

  private final Map<String, Object> values;
  private final Map<String, Path> files;

  /**
   * Creates the inputs; the platform and the testkit do this, apps do not need to.
   *
   * @param values typed values by field id (Double, Long, String, Boolean)
   * @param files local paths of file inputs by field id
   */
  public RunInputs(Map<String, Object> values, Map<String, Path> files) {
    this.values = Map.copyOf(values);
    this.files = Map.copyOf(files);
  }

  /**
   * Whether the field has a value in this run.
   *
   * @param id the field id
   * @return true when present
   */
  public boolean has(String id) {
    return values.containsKey(id);
  }

  /**
   * A number field's value.
   *
   * @param id the field id
   * @return the value
   */
  public double number(String id) {
    return get(id, Number.class).doubleValue();
  }

  /**
   * An integer field's value.
   *
   * @param id the field id
   * @return the value
   */
  public long integer(String id) {
    return get(id, Number.class).longValue();
  }

  /**
   * A text or choice field's value.
   *
   * @param id the field id
   * @return the value
   */
  public String text(String id) {
    return get(id, String.class);
  }

  /**
   * A boolean field's value.
   *
   * @param id the field id
   * @return the value
   */
  public boolean bool(String id) {
    return get(id, Boolean.class);
  }

  /**
   * The local path of a file input.
   *
   * @param id the field id
   * @return the path, readable by the solver
   */
  public Path file(String id) {
    return Optional.ofNullable(files.get(id))
        .orElseThrow(() -> new NoSuchElementException("no file input " + id));
  }

  /**
   * Every value, by field id.
   *
   * @return an unmodifiable map
   */
  public Map<String, Object> asMap() {
    return values;
  }

  private <T> T get(String id, Class<T> type) {
    Object value = values.get(id);
    if (value == null) {
      throw new NoSuchElementException("input " + id + " has no value");
    }
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException(
          "input "
              + id
              + " is a "
              + value.getClass().getSimpleName()
              + ", not a "
              + type.getSimpleName());
    }
    return type.cast(value);
  }
}
