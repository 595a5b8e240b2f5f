package io.parasol.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parasol.plugin.api.AcceleratorKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Placement decides from candidates alone, at a fixed instant. */
class PlacementTest {

  private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");
  private static final Network NET =
      new Network(new Network.Link(0.1, 100e6, 0.05))
          .link("eu", "us", new Network.Link(0.08, 50e6, 0.09));

  private static Placement.Candidate cpu(String name, int cores, String price) {
    return partition(name, "eu", cores, price, 1.0, Placement.Load.idle(cores));
  }

  private static Placement.Candidate partition(
      String name, String region, int cores, String price, double speed, Placement.Load load) {
    return new Placement.Candidate(
        name,
        "c-" + name,
        region,
        "slurm",
        Placement.Status.UP,
        Placement.Shape.cpu(cores, cores * 4096L),
        speed,
        new Placement.Prices(price == null ? null : new BigDecimal(price), null),
        load);
  }

  private static Placement.Candidate gpu(
      String name, String model, int cards, String core, String card) {
    return new Placement.Candidate(
        name,
        "c-" + name,
        "eu",
        "kubernetes",
        Placement.Status.UP,
        new Placement.Shape(32, 256_000, AcceleratorKind.GPU, model, cards),
        1.0,
        new Placement.Prices(new BigDecimal(core), card == null ? null : new BigDecimal(card)),
        Placement.Load.idle(32));
  }

  private static Placement.Need need(int cores, Objective objective) {
    return Placement.Need.of(Placement.Demand.cpu(cores, cores * 1024L), objective, 3600, 7200);
  }

  private static Placement.Decision decide(Placement.Need need, Placement.Candidate... c) {
    return Placement.decide(need, List.of(c), NET, NOW);
  }

  private static Map<String, String> reasons(Placement.Decision d) {
    return d.rejected().stream()
        .collect(Collectors.toMap(Placement.Rejected::partition, Placement.Rejected::reason));
  }

  @Test
  void partitionsThatCannotTakeTheRunAreRejectedWithTheirReasons() {
    Placement.Candidate sick =
        new Placement.Candidate(
            "sick",
            "c-sick",
            "eu",
            "slurm",
            new Placement.Status(true, false, "slurmrestd: connection refused"),
            Placement.Shape.cpu(64, 1_000_000),
            1,
            new Placement.Prices(BigDecimal.ONE, null),
            Placement.Load.idle(64));
    Placement.Candidate off =
        new Placement.Candidate(
            "off",
            "c-off",
            "eu",
            "slurm",
            new Placement.Status(false, true, null),
            Placement.Shape.cpu(64, 1_000_000),
            1,
            new Placement.Prices(BigDecimal.ONE, null),
            Placement.Load.idle(64));
    Placement.Decision d =
        decide(
            need(8, Objective.CHEAPEST).in(Set.of("eu")),
            cpu("small", 4, "0.02"),
            cpu("dear", 16, "0.10"),
            cpu("cheap", 16, "0.05"),
            sick,
            off,
            cpu("unpriced", 16, null),
            partition("abroad", "us", 16, "0.01", 1, Placement.Load.idle(16)));

    assertEquals("cheap", d.partition());
    assertEquals("c-cheap", d.cluster());
    assertEquals("cheapest", d.objective());
    assertEquals(0, new BigDecimal("0.40").compareTo(d.pricePerHour()));
    assertEquals(
        List.of("cheap", "dear"), d.options().stream().map(Placement.Option::partition).toList());
    assertEquals(2, d.optionCount());
    assertEquals(NOW, d.decidedAt());
    assertTrue(
        d.reason().startsWith("lowest predicted cost: starts in 0 s, runs 60 min, costs 0.4"),
        d.reason());
    Map<String, String> why = reasons(d);
    assertEquals("has 4 cores per node; the run needs 8", why.get("small"));
    assertEquals(
        "is on unhealthy cluster c-sick (slurmrestd: connection refused)", why.get("sick"));
    assertEquals("is disabled", why.get("off"));
    assertEquals("has no core-hour price in force", why.get("unpriced"));
    assertEquals(
        "is in region us, outside the regions your organisation allows (eu)", why.get("abroad"));
  }

