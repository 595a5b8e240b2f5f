package io.parasol.plugin.testkit;

import io.parasol.plugin.api.Allocation;
import io.parasol.plugin.api.Field;
import io.parasol.plugin.api.FormSpec;
import io.parasol.plugin.api.FormValidation;
import io.parasol.plugin.api.ResourceProfile;
import io.parasol.plugin.api.RunInputs;
import io.parasol.plugin.api.SimulationApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs an app the way the platform does, inside an ISV's unit test: the checks of upload
 * verification, the self-test on the sample inputs, and runs on any inputs.
 *
 * <pre>{@code
 * @Test
 * void passesTheUploadSelfTest(@TempDir Path dir) {
 *   RecordingRunContext run = AppHarness.selfTest(new MyApp(), dir);
 *   assertTrue(run.outputs().contains("result.csv"));
 * }
 * }</pre>
 */
public final class AppHarness {

  private AppHarness() {}

  /**
   * Validates inputs against the app's form, as the server does at launch (platform fields such as
   * {@code cores} are the platform's and must not be passed).
   *
   * @return the validation: typed values with defaults filled in, or the errors by field
   */
  public static FormValidation validate(SimulationApp app, Map<String, Object> inputs) {
    return app.form().validate(inputs);
  }

  /**
   * What upload verification checks before the self-test: a manifest, a form that does not define
   * platform fields, a resource profile, and sample inputs that fit the form.
   *
   * @throws IllegalStateException with the reason the platform would give
   */
  public static void checkDescriptor(SimulationApp app) {
    if (app.manifest() == null) {
      throw new IllegalStateException("manifest() returned null");
    }
    FormSpec form;
    try {
      form = app.form();
    } catch (IllegalArgumentException e) {
      // FormSpec refuses impossible forms, platform field ids among them, when it is built.
      throw new IllegalStateException("form() failed: " + e.getMessage(), e);
    }
    if (form == null) {
      throw new IllegalStateException("form() returned null");
    }
    for (Field field : form.fields()) {
      if (FormSpec.RESERVED_FIELD_IDS.contains(field.id())) {
        throw new IllegalStateException(
            "field id '" + field.id() + "' is reserved for the platform");
      }
    }
    if (app.resources() == null) {
      throw new IllegalStateException("resources() returned null");
    }
    FormValidation sample = form.validate(app.sampleInputs());
    if (!sample.isValid()) {
      throw new IllegalStateException("the sample inputs do not fit the form: " + sample.errors());
    }
  }

  /**
   * The self-test the platform runs on upload: the descriptor checks, then the solver on the sample
   * inputs with the profile's minimum cores; it must finish and write an output file.
   *
   * @param dir the run's work directory, for example a JUnit {@code @TempDir}
   * @return the recording of the run
   * @throws IllegalStateException when verification would fail, with the reason
   */
  public static RecordingRunContext selfTest(SimulationApp app, Path dir) throws Exception {
    checkDescriptor(app);
    ResourceProfile profile = app.resources();
    RecordingRunContext context = run(app, app.sampleInputs(), Map.of(), minimum(profile), dir);
    if (context.outputs().isEmpty()) {
      throw new IllegalStateException("the solver finished but wrote no output file");
    }
    return context;
  }

  /** Runs the solver on inputs (validated first) with the profile's default cores. */
  public static RecordingRunContext run(SimulationApp app, Map<String, Object> inputs, Path dir)
      throws Exception {
    ResourceProfile p = app.resources();
    Allocation allocation =
        new Allocation(
            p.defaultCores(),
            p.defaultCores() * p.memoryPerCoreMb(),
            List.of(),
            p.expectedWallTime());
    return run(app, inputs, Map.of(), allocation, dir);
  }

  /**
   * Runs the solver on inputs (validated first) and file inputs, with a given allocation.
   *
   * @param files file inputs by field id
   * @throws IllegalArgumentException when the inputs do not fit the form
   */
  public static RecordingRunContext run(
      SimulationApp app,
      Map<String, Object> inputs,
      Map<String, Path> files,
      Allocation allocation,
      Path dir)
      throws Exception {
    FormValidation validation = validate(app, inputs);
    if (!validation.isValid()) {
      throw new IllegalArgumentException("inputs do not fit the form: " + validation.errors());
    }
    RecordingRunContext context =
        new RecordingRunContext(new RunInputs(validation.values(), files), dir, allocation);
    app.solver().run(context);
    return context;
  }

  private static Allocation minimum(ResourceProfile p) {
    return new Allocation(
        p.minCores(), p.minCores() * p.memoryPerCoreMb(), List.of(), p.expectedWallTime());
  }
}
