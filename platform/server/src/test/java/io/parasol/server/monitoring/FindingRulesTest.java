package io.parasol.server.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.parasol.protocol.MetricFrame;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The rules on hand-made windows: each fires on its condition, and only then. */
class FindingRulesTest {

  static final FindingRules.Thresholds T =
      new FindingRules.Thresholds(
          2, 0.85, 0.15, 0.9, 6, 0.05, 0.9, 0.25, Duration.ofMinutes(5), 0.1, 0.25);
  static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
  static final FindingRules.Facts TWO_CORES = new FindingRules.Facts(2, 0, null, null, null, null);

  /** Frames every 5 s; each frame's values from the function of its index. */
  static List<Frame> frames(int n, IntFunction<Map<String, Double>> values) {
    List<Frame> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Double> v = new HashMap<>();
      v.put(MetricFrame.CPU_UTILISATION, 0.97);
      v.put(MetricFrame.CORE_SPREAD, 0.02);
      v.put(MetricFrame.IO_WAIT, 0.0);
      v.put(MetricFrame.MEMORY_USED, 100.0);
      v.put(MetricFrame.MEMORY_LIMIT, 1000.0);
      v.putAll(values.apply(i));
      out.add(new Frame(T0.plusSeconds(5L * i), v));
    }
    return out;
  }

  static List<String> rules(FindingRules.Facts facts, List<Frame> frames) {
    return FindingRules.evaluate(T, facts, frames, frames.get(frames.size() - 1).at()).stream()
        .map(FindingRules.Condition::rule)
        .toList();
  }

  @Test
  void aBusyRunRaisesNothing() {
    assertEquals(List.of(), rules(TWO_CORES, frames(12, i -> Map.of())));
  }

  @Test
  void idleCoresWithinTwoIntervalsAndARightSizedRun() {
    List<Frame> f = frames(4, i -> i >= 2 ? Map.of(MetricFrame.CPU_UTILISATION, 0.4) : Map.of());
    var conditions = FindingRules.evaluate(T, TWO_CORES, f, f.get(3).at());
    assertEquals(List.of(FindingRules.IDLE_CORES), conditions.stream().map(c -> c.rule()).toList());
    assertEquals(1, conditions.get(0).rightCores());
    assertEquals("high", conditions.get(0).severity());
    assertEquals(f.get(2).at(), conditions.get(0).from());
    // The window's mean decides: one dip that keeps the mean above the threshold does not fire.
    assertEquals(
        List.of(),
        rules(
            TWO_CORES,
            frames(4, i -> i == 3 ? Map.of(MetricFrame.CPU_UTILISATION, 0.8) : Map.of())));
    // At the threshold exactly it does not fire.
    assertEquals(
        List.of(), rules(TWO_CORES, frames(4, i -> Map.of(MetricFrame.CPU_UTILISATION, 0.85))));
  }

  @Test
  void aMissingMetricJudgesNothing() {
    List<Frame> f = frames(3, i -> Map.of());
    f.set(2, new Frame(f.get(2).at(), Map.of(MetricFrame.MEMORY_LIMIT, 1000.0)));
    assertEquals(List.of(), rules(TWO_CORES, f));
  }

  @Test
  void ioAndImbalanceExplainIdleCores() {
    assertEquals(
        List.of(FindingRules.IO_BOUND),
        rules(
            TWO_CORES,
            frames(3, i -> Map.of(MetricFrame.CPU_UTILISATION, 0.2, MetricFrame.IO_WAIT, 0.5))));
    assertEquals(
        List.of(FindingRules.LOAD_IMBALANCE),
        rules(
            TWO_CORES,
            frames(
                3, i -> Map.of(MetricFrame.CPU_UTILISATION, 0.7, MetricFrame.CORE_SPREAD, 0.5))));
    // One core cannot be imbalanced.
    assertEquals(
        List.of(),
        rules(
            new FindingRules.Facts(1, 0, null, null, null, null),
            frames(3, i -> Map.of(MetricFrame.CORE_SPREAD, 0.5))));
  }

  @Test
  void memoryNearTheLimitAllWindowLong() {
    assertEquals(
        List.of(FindingRules.MEMORY_NEAR_LIMIT),
        rules(TWO_CORES, frames(3, i -> Map.of(MetricFrame.MEMORY_USED, 950.0))));
    // A sawtooth that dips below the threshold within the window is garbage being collected.
    assertEquals(
        List.of(),
        rules(TWO_CORES, frames(3, i -> Map.of(MetricFrame.MEMORY_USED, i == 1 ? 500.0 : 950.0))));
  }

  @Test
  void aSteadyLeakButNotNoise() {
    assertEquals(
        List.of(FindingRules.MEMORY_LEAK),
        rules(TWO_CORES, frames(6, i -> Map.of(MetricFrame.MEMORY_USED, 100.0 + 20 * i))));
    // Growing too little over the window (under 5% of the limit).
    assertEquals(
        List.of(),
        rules(TWO_CORES, frames(6, i -> Map.of(MetricFrame.MEMORY_USED, 100.0 + 5 * i))));
    // Up and down: not straight.
    assertEquals(
        List.of(),
        rules(
            TWO_CORES,
            frames(6, i -> Map.of(MetricFrame.MEMORY_USED, i % 2 == 0 ? 100.0 : 400.0))));
    // Too few samples for the leak window.
    assertEquals(
        List.of(),
        rules(TWO_CORES, frames(5, i -> Map.of(MetricFrame.MEMORY_USED, 100.0 + 20 * i))));
  }

  @Test
  void idleAcceleratorsByMeanOrADeviceAtZero() {
    FindingRules.Facts gpus = new FindingRules.Facts(2, 2, "GPU", null, null, null);
    var conditions =
        FindingRules.evaluate(
            T,
            gpus,
            frames(
                3,
                i ->
                    Map.of(
                        MetricFrame.GPU_UTILISATION, 0.05, MetricFrame.GPU_UTILISATION_MIN, 0.0)),
            T0.plusSeconds(10));
    assertEquals(FindingRules.IDLE_ACCELERATOR, conditions.get(0).rule());
    assertEquals(1, conditions.get(0).rightCards());
    assertEquals(
        List.of(FindingRules.IDLE_ACCELERATOR),
        rules(
            gpus,
            frames(
                3,
                i ->
                    Map.of(
                        MetricFrame.GPU_UTILISATION, 0.5, MetricFrame.GPU_UTILISATION_MIN, 0.0))));
    assertEquals(
        List.of(),
        rules(
            gpus,
            frames(
                3,
                i ->
                    Map.of(
                        MetricFrame.GPU_UTILISATION, 0.9, MetricFrame.GPU_UTILISATION_MIN, 0.8))));
    // No GPU metrics (nvidia-smi unavailable): nothing is judged.
    assertEquals(List.of(), rules(gpus, frames(3, i -> Map.of())));
    FindingRules.Facts fpga = new FindingRules.Facts(2, 1, "FPGA", null, null, null);
    assertEquals(
        List.of(FindingRules.IDLE_ACCELERATOR),
        rules(
            fpga,
            frames(
                3,
                i ->
                    Map.of(
                        MetricFrame.FPGA_UTILISATION,
                        0.01,
                        MetricFrame.FPGA_UTILISATION_MIN,
                        0.01))));
  }

  @Test
  void stalledAfterTheConfiguredTimeAndNotAlsoSlower() {
    List<Frame> f = frames(3, i -> Map.of(MetricFrame.PROGRESS, 0.3));
    Instant since = T0.minus(Duration.ofMinutes(5));
    assertEquals(
        List.of(FindingRules.STALLED),
        rules(new FindingRules.Facts(2, 0, null, since, 0.01, 0.0), f));
    assertEquals(
        List.of(), rules(new FindingRules.Facts(2, 0, null, since.plusSeconds(20), null, null), f));
    // A finished solver (progress 1) writing its outputs is not stalled.
    assertEquals(
        List.of(),
        rules(
            new FindingRules.Facts(2, 0, null, since, null, null),
            frames(3, i -> Map.of(MetricFrame.PROGRESS, 1.0))));
  }

  @Test
  void slowerThanTheModel() {
    var conditions =
        FindingRules.evaluate(
            T, new FindingRules.Facts(2, 0, null, null, 0.01, 0.005), frames(3, i -> Map.of()), T0);
    assertEquals(FindingRules.SLOWER_THAN_MODEL, conditions.get(0).rule());
    assertEquals(0.5, (double) conditions.get(0).evidence().get("slower_by"), 1e-9);
    assertEquals(
        List.of(),
        rules(new FindingRules.Facts(2, 0, null, null, 0.01, 0.008), frames(3, i -> Map.of())));
    assertEquals(
        List.of(),
        rules(new FindingRules.Facts(2, 0, null, null, null, 0.001), frames(3, i -> Map.of())));
    assertNull(conditions.get(0).rightCores());
  }
}
