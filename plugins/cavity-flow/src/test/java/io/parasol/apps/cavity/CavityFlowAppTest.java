package io.parasol.apps.cavity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parasol.plugin.api.RunCancelledException;
import io.parasol.plugin.testkit.AppHarness;
import io.parasol.plugin.testkit.RecordingRunContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app through the plugin testkit: self-test, outputs, progress, metrics, cancellation. */
class CavityFlowAppTest {

  @Test
  void theSelfTestWritesDataAPlotAndReportsAsItGoes(@TempDir Path dir) throws Exception {
    RecordingRunContext run = AppHarness.selfTest(new CavityFlowApp(), dir);
    assertEquals(
        List.of("centreline.csv", "field.csv", "speed.png", "summary.json"), run.outputs());
    assertEquals(17 * 17 + 1, Files.readAllLines(run.output("field.csv")).size());
    String summary = Files.readString(run.output("summary.json"));
    assertTrue(summary.contains("\"converged\": true"), summary);
    assertFalse(run.metric("residual").isEmpty());
    assertEquals(1.0, run.progress().get(run.progress().size() - 1).fraction());
  }

  @Test
  void everyInputHasADefaultAndBadOnesAreRefused() {
    assertTrue(AppHarness.validate(new CavityFlowApp(), Map.of()).isValid());
    assertFalse(AppHarness.validate(new CavityFlowApp(), Map.of("reynolds", 5000)).isValid());
    assertFalse(AppHarness.validate(new CavityFlowApp(), Map.of("cells", 4)).isValid());
  }

  @Test
  void aCancelledRunStops(@TempDir Path dir) {
    CavityFlowApp app = new CavityFlowApp();
    assertThrows(
        RunCancelledException.class,
        () -> {
          RecordingRunContext context =
              new RecordingRunContext(
                  new io.parasol.plugin.api.RunInputs(
                      app.form().validate(Map.of("cells", 128)).values(), Map.of()),
                  dir,
                  new io.parasol.plugin.api.Allocation(
                      1, 256, List.of(), java.time.Duration.ofMinutes(1)));
          context.cancel();
          app.solver().run(context);
        });
  }
}
