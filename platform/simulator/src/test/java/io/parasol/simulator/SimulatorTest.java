package io.parasol.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorTest {

  private static final Path FEDERATION = Path.of("examples/federation.yaml");
  private static SwfTrace lublin;

  @BeforeAll
  static void readTrace() throws IOException {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                SimulatorTest.class.getResourceAsStream("/traces/lublin_256.swf"),
                StandardCharsets.US_ASCII))) {
      lublin = SwfTrace.read(in);
    }
  }

  @Test
  void theSimulationIsDeterministicForASeed() throws IOException {
    Federation f = Federation.read(FEDERATION);
    for (Strategy s : List.of(Strategy.PARASOL, Strategy.SIBLING_RACE, Strategy.HOME_ONLY)) {
      Simulator.Result a = new Simulator(f, lublin, 7, 1500).run(s);
      Simulator.Result b = new Simulator(f, lublin, 7, 1500).run(s);
      assertEquals(a.summary(), b.summary(), s.id());
      assertEquals(a.outcomes(), b.outcomes(), s.id());
      assertEquals(1500, a.summary().jobs());
    }
    // another seed draws other orgs, inputs and estimates
    assertNotEquals(
        new Simulator(f, lublin, 7, 1500).jobs(), new Simulator(f, lublin, 8, 1500).jobs());
  }

  private static SwfTrace trace(String lines) throws IOException {
    return SwfTrace.read(new BufferedReader(new StringReader(lines)));
  }

  private static Federation twoSites(Path dir) throws IOException {
    Path file = dir.resolve("two.yaml");
    Files.writeString(
        file,
        """
        sites:
          - name: home
            region: r1
            homeShare: 1
            partitions: [{name: slow, cores: 4, speed: 1.0, corePrice: 0.01}]
          - name: away
            region: r2
            homeShare: 0
            partitions: [{name: fast, cores: 4, speed: 2.0, corePrice: 0.04}]
        links: [{from: r1, to: r2, latencyMs: 500, bandwidthMBps: 100, costPerGb: 0}]
        defaultLink: {from: x, to: y, latencyMs: 1000, bandwidthMBps: 10, costPerGb: 1}
        workload: {orgs: 1, inputMedianMb: 0, inputSigma: 0, estimateFactorMax: 1}
        """);
    return Federation.read(file);
  }

  @Test
  void twoJobsThatEachFillAPartitionWaitOrRaceAsTheStrategySays(@TempDir Path dir)
      throws IOException {
    // two 4-core jobs of 100 s arrive together; the home site fits one at a time
    SwfTrace two =
        trace(
            """
            1 0 -1 100 4 -1 -1 -1 -1 -1 1 -1 -1 -1 -1 -1 -1 -1
            2 0 -1 100 4 -1 -1 -1 -1 -1 1 -1 -1 -1 -1 -1 -1 -1
            """);
    Simulator sim = new Simulator(twoSites(dir), two, 1, 0);

    Map<Long, Simulator.Outcome> fifo = byJob(sim.run(Strategy.FIFO));
    assertEquals(0, fifo.get(1L).waitSeconds(), 1e-9);
    assertEquals(100, fifo.get(2L).waitSeconds(), 1e-9);
    assertEquals("slow", fifo.get(2L).partition());
    // 4 cores × 100 s × 0.01 per core-hour, twice
    assertEquals(2 * 4 * 100 * 0.01 / 3600, sim.run(Strategy.FIFO).summary().totalCost(), 1e-12);

    // sibling race: the second job's copy on the fast site starts once its inputs are there
    // (0.5 s) and runs twice as fast
    Map<Long, Simulator.Outcome> race = byJob(sim.run(Strategy.SIBLING_RACE));
    Simulator.Outcome second = race.get(2L);
    assertEquals("fast", second.partition());
    assertEquals(0.5, second.waitSeconds(), 1e-9);
    assertEquals(50, second.end() - second.start(), 1e-9);
    assertEquals(1, second.boundedSlowdown(), 1e-9); // 50.5 s response for a 100 s job: at least 1

    // Parasol counts the first job on its way to one partition and sends the second to the other:
    // neither waits longer than its inputs take to move
    Map<Long, Simulator.Outcome> parasol = byJob(sim.run(Strategy.PARASOL));
    assertNotEquals(parasol.get(1L).partition(), parasol.get(2L).partition());
    assertTrue(parasol.get(1L).waitSeconds() <= 0.5 && parasol.get(2L).waitSeconds() <= 0.5);
  }

  private static Map<Long, Simulator.Outcome> byJob(Simulator.Result r) {
    return r.outcomes().stream()
        .collect(Collectors.toMap(Simulator.Outcome::jobId, Function.identity()));
  }

  @Test
  void aFederationThatCannotBeSimulatedIsRefusedWithTheReason(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file,
        """
        sites:
          - {name: a, region: r, homeShare: 1, partitions: [{name: p, cores: 0, speed: 1, corePrice: 1}]}
        links: []
        defaultLink: {from: x, to: y, latencyMs: 1, bandwidthMBps: 1, costPerGb: 1}
        workload: {orgs: 1, inputMedianMb: 1, inputSigma: 0, estimateFactorMax: 1}
        """);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Federation.read(file));
    assertEquals(
        "partition p: cores >= 1, speed > 0 and corePrice >= 0 are required", e.getMessage());
  }

  @Test
  void theCommandWritesTheTableTheCsvAndTheChart(@TempDir Path dir) throws IOException {
    Path swf = dir.resolve("head.swf");
    try (var in = SimulatorTest.class.getResourceAsStream("/traces/lublin_256.swf")) {
      List<String> lines =
          new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().limit(600).toList();
      Files.write(swf, lines);
    }
    Path out = dir.resolve("out");
    SimulatorMain.main(
        new String[] {
          "--trace",
          swf.toString(),
          "--federation",
          FEDERATION.toString(),
          "--out",
          out.toString(),
          "--strategies",
          "parasol,home-only,sibling-race"
        });
    List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
    assertEquals(4, summary.size());
    assertTrue(summary.get(1).startsWith("parasol,"), summary.get(1));
    assertEquals(1 + 3 * (600 - 7), Files.readAllLines(out.resolve("jobs.csv")).size());
    BufferedImage png = ImageIO.read(out.resolve("waits.png").toFile());
    assertEquals(1000, png.getWidth());
    assertEquals(620, png.getHeight());
  }
}
