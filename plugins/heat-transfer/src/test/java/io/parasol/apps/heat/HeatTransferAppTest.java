package io.parasol.apps.heat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parasol.plugin.testkit.AppHarness;
import io.parasol.plugin.testkit.PluginJar;
import io.parasol.plugin.testkit.RecordingRunContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app as the platform sees it, through the plugin testkit an ISV uses. */
class HeatTransferAppTest {

  @Test
  void passesTheUploadSelfTestWithDataPlotAndProgress(@TempDir Path dir) throws Exception {
    RecordingRunContext run = AppHarness.selfTest(new HeatTransferApp(), dir);
    assertTrue(run.outputs().contains("temperature.csv"), run.outputs().toString());
    assertTrue(run.outputs().contains("heatmap.png"), run.outputs().toString());
    assertFalse(run.progress().isEmpty());
    assertEquals(1.0, run.progress().get(run.progress().size() - 1).fraction(), 1e-9);
    assertFalse(run.metrics().isEmpty(), "the solver reports metrics while it runs");
  }

  @Test
  void refusesInputsOutsideTheForm() {
    assertFalse(AppHarness.validate(new HeatTransferApp(), Map.of("nx", 1)).isValid());
  }

  @Test
  void buildsAnUploadablePluginJar(@TempDir Path dir) throws Exception {
    Path jar =
        PluginJar.of("heat-transfer", "1.0.0")
            .requires(">=1.0.0 & <2.0.0")
            .from(Path.of("target/classes"))
            .writeTo(dir);
    try (JarFile file = new JarFile(jar.toFile())) {
      assertEquals("heat-transfer", file.getManifest().getMainAttributes().getValue("Plugin-Id"));
      assertTrue(file.getEntry("io/parasol/apps/heat/HeatTransferApp.class") != null);
    }
  }
}