  @Test
  void acceleratorsAreMatchedByKindModelAndCount() {
    Placement.Need twoA100 =
        Placement.Need.of(
            new Placement.Demand(4, 4096, AcceleratorKind.GPU, "a100", 2),
            Objective.CHEAPEST,
            3600,
            3600);
    Placement.Decision d =
        decide(
            twoA100,
            cpu("cpu", 64, "0.01"),
            gpu("v100", "v100", 4, "0.01", "1.00"),
            gpu("a100-1", "a100", 1, "0.01", "1.00"),
            gpu("a100-nocard", "a100", 4, "0.01", null),
            gpu("a100-4", "a100", 4, "0.02", "2.50"),
            gpu("a100-8", "a100", 8, "0.02", "2.00"));
    assertEquals("a100-8", d.partition());
    assertEquals(0, new BigDecimal("4.08").compareTo(d.pricePerHour()));
    Map<String, String> why = reasons(d);
    assertEquals("has no GPU a100", why.get("cpu"));
    assertEquals("has GPU v100, not GPU a100", why.get("v100"));
    assertEquals("has 1 GPU a100 per node; the run needs 2", why.get("a100-1"));
    assertEquals("has no card-hour price in force", why.get("a100-nocard"));

    Placement.NoPlacementException none =
        assertThrows(
            Placement.NoPlacementException.class,
            () ->
                decide(
                    Placement.Need.of(Placement.Demand.cpu(1, 10_000), Objective.FASTEST, 1, 1),
                    cpu("tiny", 2, "0.01")));
    assertEquals("has 8192 MiB per node; the run needs 10000", none.rejected().get(0).reason());
    assertTrue(none.getMessage().startsWith("no partition can take the run: tiny has 8192 MiB"));
  }

  /**
   * Three partitions: {@code cheap} is slow and busy, {@code quick} is fast and dear, {@code mid}
   * is in between. Each objective picks its own.
   */
  @ParameterizedTest
  @CsvSource({
    "fastest,  quick",
    "cheapest, cheap",
    "balanced, mid",
  })
  void eachObjectivePicksItsOwnPartition(String objective, String expected) {
    Placement.Decision d =
        decide(
            need(8, Objective.parse(objective).orElseThrow()),
            // 8 cores × 0.01 = 0.08/h; 1 h at speed 1 after a 2 h queue: finish 3 h, cost 0.08
            partition(
                "cheap",
                "eu",
                16,
                "0.01",
                1.0,
                Placement.Load.of(16, 0, 16 * 3600, 16 * 3600, Double.NaN)),
            // 8 × 0.10 = 0.8/h; 30 min at speed 2, no queue: finish 0.5 h, cost 0.4
            partition("quick", "eu", 16, "0.10", 2.0, Placement.Load.idle(16)),
            // 8 × 0.02 = 0.16/h; 1 h, no queue: finish 1 h, cost 0.16
            partition("mid", "eu", 16, "0.02", 1.0, Placement.Load.idle(16)));
    assertEquals(expected, d.partition());
    assertEquals(objective, d.objective());
    // all three are on the fastest-versus-cheapest front
    assertTrue(d.options().stream().allMatch(Placement.Option::front));
    Placement.Option cheap =
        d.options().stream().filter(o -> o.partition().equals("cheap")).findFirst().orElseThrow();
    assertEquals(7200, cheap.predictedWaitSeconds(), 1e-6);
    assertEquals(NOW.plusSeconds(3 * 3600), cheap.predictedFinish());
    assertEquals(0, new BigDecimal("0.08").compareTo(cheap.cost()));
  }

  @Test
  void aDominatedOptionIsOffTheFrontAndRunTimeIsCappedByTheWallTime() {
    Placement.Decision d =
        decide(
            Placement.Need.of(Placement.Demand.cpu(4, 4096), Objective.FASTEST, 20_000, 7200),
            cpu("good", 8, "0.01"),
            partition("worse", "eu", 8, "0.02", 0.5, Placement.Load.idle(8)));
    Placement.Option worse = d.options().get(1);
    assertEquals("worse", worse.partition());
    assertFalse(worse.front());
    assertTrue(d.options().get(0).front());
    assertEquals(7200, worse.predictedRunSeconds(), 1e-6);
  }

