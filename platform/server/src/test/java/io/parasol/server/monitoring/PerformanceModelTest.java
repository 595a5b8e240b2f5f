package io.parasol.server.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The regression recovers known power laws, and degrades gracefully. */
class PerformanceModelTest {

  @Test
  void recoversSizeAndCoreExponents() {
    // rate = 2 · size^-1 · cores^0.8, with ±3% multiplicative noise from a fixed pattern.
    List<PerformanceModel.Observation> runs = new ArrayList<>();
    double[] noise = {1.03, 0.97, 1.01, 0.99, 1.02, 0.98};
    int k = 0;
    for (double size : new double[] {1e3, 1e4, 1e5}) {
      for (int cores : new int[] {1, 4, 16}) {
        double rate = 2 / size * Math.pow(cores, 0.8) * noise[k++ % noise.length];
        runs.add(new PerformanceModel.Observation(size, cores, 1 / rate));
      }
    }
    PerformanceModel m = PerformanceModel.fit(runs, 3);
    assertEquals(-1.0, m.sizeExponent(), 0.03);
    assertEquals(0.8, m.coresExponent(), 0.03);
    assertEquals(9, m.runs());
    assertTrue(m.rSquared() > 0.99, "R² " + m.rSquared());
    assertEquals(2 / 5e4 * Math.pow(8, 0.8), m.rate(5e4, 8), 2 / 5e4 * Math.pow(8, 0.8) * 0.05);
  }

  @Test
  void aTermThatNeverVariesIsLeftOut() {
    List<PerformanceModel.Observation> runs =
        List.of(
            new PerformanceModel.Observation(0, 2, 10),
            new PerformanceModel.Observation(0, 2, 12),
            new PerformanceModel.Observation(0, 2, 11));
    PerformanceModel m = PerformanceModel.fit(runs, 3);
    assertEquals(0, m.sizeExponent());
    assertEquals(0, m.coresExponent());
    // The geometric mean rate.
    assertEquals(1 / Math.cbrt(10 * 12 * 11.0), m.rate(0, 2), 1e-9);
  }

  @Test
  void tooFewRunsGiveNoModel() {
    assertNull(
        PerformanceModel.fit(
            List.of(
                new PerformanceModel.Observation(1, 1, 10),
                new PerformanceModel.Observation(1, 2, 6)),
            3));
    assertNull(PerformanceModel.fit(List.of(new PerformanceModel.Observation(1, 1, 0)), 1));
  }
}
