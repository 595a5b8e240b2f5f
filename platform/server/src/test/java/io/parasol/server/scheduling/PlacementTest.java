package io.parasol.server.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parasol.plugin.api.AcceleratorKind;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Placement v1 decides from candidates alone, with a fixed clock. */
class PlacementTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-05T10:00:00Z"), ZoneOffset.UTC);

  private static Placement.Candidate cpu(String name, int cores, String price) {
    return new Placement.Candidate(
        name,
        "c-" + name,
        "slurm",
        true,
        true,
        null,
        cores,
        cores * 4096L,
        null,
        null,
        0,
        new BigDecimal(price),
        null);
  }

  private static Placement.Candidate gpu(
      String name, String model, int cards, String core, String card) {
    return new Placement.Candidate(
        name,
        "c-" + name,
        "kubernetes",
        true,
        true,
        null,
        32,
        256_000,
        AcceleratorKind.GPU,
        model,
        cards,
        new BigDecimal(core),
        card == null ? null : new BigDecimal(card));
  }

  private static Placement.Need cpuNeed(int cores) {
    return new Placement.Need(cores, cores * 1024L, null, null, 0, Optional.empty());
  }

  private static Map<String, String> reasons(Placement.Decision d) {
    return d.rejected().stream()
        .collect(Collectors.toMap(Placement.Rejected::partition, Placement.Rejected::reason));
  }

  @Test
  void theCheapestHealthyPartitionThatFitsWinsAndTheRestAreRecordedWithReasons() {
    Placement.Candidate sick =
        new Placement.Candidate(
            "sick",
            "c-sick",
            "slurm",
            true,
            false,
            "slurmrestd: connection refused",
            64,
            1_000_000,
            null,
            null,
            0,
            new BigDecimal("0.01"),
            null);
    Placement.Candidate off =
        new Placement.Candidate(
            "off",
            "c-off",
            "slurm",
            false,
            true,
            null,
            64,
            1_000_000,
            null,
            null,
            0,
            new BigDecimal("0.01"),
            null);
    Placement.Decision d =
        Placement.decide(
            cpuNeed(8),
            List.of(
                cpu("small", 4, "0.02"),
                cpu("dear", 16, "0.10"),
                cpu("cheap", 16, "0.05"),
                sick,
                off,
                new Placement.Candidate(
                    "unpriced",
                    "c",
                    "local",
                    true,
                    true,
                    null,
                    16,
                    100_000,
                    null,
                    null,
                    0,
                    null,
                    null)),
            CLOCK);

    assertEquals("cheap", d.partition());
    assertEquals("c-cheap", d.cluster());
    assertEquals(Placement.CHEAPEST, d.objective());
    assertEquals(0, new BigDecimal("0.40").compareTo(d.pricePerHour()));
    assertEquals(
        List.of("cheap", "dear"), d.options().stream().map(Placement.Option::partition).toList());
    assertEquals(CLOCK.instant(), d.decidedAt());
    assertTrue(
        d.reason().contains("0.4 per hour") && d.reason().contains("0.8 on dear"), d.reason());
    Map<String, String> why = reasons(d);
    assertEquals("has 4 cores per node; the run needs 8", why.get("small"));
    assertEquals(
        "is on unhealthy cluster c-sick (slurmrestd: connection refused)", why.get("sick"));
    assertEquals("is disabled", why.get("off"));
    assertEquals("has no core-hour price in force", why.get("unpriced"));
  }

  @Test
  void memoryAndAcceleratorsAreMatchedByKindModelAndCount() {
    Placement.Need twoA100 =
        new Placement.Need(4, 4096, AcceleratorKind.GPU, "a100", 2, Optional.empty());
    Placement.Decision d =
        Placement.decide(
            twoA100,
            List.of(
                cpu("cpu", 64, "0.01"),
                gpu("v100", "v100", 4, "0.01", "1.00"),
                gpu("a100-1", "a100", 1, "0.01", "1.00"),
                gpu("a100-nocard", "a100", 4, "0.01", null),
                gpu("a100-4", "a100", 4, "0.02", "2.50"),
                gpu("a100-8", "a100", 8, "0.02", "2.00")),
            CLOCK);
    assertEquals("a100-8", d.partition());
    assertEquals(0, new BigDecimal("4.08").compareTo(d.pricePerHour()));
    Map<String, String> why = reasons(d);
    assertEquals("has no GPU a100", why.get("cpu"));
    assertEquals("has GPU v100, not GPU a100", why.get("v100"));
    assertEquals("has 1 GPU a100 per node; the run needs 2", why.get("a100-1"));
    assertEquals("has no card-hour price in force", why.get("a100-nocard"));

    Placement.Need anyGpu =
        new Placement.Need(4, 4096, AcceleratorKind.GPU, "any", 1, Optional.empty());
    assertEquals(
        "v100",
        Placement.decide(
                anyGpu,
                List.of(
                    gpu("v100", "v100", 4, "0.01", "0.50"), gpu("a100", "a100", 4, "0.01", "2.00")),
                CLOCK)
            .partition());

    Placement.Need bigMemory = new Placement.Need(1, 10_000, null, null, 0, Optional.empty());
    Placement.NoPlacementException none =
        assertThrows(
            Placement.NoPlacementException.class,
            () -> Placement.decide(bigMemory, List.of(cpu("tiny", 2, "0.01")), CLOCK));
    assertEquals("has 8192 MiB per node; the run needs 10000", none.rejected().get(0).reason());
    assertTrue(none.getMessage().startsWith("no partition can take the run: tiny has 8192 MiB"));
  }

  @Test
  void aPinnedPartitionIsTakenEvenWhenDearerAndRefusedWithItsReasonWhenItCannotFit() {
    Placement.Need pinned = new Placement.Need(8, 8192, null, null, 0, Optional.of("dear"));
    Placement.Decision d =
        Placement.decide(pinned, List.of(cpu("cheap", 16, "0.01"), cpu("dear", 16, "0.50")), CLOCK);
    assertEquals("dear", d.partition());
    assertTrue(d.pinned());
    assertEquals("pinned", d.objective());
    assertEquals("pinned by the engineer to dear", d.reason());

    Placement.NoPlacementException tooSmall =
        assertThrows(
            Placement.NoPlacementException.class,
            () ->
                Placement.decide(
                    new Placement.Need(32, 1024, null, null, 0, Optional.of("dear")),
                    List.of(cpu("dear", 16, "0.50")),
                    CLOCK));
    assertEquals(
        "partition dear cannot take the run: has 16 cores per node; the run needs 32",
        tooSmall.getMessage());
    Placement.NoPlacementException unknown =
        assertThrows(
            Placement.NoPlacementException.class,
            () ->
                Placement.decide(
                    new Placement.Need(1, 1, null, null, 0, Optional.of("nowhere")),
                    List.of(cpu("dear", 16, "0.50")),
                    CLOCK));
    assertEquals("there is no partition named nowhere", unknown.getMessage());
  }

  @Test
  void equalPricesAreBrokenByNameSoDecisionsAreRepeatable() {
    Placement.Decision d =
        Placement.decide(
            cpuNeed(1), List.of(cpu("zeta", 8, "0.10"), cpu("alpha", 8, "0.10")), CLOCK);
    assertEquals("alpha", d.partition());
  }
}
