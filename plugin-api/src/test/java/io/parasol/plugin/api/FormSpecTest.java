package io.parasol.plugin.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FormSpecTest {

  private static final Condition CUSTOM = Condition.when("material", "custom");

  private static final FormSpec FORM =
      FormSpec.of(
          Section.of(
              "main",
              "Main",
              NumberField.of("length", "Length").withUnit("m").withRange(0.1, 10).withDefault(1),
              IntegerField.of("cells", "Cells").withRange(2, 100).withDefault(10),
              ChoiceField.of(
                      "material",
                      "Material",
                      new ChoiceField.Option("steel", "Steel"),
                      new ChoiceField.Option("custom", "Custom"))
                  .withDefault("steel"),
              NumberField.of("conductivity", "Conductivity")
                  .withRange(0.01, 1000)
                  .visibleWhen(CUSTOM),
              BooleanField.of("plot", "Plot", true),
              TextField.of("label", "Label").withPattern("[a-z]+").optional(),
              FileField.of("mesh", "Mesh", ".csv").optional()));

  @Test
  void defaultsFillEveryVisibleField() {
    FormValidation v = FORM.validate(Map.of());
    assertTrue(v.isValid(), v.errors().toString());
    assertEquals(
        Map.of("length", 1.0, "cells", 10L, "material", "steel", "plot", true), v.values());
  }

  @Test
  void typesRangesPatternsAndUnknownFieldsAreErrors() {
    FormValidation v =
        FORM.validate(
            Map.of(
                "length",
                "long",
                "cells",
                2.5,
                "material",
                "wood",
                "plot",
                "yes",
                "label",
                "ABC",
                "mesh",
                "m.txt",
                "colour",
                "red"));
    Map<String, String> errors =
        v.errors().stream().collect(Collectors.toMap(FieldError::field, FieldError::message));
    assertEquals("must be a number", errors.get("length"));
    assertEquals("must be a whole number", errors.get("cells"));
    assertEquals("must be one of steel, custom", errors.get("material"));
    assertEquals("must be true or false", errors.get("plot"));
    assertEquals("must match the pattern [a-z]+", errors.get("label"));
    assertEquals("must be a file of type .csv", errors.get("mesh"));
    assertEquals("is not a field of this form", errors.get("colour"));
    assertEquals(7, errors.size());
  }

  @Test
  void boundsAreInclusiveAndNonFiniteNumbersRefused() {
    assertTrue(FORM.validate(Map.of("length", 0.1, "cells", 100)).isValid());
    assertEquals("must be at least 0.1", only(FORM.validate(Map.of("length", 0.09))));
    assertEquals("must be at most 100", only(FORM.validate(Map.of("cells", 101))));
    assertEquals("must be a finite number", only(FORM.validate(Map.of("length", Double.NaN))));
  }

  @Test
  void hiddenFieldsAreIgnoredAndVisibleOnesRequired() {
    FormValidation hidden = FORM.validate(Map.of("conductivity", -1));
    assertTrue(hidden.isValid(), "a hidden field is not validated");
    assertFalse(hidden.values().containsKey("conductivity"));

    FormValidation shown = FORM.validate(Map.of("material", "custom"));
    assertEquals(List.of(new FieldError("conductivity", "is required")), shown.errors());
    assertEquals(
        50.0,
        FORM.validate(Map.of("material", "custom", "conductivity", 50))
            .values()
            .get("conductivity"));
  }

  @Test
  void formsRefuseReservedDuplicateAndForwardReferences() {
    assertThrows(
        IllegalArgumentException.class,
        () -> FormSpec.of(Section.of("s", "S", IntegerField.of("cores", "Cores"))));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            FormSpec.of(
                Section.of("s", "S", IntegerField.of("a", "A"), IntegerField.of("a", "Again"))));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            FormSpec.of(
                Section.of(
                    "s",
                    "S",
                    IntegerField.of("a", "A").visibleWhen(Condition.when("b", 1)),
                    IntegerField.of("b", "B"))));
    assertThrows(
        IllegalArgumentException.class,
        () -> NumberField.of("x", "X").withRange(0, 1).withDefault(2));
    assertThrows(IllegalArgumentException.class, () -> NumberField.of("Bad-Id", "X"));
  }

  @Test
  void manifestAndProfileCheckTheirValues() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new AppManifest("Not Kebab", "n", "1.0.0", "v", Industry.CFD, "s", "", List.of(), ""));
    assertThrows(
        IllegalArgumentException.class,
        () -> new AppManifest("ok-id", "n", "1.0", "v", Industry.CFD, "s", "", List.of(), ""));
    assertThrows(
        IllegalArgumentException.class,
        () -> ResourceProfile.cpu(4, 2, 8, 100, java.time.Duration.ofMinutes(1)));
    assertEquals("1.2.0", PluginApi.version());
  }

  private static String only(FormValidation v) {
    assertEquals(1, v.errors().size(), v.errors().toString());
    return v.errors().get(0).message();
  }
}
