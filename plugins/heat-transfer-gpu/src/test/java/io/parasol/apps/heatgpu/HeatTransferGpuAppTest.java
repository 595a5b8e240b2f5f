package io.parasol.apps.heatgpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parasol.plugin.api.AcceleratorKind;
import io.parasol.plugin.testkit.AppHarness;
import io.parasol.plugin.testkit.PluginJar;
import io.parasol.plugin.testkit.RecordingRunContext;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeatTransferGpuAppTest {

  @Test
  void reusesTheBaseSolverWithItsOwnPresetsAndAsksForAGpu(@TempDir Path dir) throws Exception {
    HeatTransferGpuApp app = new HeatTransferGpuApp();
    RecordingRunContext run = AppHarness.selfTest(app, dir);
    assertTrue(run.outputs().contains("heatmap.png"), run.outputs().toString());
    assertEquals("copper", AppHarness.validate(app, app.sampleInputs()).values().get("material"));
    assertEquals(AcceleratorKind.GPU, app.resources().accelerators().get(0).kind());
    assertEquals("heat-transfer-gpu", app.manifest().id());
  }

  @Test
  void itsPluginJarDeclaresTheBaseApp(@TempDir Path dir) throws Exception {
    Path jar =
        PluginJar.of("heat-transfer-gpu", "1.0.0")
            .requires(">=1.1.0 & <2.0.0")
            .dependsOn("heat-transfer", ">=1.0.0 & <2.0.0")
            .from(Path.of("target/classes"))
            .writeTo(dir);
    try (JarFile file = new JarFile(jar.toFile())) {
      assertEquals(
          "heat-transfer@>=1.0.0 & <2.0.0",
          file.getManifest().getMainAttributes().getValue("Plugin-Dependencies"));
    }
  }
}
