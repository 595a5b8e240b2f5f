package io.parasol.apps.truss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parasol.plugin.api.Allocation;
import io.parasol.plugin.testkit.AppHarness;
import io.parasol.plugin.testkit.RecordingRunContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrussFeaAppTest {

  @Test
  void theSelfTestAnalysesTheDefaultBridge(@TempDir Path dir) throws Exception {
    RecordingRunContext run = AppHarness.selfTest(new TrussFeaApp(), dir);
    assertEquals(
        List.of("bars.csv", "deformed.png", "displacements.csv", "reactions.csv", "summary.json"),
        run.outputs());
    assertEquals(8 * 4 - 3 + 1, Files.readAllLines(run.output("bars.csv")).size());
    assertTrue(run.metric("dofs").contains(32.0));
  }

  @Test
  void aModelFileIsAnalysed(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("model.csv");
    Files.writeString(
        model,
        "# a bar\nnode,a,0,0\nnode,b,2,0\nbar,ab,a,b,2e11,1e-4\nsupport,a,xy\nsupport,b,y\nload,b,1000,0\n");
    RecordingRunContext run =
        AppHarness.run(
            new TrussFeaApp(),
            Map.of("source", "file", "modelFile", "model.csv"),
            Map.of("modelFile", model),
            new Allocation(1, 512, List.of(), Duration.ofSeconds(30)),
            dir.resolve("run"));
    String displacements = Files.readString(run.output("displacements.csv"));
    assertTrue(
        displacements.contains("b,2.00000,0.00000,1.000000e-04,0.000000e+00"), displacements);
  }

  @Test
  void aTypedInModelIsAnalysed(@TempDir Path dir) throws Exception {
    RecordingRunContext run = AppHarness.run(new TrussFeaApp(), Map.of("source", "text"), dir);
    String bars = Files.readString(run.output("bars.csv"));
    // The example triangle: each inclined bar carries P/(2 sin θ) = 6.25 kN in compression.
    assertTrue(bars.contains("ab,a,b,5.00000,-6.250000e+03,"), bars);
    assertTrue(bars.contains("ac,a,c,6.00000,3.750000e+03,"), bars);
  }
}
