package io.parasol.simulator.bench;

import io.parasol.plugin.api.AcceleratorKind;
import io.parasol.scheduling.Network;
import io.parasol.scheduling.Objective;
import io.parasol.scheduling.Placement;
import io.parasol.scheduling.QueueForecast;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Placement decisions with 100,000 runs queued over 500 partitions, as the server makes them: a
 * snapshot of every partition's price, health and queue (with its forecast profile) is built once;
 * each decision scores every partition and then counts the placed run in its partition's queue (the
 * forecast takes it incrementally, the candidate list is refreshed). One thread, as the server
 * places under the snapshot's lock.
 *
 * <p>Run: {@code bench/placement_jmh.sh} (see docs/benchmarks.md).
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class PlacementBenchmark {

  @Param({"500"})
  int partitions;

  @Param({"100000"})
  int queued;

  private final Random random = new Random(42);
  private Network network;
  private List<Placement.Candidate> candidates;
  private QueueForecast[] forecasts;
  private double[] queuedWork;
  private Placement.Need[] needs;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    network = new Network(new Network.Link(0.15, 80e6, 0.08));
    String[] regions = new String[10];
    for (int r = 0; r < regions.length; r++) {
      regions[r] = "region-" + r;
      for (int s = 0; s < r; s++) {
        network.link(
            regions[s], regions[r], new Network.Link(0.02 * (r - s), 200e6, 0.01 * (r - s)));
      }
    }
    candidates = new ArrayList<>(partitions);
    forecasts = new QueueForecast[partitions];
    queuedWork = new double[partitions];
    int perPartition = queued / partitions;
    for (int p = 0; p < partitions; p++) {
      boolean gpu = p % 5 == 0;
      boolean slurm = p % 3 == 0;
      int cores = 32 + 32 * random.nextInt(4);
      int nodes = 4 + random.nextInt(60);
      int total = cores * nodes;
      List<QueueForecast.Slot> running = new ArrayList<>();
      int busy = 0;
      while (busy < total * 0.9) {
        int c = 1 + random.nextInt(cores);
        running.add(new QueueForecast.Slot(c, 60 + random.nextInt(7200)));
        busy += c;
      }
      List<QueueForecast.Slot> waiting = new ArrayList<>(perPartition);
      for (int q = 0; q < perPartition; q++) {
        QueueForecast.Slot slot =
            new QueueForecast.Slot(1 + random.nextInt(cores), 60 + random.nextInt(3600));
        waiting.add(slot);
        queuedWork[p] += slot.cores() * slot.seconds();
      }
      forecasts[p] = QueueForecast.of(total, running, waiting);
      candidates.add(
          new Placement.Candidate(
              "p" + p,
              "c" + p / 4,
              regions[p % regions.length],
              slurm ? "slurm" : "kubernetes",
              p % 97 == 0 ? new Placement.Status(true, false, "down") : Placement.Status.UP,
              new Placement.Shape(
                  cores,
                  cores * 4096L,
                  gpu ? AcceleratorKind.GPU : null,
                  gpu ? (p % 2 == 0 ? "a100" : "h100") : null,
                  gpu ? 4 : 0),
              0.6 + random.nextDouble(),
              new Placement.Prices(
                  BigDecimal.valueOf(0.02 + random.nextInt(10) / 100.0),
                  gpu ? BigDecimal.valueOf(1.5 + random.nextInt(3)) : null),
              // Slurm queues for itself: its partitions are known by their totals only, as in the
              // server; Parasol's own queues carry their forecast profile
              slurm
                  ? Placement.Load.of(
                      total, Math.max(0, total - busy), queuedWork[p], busy * 1800.0, 600)
                  : new Placement.Load(
                      total,
                      Math.max(0, total - busy),
                      queuedWork[p],
                      busy * 1800.0,
                      600,
                      forecasts[p])));
    }
    needs = new Placement.Need[1024];
    Objective[] objectives = Objective.values();
    for (int i = 0; i < needs.length; i++) {
      boolean wantsGpu = i % 7 == 0;
      int cores = 1 + random.nextInt(32);
      needs[i] =
          Placement.Need.of(
                  new Placement.Demand(
                      cores,
                      cores * 2048L,
                      wantsGpu ? AcceleratorKind.GPU : null,
                      wantsGpu ? "any" : null,
                      wantsGpu ? 1 : 0),
                  objectives[i % objectives.length],
                  300 + random.nextInt(7200),
                  14_400)
              .withData(
                  new Placement.Data(
                      regions[random.nextInt(regions.length)], (long) (random.nextDouble() * 5e9)));
    }
  }

  private Placement.Candidate c0(int p) {
    return candidates.get(p);
  }

  /** One placement, as {@code PlacementService.place} makes it. */
  @Benchmark
  @BenchmarkMode({Mode.Throughput, Mode.SampleTime})
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Placement.Decision place() {
    Placement.Need need = needs[next++ & (needs.length - 1)];
    Placement.Decision d = Placement.decide(need, candidates, network, Instant.EPOCH);
    int p = Integer.parseInt(d.partition().substring(1));
    double seconds = d.chosen().predictedRunSeconds();
    if (!c0(p).backend().equals("slurm")) {
      forecasts[p].add(new QueueForecast.Slot(need.demand().cores(), seconds));
    }
    queuedWork[p] += need.demand().cores() * seconds;
    Placement.Candidate c = candidates.get(p);
    Placement.Load l = c.load();
    candidates.set(
        p,
        c.withLoad(
            new Placement.Load(
                l.totalCores(),
                l.freeCores(),
                queuedWork[p],
                l.runningCoreSeconds(),
                l.recentWaitSeconds(),
                l.forecast())));
    return d;
  }
}
