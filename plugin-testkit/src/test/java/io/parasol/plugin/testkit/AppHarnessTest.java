package io.parasol.plugin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parasol.plugin.api.AppManifest;
import io.parasol.plugin.api.FormSpec;
import io.parasol.plugin.api.FormValidation;
import io.parasol.plugin.api.Industry;
import io.parasol.plugin.api.IntegerField;
import io.parasol.plugin.api.NumberField;
import io.parasol.plugin.api.ResourceProfile;
import io.parasol.plugin.api.RunCancelledException;
import io.parasol.plugin.api.Section;
import io.parasol.plugin.api.SimulationApp;
import io.parasol.plugin.api.Solver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppHarnessTest {

  /** A small app: sums 1..n, reporting progress and a metric, writing one CSV. */
  static class SumApp implements SimulationApp {
    final String extraField;

    SumApp(String extraField) {
      this.extraField = extraField;
    }

    @Override
    public AppManifest manifest() {
      return new AppManifest(
          "sum-app", "Sum", "1.0.0", "Acme", Industry.OTHER, "Sums", "", List.of(), "");
    }

    @Override
    public FormSpec form() {
      Section s =
          extraField == null
              ? Section.of(
                  "main", "Main", IntegerField.of("n", "N").withRange(1, 1000).withDefault(10))
              : Section.of(
                  "main",
                  "Main",
                  IntegerField.of("n", "N").withRange(1, 1000).withDefault(10),
                  NumberField.of(extraField, "Clash").withDefault(1));
      return FormSpec.of(s);
    }

    @Override
    public ResourceProfile resources() {
      return ResourceProfile.cpu(1, 2, 4, 128, Duration.ofSeconds(5));
    }

    @Override
    public Solver solver() {
      return context -> {
        long n = context.inputs().integer("n");
        long sum = 0;
        for (long i = 1; i <= n; i++) {
          context.checkCancelled();
          sum += i;
          context.progress((double) i / n, "adding " + i);
          context.metric("sum", sum);
        }
        context.info("done");
        Files.writeString(context.outputDir().resolve("sum.csv"), "n,sum\n" + n + "," + sum + "\n");
      };
    }
  }

  @Test
  void theSelfTestRunsTheSampleInputsAndRecordsWhatTheSolverReports(@TempDir Path dir)
      throws Exception {
    RecordingRunContext run = AppHarness.selfTest(new SumApp(null), dir);
    assertEquals(List.of("sum.csv"), run.outputs());
    assertEquals("n,sum\n10,55\n", Files.readString(run.output("sum.csv")));
    assertEquals(10, run.progress().size());
    assertEquals(1.0, run.progress().get(9).fraction());
    assertEquals(55.0, run.metric("sum").get(9));
    assertEquals("done", run.logs().get(0).message());
    assertEquals(1, run.allocation().cores(), "the self-test runs on the minimum cores");
  }

  @Test
  void inputsAreValidatedAsThePlatformDoes(@TempDir Path dir) throws Exception {
    FormValidation bad = AppHarness.validate(new SumApp(null), Map.of("n", 5000));
    assertFalse(bad.isValid());
    assertEquals("n", bad.errors().get(0).field());
    assertThrows(
        IllegalArgumentException.class,
        () -> AppHarness.run(new SumApp(null), Map.of("n", 0), dir));
    RecordingRunContext run = AppHarness.run(new SumApp(null), Map.of("n", 3), dir);
    assertEquals(2, run.allocation().cores(), "runs get the default cores");
    assertEquals("n,sum\n3,6\n", Files.readString(run.output("sum.csv")));
  }

  @Test
  void platformFieldsAndBrokenReportsAreCaught(@TempDir Path dir) {
    IllegalStateException reserved =
        assertThrows(
            IllegalStateException.class, () -> AppHarness.selfTest(new SumApp("cores"), dir));
    assertTrue(reserved.getMessage().contains("cores"), reserved.getMessage());
    assertTrue(reserved.getMessage().contains("reserved"), reserved.getMessage());

    RecordingRunContext context =
        new RecordingRunContext(
            new io.parasol.plugin.api.RunInputs(Map.of(), Map.of()),
            dir,
            new io.parasol.plugin.api.Allocation(1, 64, List.of(), Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> context.progress(1.5, "too far"));
    assertThrows(IllegalArgumentException.class, () -> context.metric("r", Double.NaN));
    context.cancel();
    assertThrows(RunCancelledException.class, context::checkCancelled);
  }

  @Test
  void aPluginJarCarriesThePf4jManifestAndTheClasses(@TempDir Path dir) throws Exception {
    Path classes = dir.resolve("classes");
    Files.createDirectories(classes.resolve("META-INF"));
    Files.writeString(classes.resolve(PluginJar.EXTENSION_INDEX), "com.acme.SumApp\n");
    Files.createDirectories(classes.resolve("com/acme"));
    Files.write(classes.resolve("com/acme/SumApp.class"), new byte[] {1, 2, 3});

    Path jar =
        PluginJar.of("sum-app", "1.2.0")
            .requires(">=1.1.0 & <2.0.0")
            .provider("Acme")
            .dependsOn("heat-transfer", ">=1.0.0")
            .from(classes)
            .writeTo(dir.resolve("out"));
    assertEquals("sum-app-1.2.0.jar", jar.getFileName().toString());
    try (JarFile file = new JarFile(jar.toFile())) {
      var main = file.getManifest().getMainAttributes();
      assertEquals("sum-app", main.getValue("Plugin-Id"));
      assertEquals("1.2.0", main.getValue("Plugin-Version"));
      assertEquals(">=1.1.0 & <2.0.0", main.getValue("Plugin-Requires"));
      assertEquals("Acme", main.getValue("Plugin-Provider"));
      assertEquals("heat-transfer@>=1.0.0", main.getValue("Plugin-Dependencies"));
      assertTrue(file.getEntry("com/acme/SumApp.class") != null);
      assertTrue(file.getEntry(PluginJar.EXTENSION_INDEX) != null);
    }

    Path empty = Files.createDirectories(dir.resolve("empty"));
    IllegalStateException noIndex =
        assertThrows(
            IllegalStateException.class, () -> PluginJar.of("x", "1.0.0").from(empty).writeTo(dir));
    assertTrue(noIndex.getMessage().contains("annotation processor"), noIndex.getMessage());
  }
}
