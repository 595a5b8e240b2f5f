package io.parasol.plugin.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The form an engineer fills in to launch an app: ordered, typed fields grouped into sections.
 *
 * <p>The platform renders the form, validates inputs against it on the server with {@link
 * #validate(Map)}, and adds its own resource fields (see {@link #RESERVED_FIELD_IDS}), which an app
 * may not define.
 *
 * @param sections the sections, in display order
 */
public record FormSpec(List<Section> sections) {

  /**
   * Field ids owned by the platform: the cores, wall time, partition and accelerator of a run
   * ({@code accelerator} since 1.1).
   */
  public static final Set<String> RESERVED_FIELD_IDS =
      Set.of("cores", "wallTimeMinutes", "partition", "accelerator");

  /** The most fields a form may have. */
  public static final int MAX_FIELDS = 200;

  /** Checks that ids are unique, not reserved, and that conditions refer to earlier fields. */
  public FormSpec {
    sections = List.copyOf(Objects.requireNonNull(sections, "sections"));
    Set<String> seen = new HashSet<>();
    Set<String> sectionIds = new HashSet<>();
    for (Section section : sections) {
      if (!sectionIds.add(section.id())) {
        throw new IllegalArgumentException("duplicate section id " + section.id());
      }
      for (Field field : section.fields()) {
        if (RESERVED_FIELD_IDS.contains(field.id())) {
          throw new IllegalArgumentException(
              "field id " + field.id() + " is reserved by the platform " + RESERVED_FIELD_IDS);
        }
        Condition condition = field.visibleWhen();
        if (condition != null && !seen.contains(condition.field())) {
          throw new IllegalArgumentException(
              "field "
                  + field.id()
                  + " is visible when "
                  + condition.field()
                  + ", which is not an earlier field");
        }
        if (!seen.add(field.id())) {
          throw new IllegalArgumentException("duplicate field id " + field.id());
        }
      }
    }
    if (seen.size() > MAX_FIELDS) {
      throw new IllegalArgumentException("a form has at most " + MAX_FIELDS + " fields");
    }
  }

  /**
   * A form of the given sections.
   *
   * @param sections the sections
   * @return the form
   */
  public static FormSpec of(Section... sections) {
    return new FormSpec(List.of(sections));
  }

  /**
   * Every field, in display order.
   *
   * @return the fields
   */
  public List<Field> fields() {
    return sections.stream().flatMap(s -> s.fields().stream()).toList();
  }

  /**
   * The default value of every field that has one.
   *
   * @return defaults by field id
   */
  public Map<String, Object> defaults() {
    Map<String, Object> defaults = new LinkedHashMap<>();
    for (Field field : fields()) {
      if (field.defaultValue() != null) {
        defaults.put(field.id(), field.defaultValue());
      }
    }
    return defaults;
  }

  /**
   * Validates inputs as decoded from JSON: types, ranges, patterns, required fields and visibility.
   * Hidden fields are ignored and dropped; unknown keys are errors.
   *
   * @param inputs values by field id; numbers, strings and booleans as JSON decodes them
   * @return the typed values with defaults filled in, and every error
   */
  public FormValidation validate(Map<String, ?> inputs) {
    Map<String, Object> typed = new LinkedHashMap<>();
    Map<String, String> errors = new LinkedHashMap<>();
    List<Field> fields = fields();
    Set<String> known = new HashSet<>();
    for (Field field : fields) {
      known.add(field.id());
    }
    for (String key : inputs.keySet()) {
      if (!known.contains(key)) {
        errors.put(key, "is not a field of this form");
      }
    }
    for (Field field : fields) {
      Object raw = inputs.get(field.id());
      if (raw == null) {
        raw = field.defaultValue();
      }
      if (raw == null) {
        continue;
      }
      try {
        typed.put(field.id(), field.coerce(raw));
      } catch (IllegalArgumentException e) {
        errors.put(field.id(), e.getMessage());
      }
    }
    Map<String, Object> visible = new LinkedHashMap<>();
    List<FieldError> result = new ArrayList<>();
    for (Field field : fields) {
      Condition condition = field.visibleWhen();
      boolean shown = condition == null || condition.test(visible);
      if (!shown) {
        continue;
      }
      String error = errors.get(field.id());
      if (error != null) {
        result.add(new FieldError(field.id(), error));
      } else if (typed.containsKey(field.id())) {
        visible.put(field.id(), typed.get(field.id()));
      } else if (field.required()) {
        result.add(new FieldError(field.id(), "is required"));
      }
    }
    for (Map.Entry<String, String> error : errors.entrySet()) {
      if (!known.contains(error.getKey())) {
        result.add(new FieldError(error.getKey(), error.getValue()));
      }
    }
    return new FormValidation(visible, result);
  }
}
