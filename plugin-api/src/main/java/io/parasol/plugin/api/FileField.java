package io.parasol.plugin.api;

import java.util.List;
import java.util.Locale;

/**
 * An input file taken from the engineer's workspace. Its value in the inputs is the workspace
 * file's name; the solver receives a local path through {@link RunInputs#file(String)}.
 *
 * @param id the field id
 * @param label the label
 * @param help help text, empty when none
 * @param accept accepted file name extensions with their dot, such as {@code .csv}; empty for any
 * @param required whether a visible field must have a value
 * @param visibleWhen the visibility rule, or null
 */
public record FileField(
    String id,
    String label,
    String help,
    List<String> accept,
    boolean required,
    Condition visibleWhen)
    implements Field {

  /** Checks the values. */
  public FileField {
    Field.checkCommon(id, label);
    help = help == null ? "" : help;
    accept =
        (accept == null ? List.<String>of() : accept)
            .stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    for (String extension : accept) {
      if (!extension.matches("\\.[a-z0-9]{1,10}")) {
        throw new IllegalArgumentException("field " + id + ": bad extension " + extension);
      }
    }
  }

  /**
   * A required file field accepting the given extensions.
   *
   * @param id the field id
   * @param label the label
   * @param extensions accepted extensions with their dot
   * @return the field
   */
  public static FileField of(String id, String label, String... extensions) {
    return new FileField(id, label, "", List.of(extensions), true, null);
  }

  /**
   * @return a copy that may be left empty
   */
  public FileField optional() {
    return new FileField(id, label, help, accept, false, visibleWhen);
  }

  /**
   * @param condition the visibility rule
   * @return a copy that is visible only while the condition holds
   */
  public FileField visibleWhen(Condition condition) {
    return new FileField(id, label, help, accept, required, condition);
  }

  @Override
  public Object defaultValue() {
    return null;
  }

  @Override
  public Object coerce(Object value) {
    if (!(value instanceof String name) || name.isBlank() || name.length() > 255) {
      throw new IllegalArgumentException("must name a file in your workspace");
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (!accept.isEmpty() && accept.stream().noneMatch(lower::endsWith)) {
      throw new IllegalArgumentException("must be a file of type " + String.join(", ", accept));
    }
    return name;
  }
}
