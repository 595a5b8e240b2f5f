package io.parasol.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunTimeModelTest {

  @Test
  void withoutHistoryTheDeclaredTimeStands() {
    assertEquals(600, RunTimeModel.predict(List.of(), 8, 600));
  }

  @Test
  void runsAtTheSameCoreCountGiveTheirMedian() {
    List<RunTimeModel.Sample> h =
        List.of(
            new RunTimeModel.Sample(4, 100),
            new RunTimeModel.Sample(4, 300),
            new RunTimeModel.Sample(4, 120),
            new RunTimeModel.Sample(8, 1));
    assertEquals(120, RunTimeModel.predict(h, 4, 600), 1e-9);
  }

  @Test
  void severalCoreCountsAreFittedByAPowerLawAndOneIsScaledLinearly() {
    // t = 1000 · cores^-0.5 exactly
    List<RunTimeModel.Sample> h =
        List.of(
            new RunTimeModel.Sample(1, 1000),
            new RunTimeModel.Sample(4, 500),
            new RunTimeModel.Sample(16, 250));
    assertEquals(1000 / 8.0, RunTimeModel.predict(h, 64, 1), 1e-6);
    // super-linear history is held to linear speed-up: slope −1 through the points' centre,
    // t = sqrt(1000 · 100 · 2) / cores
    List<RunTimeModel.Sample> superLinear =
        List.of(new RunTimeModel.Sample(1, 1000), new RunTimeModel.Sample(2, 100));
    assertEquals(Math.sqrt(200_000) / 4, RunTimeModel.predict(superLinear, 4, 1), 1e-6);
    assertEquals(50, RunTimeModel.predict(List.of(new RunTimeModel.Sample(2, 100)), 4, 1), 1e-9);
  }
}
