package io.parasol.plugin.api;

import java.util.List;
import java.util.Objects;

/**
 * A titled group of fields in a {@link FormSpec}.
 *
 * @param id the section id
 * @param title the title shown above the fields
 * @param fields the fields, in display order
 */
public record Section(String id, String title, List<Field> fields) {

  /** Checks the values. */
  public Section {
    Objects.requireNonNull(id, "id");
    if (title == null || title.isBlank()) {
      throw new IllegalArgumentException("section " + id + " needs a title");
    }
    fields = List.copyOf(Objects.requireNonNull(fields, "fields"));
  }

  /**
   * A section with the given fields.
   *
   * @param id the section id
   * @param title the title
   * @param fields the fields
   * @return the section
   */
  public static Section of(String id, String title, Field... fields) {
    return new Section(id, title, List.of(fields));
  }
}
