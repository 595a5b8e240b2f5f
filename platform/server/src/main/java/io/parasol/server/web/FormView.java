package io.parasol.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parasol.plugin.api.BooleanField;
import io.parasol.plugin.api.ChoiceField;
import io.parasol.plugin.api.Condition;
import io.parasol.plugin.api.Field;
import io.parasol.plugin.api.FileField;
import io.parasol.plugin.api.FormSpec;
import io.parasol.plugin.api.IntegerField;
import io.parasol.plugin.api.NumberField;
import io.parasol.plugin.api.Section;
import io.parasol.plugin.api.TextField;
import io.parasol.server.catalog.AppDetail;
import io.quarkus.qute.TemplateData;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A launch form as the page renders it: the app's sections and then the platform's run settings,
 * each field flattened to what an HTML control needs.
 *
 * @param sections the sections in order
 */
@TemplateData
public record FormView(List<SectionView> sections) {

  /**
   * A section.
   *
   * @param id its id
   * @param title its title
   * @param fields its fields
   */
  @TemplateData
  public record SectionView(String id, String title, List<FieldView> fields) {}

  /**
   * A field.
   *
   * @param id the input name, as the API's {@code inputs} map keys it
   * @param label the label
   * @param help help text, may be empty
   * @param kind number, integer, choice, boolean, text or file
   * @param unit the unit, may be empty
   * @param min the smallest value, or empty
   * @param max the largest value, or empty
   * @param step the step of a number, or {@code any}
   * @param value the default value as text, may be empty
   * @param required whether a value is needed
   * @param options the choices of a choice field
   * @param accept the file extensions a file field takes, comma separated
   * @param pattern a text field's regular expression, may be empty
   * @param maxLength a text field's longest value, 0 for other kinds
   * @param visibleWhen JSON of the condition under which the field shows, or empty
   */
  @TemplateData
  public record FieldView(
      String id,
      String label,
      String help,
      String kind,
      String unit,
      String min,
      String max,
      String step,
      String value,
      boolean required,
      List<ChoiceField.Option> options,
      String accept,
      String pattern,
      int maxLength,
      String visibleWhen) {

    /** Whether the field shows a range hint. */
    public boolean hasRange() {
      return !min.isEmpty() && !max.isEmpty();
    }
  }

  /** Flattens a form alone (a listing under review), with {@code values} filled in. */
  public static FormView of(FormSpec form, Map<String, Object> values, ObjectMapper json) {
    Map<String, Object> defaults = values == null ? Map.of() : values;
    List<SectionView> sections = new ArrayList<>();
    if (form != null) {
      for (Section s : form.sections()) {
        sections.add(
            new SectionView(
                s.id(),
                s.title(),
                s.fields().stream().map(f -> field(f, defaults, json)).toList()));
      }
    }
    return new FormView(List.copyOf(sections));
  }

  /** Flattens an app's form and the platform's fields, with the app's defaults filled in. */
  public static FormView of(AppDetail app, ObjectMapper json, String runSettingsTitle) {
    Map<String, Object> defaults = app.defaults() == null ? Map.of() : app.defaults();
    List<SectionView> sections = new ArrayList<>(of(app.form(), defaults, json).sections());
    if (app.platformFields() != null && !app.platformFields().isEmpty()) {
      sections.add(
          new SectionView(
              "platform",
              runSettingsTitle,
              app.platformFields().stream().map(f -> field(f, defaults, json)).toList()));
    }
    return new FormView(List.copyOf(sections));
  }

  private static FieldView field(Field f, Map<String, Object> defaults, ObjectMapper json) {
    Object d = defaults.containsKey(f.id()) ? defaults.get(f.id()) : f.defaultValue();
    String value = d == null ? "" : text(d);
    String when = condition(f.visibleWhen(), json);
    if (f instanceof NumberField n) {
      return new FieldView(
          n.id(),
          n.label(),
          n.help(),
          "number",
          n.unit(),
          text(n.min()),
          text(n.max()),
          n.step() == null ? "any" : text(n.step()),
          value,
          n.required(),
          List.of(),
          "",
          "",
          0,
          when);
    } else if (f instanceof IntegerField i) {
      return new FieldView(
          i.id(),
          i.label(),
          i.help(),
          "integer",
          i.unit(),
          text(i.min()),
          text(i.max()),
          "1",
          value,
          i.required(),
          List.of(),
          "",
          "",
          0,
          when);
    } else if (f instanceof ChoiceField c) {
      return new FieldView(
          c.id(),
          c.label(),
          c.help(),
          "choice",
          "",
          "",
          "",
          "",
          value,
          c.required(),
          c.options(),
          "",
          "",
          0,
          when);
    } else if (f instanceof BooleanField b) {
      return new FieldView(
          b.id(), b.label(), b.help(), "boolean", "", "", "", "", value, false, List.of(), "", "",
          0, when);
    } else if (f instanceof TextField t) {
      return new FieldView(
          t.id(),
          t.label(),
          t.help(),
          "text",
          "",
          "",
          "",
          "",
          value,
          t.required(),
          List.of(),
          "",
          t.pattern(),
          t.maxLength(),
          when);
    }
    FileField file = (FileField) f;
    return new FieldView(
        file.id(),
        file.label(),
        file.help(),
        "file",
        "",
        "",
        "",
        "",
        "",
        file.required(),
        List.of(),
        String.join(",", file.accept()),
        "",
        0,
        when);
  }

  private static String condition(Condition c, ObjectMapper json) {
    if (c == null) {
      return "";
    }
    try {
      return json.writeValueAsString(Map.of("field", c.field(), "anyOf", c.anyOf()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Double d) {
      return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
    return value.toString();
  }
}