  @Test
  void movingInputsAcrossRegionsCostsTimeAndMoneyAndCanTipTheChoice() {
    // 10 GB in eu: to us it takes 0.08 s + 200 s and costs 0.9; within eu nothing
    Placement.Need n =
        need(4, Objective.CHEAPEST).withData(new Placement.Data("eu", 10_000_000_000L));
    Placement.Decision d =
        decide(
            n,
            partition("home", "eu", 8, "0.10", 1, Placement.Load.idle(8)),
            partition("away", "us", 8, "0.05", 1, Placement.Load.idle(8)));
    // home 0.40 per hour; away 0.20 + 0.90 for the data
    assertEquals("home", d.partition());
    Placement.Option away = d.options().get(1);
    assertEquals(200.08, away.transferSeconds(), 1e-6);
    assertEquals(200.08, away.predictedWaitSeconds() + away.transferSeconds(), 1e-6);
    assertEquals(0, new BigDecimal("0.90").compareTo(away.dataCost()));
    assertEquals(0, new BigDecimal("1.10").compareTo(away.cost()));
    assertEquals(NOW.plusMillis(200_080 + 3_600_000), away.predictedFinish());
    // with small inputs the cheaper region wins
    assertEquals(
        "away",
        decide(
                need(4, Objective.CHEAPEST).withData(new Placement.Data("eu", 1_000_000)),
                partition("home", "eu", 8, "0.10", 1, Placement.Load.idle(8)),
                partition("away", "us", 8, "0.05", 1, Placement.Load.idle(8)))
            .partition());
  }

  @Test
  void quotasRefuseRunsLargerThanTheOrgMayRunAtOnce() {
    Placement.NoPlacementException e =
        assertThrows(
            Placement.NoPlacementException.class,
            () ->
                decide(
                    need(16, Objective.FASTEST).under(new Placement.Quota(8, 0)),
                    cpu("big", 64, "0.01")));
    assertEquals("the run needs 16 cores; your organisation's quota is 8 at once", e.getMessage());
  }

  @Test
  void aPinnedPartitionIsTakenEvenWhenDearerAndRefusedWithItsReasonWhenItCannotFit() {
    Placement.Decision d =
        decide(
            need(8, Objective.CHEAPEST).pinnedTo("dear"),
            cpu("cheap", 16, "0.01"),
            cpu("dear", 16, "0.50"));
    assertEquals("dear", d.partition());
    assertTrue(d.pinned());
    assertEquals("pinned", d.objective());
    assertEquals("pinned by the engineer to dear", d.reason());

    Placement.NoPlacementException tooSmall =
        assertThrows(
            Placement.NoPlacementException.class,
            () -> decide(need(32, Objective.CHEAPEST).pinnedTo("dear"), cpu("dear", 16, "0.50")));
    assertEquals(
        "partition dear cannot take the run: has 16 cores per node; the run needs 32",
        tooSmall.getMessage());
    Placement.NoPlacementException unknown =
        assertThrows(
            Placement.NoPlacementException.class,
            () -> decide(need(1, Objective.CHEAPEST).pinnedTo("nowhere"), cpu("dear", 16, "0.50")));
    assertEquals("there is no partition named nowhere", unknown.getMessage());
  }

  @Test
  void equalScoresAreBrokenByNameSoDecisionsAreRepeatable() {
    assertEquals(
        "alpha",
        decide(need(1, Objective.BALANCED), cpu("zeta", 8, "0.10"), cpu("alpha", 8, "0.10"))
            .partition());
  }

  @Test
  void withoutAForecastTheWaitIsTheWorkAheadBlendedWithRecentHistory() {
    assertEquals(0, Placement.Load.idle(8).predictedWait(8, 100));
    Placement.Load busy = Placement.Load.of(10, 2, 1000, 9000, Double.NaN);
    assertEquals(1000, busy.predictedWait(4, 100), 1e-9);
    Placement.Load withHistory = Placement.Load.of(10, 2, 1000, 9000, 200);
    assertEquals(0.75 * 1000 + 0.25 * 200, withHistory.predictedWait(4, 100), 1e-9);
    // it fits now and nothing waits: history does not matter
    assertEquals(0, Placement.Load.of(10, 6, 0, 9000, 200).predictedWait(4, 100));
  }

  @Test
  void theForecastKnowsWhereARunFits() {
    // 10 cores: 6 busy for 100 s, 2 for 300 s; a waiting run of 8 cores for 50 s takes [100, 150)
    QueueForecast f =
        QueueForecast.of(
            10,
            List.of(new QueueForecast.Slot(6, 100), new QueueForecast.Slot(2, 300)),
            List.of(new QueueForecast.Slot(8, 50)));
    assertEquals(0, f.earliestStart(2, 50)); // the hole of 2 cores before the waiting run
    assertEquals(150, f.earliestStart(2, 300)); // too long for the hole
    assertEquals(150, f.earliestStart(8, 200));
    assertEquals(300, f.earliestStart(9, 10));
    assertEquals(Double.POSITIVE_INFINITY, f.earliestStart(11, 1));
    Placement.Load load = new Placement.Load(10, 2, 400, 1200, 40, f);
    assertEquals(0, load.predictedWait(2, 50));
    assertEquals(0.75 * 150 + 0.25 * 40, load.predictedWait(3, 400), 1e-9);
  }
}
