package io.parasol.plugin.api;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * An input whose value is one of a fixed list of options.
 *
 * @param id the field id
 * @param label the label
 * @param help help text, empty when none
 * @param options the options, in display order
 * @param defaultValue the value of the default option, or null
 * @param required whether a visible field must have a value
 * @param visibleWhen the visibility rule, or null
 */
public record ChoiceField(
    String id,
    String label,
    String help,
    List<Option> options,
    String defaultValue,
    boolean required,
    Condition visibleWhen)
    implements Field {

  /**
   * One option of a choice.
   *
   * @param value the value stored in the inputs
   * @param label the text shown
   */
  public record Option(String value, String label) {
    /** Checks the values. */
    public Option {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("option value must not be blank");
      }
      label = label == null || label.isBlank() ? value : label;
    }
  }

  /** Checks the values. */
  public ChoiceField {
    Field.checkCommon(id, label);
    help = help == null ? "" : help;
    options = List.copyOf(Objects.requireNonNull(options, "options"));
    if (options.isEmpty()) {
      throw new IllegalArgumentException("field " + id + " needs at least one option");
    }
    if (new HashSet<>(options.stream().map(Option::value).toList()).size() != options.size()) {
      throw new IllegalArgumentException("field " + id + " has duplicate option values");
    }
    if (defaultValue != null && !contains(options, defaultValue)) {
      throw new IllegalArgumentException("field " + id + ": default is not one of the options");
    }
  }

  /**
   * A required choice between the given options.
   *
   * @param id the field id
   * @param label the label
   * @param options the options
   * @return the field
   */
  public static ChoiceField of(String id, String label, Option... options) {
    return new ChoiceField(id, label, "", List.of(options), null, true, null);
  }

  /**
   * @param value the value of the default option
   * @return a copy with this default
   */
  public ChoiceField withDefault(String value) {
    return new ChoiceField(id, label, help, options, value, required, visibleWhen);
  }

  /**
   * @param text the help text
   * @return a copy with this help text
   */
  public ChoiceField withHelp(String text) {
    return new ChoiceField(id, label, text, options, defaultValue, required, visibleWhen);
  }

  /**
   * @param condition the visibility rule
   * @return a copy that is visible only while the condition holds
   */
  public ChoiceField visibleWhen(Condition condition) {
    return new ChoiceField(id, label, help, options, defaultValue, required, condition);
  }

  @Override
  public Object coerce(Object value) {
    if (!(value instanceof String s) || !contains(options, s)) {
      throw new IllegalArgumentException(
          "must be one of "
              + options.stream().map(Option::value).collect(Collectors.joining(", ")));
    }
    return s;
  }

  private static boolean contains(List<Option> options, String value) {
    return options.stream().anyMatch(o -> o.value().equals(value));
  }
}
