package io.parasol.server.scheduling;

import io.parasol.scheduling.Network;
import io.parasol.scheduling.Placement;
import io.parasol.scheduling.QueueForecast;
import io.parasol.scheduling.RunTimeModel;
import io.parasol.server.billing.Price;
import io.parasol.server.compute.Cluster;
import io.parasol.server.compute.ComputePartition;
import io.parasol.server.run.Run;
import io.parasol.server.run.RunState;
import io.parasol.server.run.RunTally;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Places runs: the registry, its health, the price book and the live queues are read into a
 * snapshot (at most once per {@code parasol.placement.snapshot-ttl}, in the background); each
 * placement is then a pure decision over it ({@link Placement}), and the run it placed is added to
 * the snapshot's queue so that a burst of launches does not all pile onto the partition that looked
 * emptiest.
 */
@ApplicationScoped
public class PlacementService {

  /** What an engineer is told of an unhealthy cluster. */
  static final String UNAVAILABLE = "cluster unavailable; admins see why on the cluster's health";

  private static final org.jboss.logging.Logger LOG =
      org.jboss.logging.Logger.getLogger(PlacementService.class);

  /** Queued runs beyond this many per partition count in its work total but not its forecast. */
  static final int FORECAST_DEPTH = 2000;

  private final PlacementConfig config;
  private final Network network;
  private final Clock clock = Clock.systemUTC();
  private volatile Snapshot snapshot;

  private final com.fasterxml.jackson.databind.ObjectMapper json;

  /** Whether the database is PostgreSQL (production) rather than the embedded H2. */
  private final boolean postgres;

  private final RunTally tally;

  PlacementService(
      PlacementConfig config,
      com.fasterxml.jackson.databind.ObjectMapper json,
      RunTally tally,
      @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.datasource.db-kind")
          String dbKind) {
    this.config = config;
    this.tally = tally;
    this.json = json;
    this.postgres = dbKind.startsWith("postgres");
    Network n = new Network(link(config.defaultLink()));
    config
        .links()
        .forEach(
            (key, link) -> {
              String[] ends = key.split("--", 2);
              if (ends.length == 2) {
                n.link(ends[0], ends[1], link(link));
              }
            });
    this.network = n;
  }

  private static Network.Link link(PlacementConfig.Link l) {
    return new Network.Link(
        l.latency().toMillis() / 1000.0, l.bandwidthMbPerSecond() * 1e6, l.costPerGb());
  }

  /** The links between regions. */
  public Network network() {
    return network;
  }

  /**
   * Decides where a run goes now, and counts it in the snapshot's queue there.
   *
   * @throws Placement.NoPlacementException when nothing fits
   */
  public Placement.Decision place(Placement.Need need) {
    long t0 = System.nanoTime();
    try {
      Snapshot s = current();
      synchronized (s) {
        Placement.Decision d = Placement.decide(need, s.candidates(), network, clock.instant());
        s.queued(d.partition(), need.demand().cores(), d.chosen().predictedRunSeconds());
        return d;
      }
    } finally {
      placementTimer.record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  private final io.micrometer.core.instrument.Timer placementTimer =
      io.micrometer.core.instrument.Timer.builder("parasol.placement")
          .description("Time to decide where a run goes")
          .publishPercentiles(0.5, 0.99)
          .register(io.micrometer.core.instrument.Metrics.globalRegistry);

  /** Decides where a run would go, without counting it anywhere (quotes, rebalancing). */
  public Placement.Decision preview(Placement.Need need) {
    Snapshot s = current();
    synchronized (s) {
      return Placement.decide(need, s.candidates(), network, clock.instant());
    }
  }

  /** What each cluster's own queue holds that is not Parasol's, as its last probe found. */
  private final Map<String, Map<String, io.parasol.server.compute.ComputeBackend.Pending>>
      backendQueues = new java.util.concurrent.ConcurrentHashMap<>();

  /** Records what a cluster's own queue holds besides Parasol's runs (Slurm, Kubernetes). */
  public void backendQueue(
      String cluster, Map<String, io.parasol.server.compute.ComputeBackend.Pending> pending) {
    backendQueues.put(cluster, Map.copyOf(pending));
  }

  /** Drops the snapshot: the registry or the price book changed. */
  public void invalidate() {
    drops.incrementAndGet();
    snapshot = null;
    longQueues = null;
  }

  void onChange(
      @jakarta.enterprise.event.Observes(
              during = jakarta.enterprise.event.TransactionPhase.AFTER_SUCCESS)
          PlacementInputsChanged change) {
    invalidate();
  }

  private final java.util.concurrent.locks.ReentrantLock taking =
      new java.util.concurrent.locks.ReentrantLock();

  /** Counts the snapshots dropped for a change, so that a reading begun before one is not kept. */
  private final java.util.concurrent.atomic.AtomicLong drops =
      new java.util.concurrent.atomic.AtomicLong();

  private final java.util.concurrent.atomic.AtomicBoolean refreshing =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** Takes snapshots again in the background, off the requests' way. */
  private final java.util.concurrent.ExecutorService refresher =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "parasol-placement-snapshot");
            t.setDaemon(true);
            return t;
          });

  /** A snapshot older than this many TTLs is not served while a new one is taken. */
  static final int STALE_TTLS = 10;

  /**
   * The snapshot. Once it is older than the TTL it is taken again in the background while callers
   * go on with it, so that no request waits for a reading of the whole queue; callers wait only
   * when there is none, it was dropped for a change, or it is older than {@value #STALE_TTLS} TTLs
   * (an idle replica).
   */
  private Snapshot current() {
    Snapshot s = snapshot;
    Instant now = clock.instant();
    if (s != null && !olderThan(s, config.snapshotTtl(), now)) {
      return s;
    }
    if (s != null && !olderThan(s, config.snapshotTtl().multipliedBy(STALE_TTLS), now)) {
      refreshInBackground();
      return s;
    }
    taking.lock();
    try {
      s = snapshot;
      if (s == null || olderThan(s, config.snapshotTtl(), clock.instant())) {
        long drop = drops.get();
        s = read();
        if (drops.get() == drop) {
          snapshot = s;
        }
      }
      return s;
    } finally {
      taking.unlock();
    }
  }

  private void refreshInBackground() {
    if (!refreshing.compareAndSet(false, true)) {
      return;
    }
    long drop = drops.get();
    try {
      refresher.execute(
          () -> {
            try {
              Snapshot fresh = read();
              // a change dropped the snapshot meanwhile: this reading may predate it
              if (drops.get() == drop) {
                snapshot = fresh;
              }
            } catch (RuntimeException e) {
              LOG.warn("the placement snapshot could not be taken again; the last one is used", e);
            } finally {
              refreshing.set(false);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      refreshing.set(false);
    }
  }

  private Snapshot read() {
    Instant now = clock.instant();
    return QuarkusTransaction.requiringNew().call(() -> take(now));
  }

  private static boolean olderThan(Snapshot s, Duration age, Instant now) {
    return s.takenAt.plus(age).isBefore(now);
  }

  @jakarta.annotation.PreDestroy
  void stop() {
    refresher.shutdownNow();
  }

  /**
   * What the current snapshot holds of a partition's waiting runs.
   *
   * @param work their predicted work, in core-seconds at the partition's speed
   * @param head the first of them in queue order (at most {@value #FORECAST_DEPTH}), from which its
   *     wait is forecast
   */
  public record Queue(double work, List<QueueForecast.Slot> head) {}

  /** What the current snapshot holds of a partition's waiting runs. */
  public Queue queue(String partition) {
    Snapshot s = current();
    synchronized (s) {
      PartitionQueue q = s.queues.get(partition);
      return q == null ? new Queue(0, List.of()) : new Queue(q.queuedWork, List.copyOf(q.queued));
    }
  }

  /** The names of the partitions engineers may pin, in order. */
  public List<String> partitionNames() {
    return current().pinnable;
  }

  /**
   * The predicted run time, at speed 1, of an app's run of this many cores: from the app's past
   * successful runs of the same problem (the same inputs) if any, else of any inputs, else its
   * declared expected time.
   */
  public double predictRunSeconds(String appId, String problemKey, int cores, double declared) {
    List<Object[]> rows = current().history(appId, this::history);
    List<RunTimeModel.Sample> same = new ArrayList<>();
    List<RunTimeModel.Sample> any = new ArrayList<>();
    for (Object[] r : rows) {
      double seconds =
          Duration.between((Instant) r[1], (Instant) r[2]).toMillis() / 1000.0 * (double) r[4];
      RunTimeModel.Sample sample = new RunTimeModel.Sample((int) r[0], Math.max(0.001, seconds));
      any.add(sample);
      if (problemKey != null && problemKey.equals(r[3])) {
        same.add(sample);
      }
    }
    return RunTimeModel.predict(same.isEmpty() ? any : same, cores, declared);
  }

  /** An app's latest successful runs: cores, start, end, problem key, partition speed. */
  private List<Object[]> history(String appId) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                Run.getEntityManager()
                    .createQuery(
                        "select r.cores, r.startedAt, r.finishedAt, r.problemKey, p.speed from Run"
                            + " r, ComputePartition p where p.name = r.partitionName and r.appId ="
                            + " ?1 and r.state = ?2 and r.startedAt is not null and r.finishedAt"
                            + " is not null order by r.finishedAt desc",
                        Object[].class)
                    .setParameter(1, appId)
                    .setParameter(2, RunState.SUCCEEDED)
                    .setMaxResults(config.historyRuns())
                    .getResultList());
  }

  // ---------------------------------------------------------------- the snapshot

  /** One partition's queue in a snapshot. */
  private static final class PartitionQueue {
    final List<QueueForecast.Slot> running = new ArrayList<>();
    final List<QueueForecast.Slot> queued = new ArrayList<>();
    double queuedWork;
    double runningWork;
    int busyCores;
    double waitSum;
    int waits;
    QueueForecast forecast;
  }

  /** What placement reads, taken at one moment. */
  private static final class Snapshot {
    final Instant takenAt;
    final List<Placement.Candidate> base;
    final Map<String, PartitionQueue> queues;
    final Map<String, Boolean> managed;
    final Map<String, Integer> totals;
    final List<String> pinnable;
    final Map<String, List<Object[]>> histories = new java.util.concurrent.ConcurrentHashMap<>();
    List<Placement.Candidate> candidates;

    /** An app's run history, read once per snapshot. */
    List<Object[]> history(String appId, java.util.function.Function<String, List<Object[]>> read) {
      return histories.computeIfAbsent(appId, read);
    }

    Snapshot(
        Instant takenAt,
        List<Placement.Candidate> base,
        Map<String, PartitionQueue> queues,
        Map<String, Boolean> managed,
        Map<String, Integer> totals,
        List<String> pinnable) {
      this.pinnable = pinnable;
      this.takenAt = takenAt;
      this.base = base;
      this.queues = queues;
      this.managed = managed;
      this.totals = totals;
    }

    List<Placement.Candidate> candidates() {
      if (candidates == null) {
        List<Placement.Candidate> list = new ArrayList<>(base.size());
        for (Placement.Candidate c : base) {
          list.add(withLoad(c));
        }
        candidates = list;
      }
      return candidates;
    }

    private Placement.Candidate withLoad(Placement.Candidate c) {
      PartitionQueue q = queues.get(c.partition());
      int total = totals.getOrDefault(c.partition(), c.shape().coresPerNode());
      double recent = q == null || q.waits == 0 ? Double.NaN : q.waitSum / q.waits;
      if (q == null) {
        return c.withLoad(Placement.Load.idle(total));
      }
      if (managed.getOrDefault(c.partition(), false)) {
        if (q.forecast == null) {
          q.forecast = QueueForecast.of(total, q.running, q.queued);
        }
        return c.withLoad(
            new Placement.Load(
                total,
                Math.max(0, total - q.busyCores),
                q.queuedWork,
                q.runningWork,
                recent,
                q.forecast));
      }
      return c.withLoad(
          Placement.Load.of(
              total, Math.max(0, total - q.busyCores), q.queuedWork, q.runningWork, recent));
    }

    /** Counts a run just placed in its partition's queue. */
    void queued(String partition, int cores, double seconds) {
      PartitionQueue q = queues.computeIfAbsent(partition, k -> new PartitionQueue());
      QueueForecast.Slot slot = new QueueForecast.Slot(cores, seconds);
      q.queued.add(slot);
      q.queuedWork += cores * seconds;
      if (q.forecast != null) {
        q.forecast.add(slot);
      }
      candidates = null;
    }
  }

  /** The Slurm partition a partition maps to (its own name when it names none). */
  private String slurmPartition(ComputePartition p) {
    try {
      com.fasterxml.jackson.databind.JsonNode m = json.readTree(p.mapping);
      String name = m.path("slurm").path("partition").asText(null);
      return name == null ? p.name : name;
    } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
      return p.name;
    }
  }

  private static double number(Object value) {
    return value == null ? 0 : ((Number) value).doubleValue();
  }

  /**
   * Each partition's first {@value #FORECAST_DEPTH} waiting runs in queue order: partition, cores,
   * predicted run seconds, wall-time seconds. On PostgreSQL one index range per partition, read
   * only as far as that; on H2 (the embedded default, short queues) a window over the queue.
   */
  @SuppressWarnings("unchecked")
  private List<Object[]> queueHeads() {
    String sql =
        postgres
            ? "select p.name, w.cores, w.predicted_run_seconds, w.wall_time_seconds from"
                + " compute_partition p cross join lateral (select cores, predicted_run_seconds,"
                + " wall_time_seconds, row_number() over (order by priority desc, created_at, id)"
                + " as place from run where state = 'QUEUED' and partition_name = p.name order by"
                + " priority desc, created_at, id limit ?1) w order by p.name, w.place"
            : "select partition_name, cores, predicted_run_seconds, wall_time_seconds from"
                + " (select partition_name, cores, predicted_run_seconds, wall_time_seconds,"
                + " row_number() over (partition by partition_name order by priority desc,"
                + " created_at, id) as place from run where state = 'QUEUED') waiting where"
                + " place <= ?1 order by partition_name, place";
    return Run.getEntityManager()
        .createNativeQuery(sql)
        .setParameter(1, FORECAST_DEPTH)
        .getResultList();
  }

  /** The work of the queues longer than their heads, as last summed. */
  private record LongQueues(Instant at, Duration cost, Map<String, Double> work) {}

  private volatile LongQueues longQueues;

  /** A long queue is summed again at most every this many times what summing it last cost. */
  static final int LONG_QUEUE_COST_RATIO = 500;

  /**
   * The total work of the partitions whose queues are longer than their heads. On PostgreSQL, from
   * the {@link RunTally} the database keeps: current, and a few rows to read. On H2 summing a queue
   * costs in proportion to its length, so the sums are taken again only once {@value
   * #LONG_QUEUE_COST_RATIO} times what they cost has passed (and never within a TTL), and meanwhile
   * the last ones are used: the forecast of such a queue's head stays current, and what lies behind
   * it moves by a small part of itself in that time.
   */
  private Map<String, Double> longQueueWork(
      List<String> partitions, Map<String, Double> speeds, Instant now) {
    if (partitions.isEmpty()) {
      return Map.of();
    }
    // on H2 the tally counts the runs: its last reading is used again while it is recent enough
    LongQueues last = longQueues;
    if (!postgres
        && last != null
        && last.work().keySet().containsAll(partitions)
        && now.isBefore(
            last.at()
                .plus(
                    max(config.snapshotTtl(), last.cost().multipliedBy(LONG_QUEUE_COST_RATIO))))) {
      return last.work();
    }
    long t0 = System.nanoTime();
    Map<String, RunTally.Count> queued = tally.read().get(RunState.QUEUED);
    Map<String, Double> work = new HashMap<>();
    for (String partition : partitions) {
      RunTally.Count c = queued.get(partition);
      work.put(partition, c == null ? 0.0 : c.work(speeds.getOrDefault(partition, 1.0)));
    }
    if (!postgres) {
      longQueues = new LongQueues(now, Duration.ofNanos(System.nanoTime() - t0), Map.copyOf(work));
    }
    return work;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private Snapshot take(Instant now) {
    Map<String, Cluster> clusters = new HashMap<>();
    Cluster.<Cluster>listAll().forEach(c -> clusters.put(c.name, c));
    Map<String, BigDecimal> corePrices = new HashMap<>();
    Map<String, BigDecimal> cardPrices = new HashMap<>();
    // every price in force: the latest effective one per partition and resource
    for (Price p :
        Price.<Price>list("effectiveFrom <= ?1 order by effectiveFrom desc, id desc", now)) {
      (p.resource == Price.Resource.CORE_HOUR ? corePrices : cardPrices)
          .putIfAbsent(p.partition, p.unitPrice);
    }
    List<Placement.Candidate> base = new ArrayList<>();
    Map<String, Boolean> managed = new HashMap<>();
    Map<String, Double> speeds = new HashMap<>();
    Map<String, Integer> totals = new HashMap<>();
    List<ComputePartition> partitions = ComputePartition.list("order by name");
    for (ComputePartition p : partitions) {
      Cluster c = clusters.get(p.cluster);
      speeds.put(p.name, p.speed);
      managed.put(p.name, c.backend != Cluster.Backend.SLURM);
      base.add(
          new Placement.Candidate(
              p.name,
              p.cluster,
              c.region,
              c.backend.name().toLowerCase(Locale.ROOT),
              // Engineers read placement's reasons: a sentence, not the backend's error text
              // (which names files and classes); admins read that on the cluster's health.
              new Placement.Status(
                  p.enabled && c.enabled, c.healthy, c.healthy ? null : UNAVAILABLE),
              new Placement.Shape(
                  p.coresPerNode,
                  p.memoryMbPerNode,
                  p.acceleratorKind,
                  p.acceleratorModel,
                  p.acceleratorsPerNode),
              p.speed,
              new Placement.Prices(corePrices.get(p.name), cardPrices.get(p.name)),
              Placement.Load.idle(p.coresPerNode * p.nodeCount)));
      totals.put(p.name, p.coresPerNode * p.nodeCount);
    }
    Map<String, PartitionQueue> queues = new HashMap<>();
    List<Object[]> inFlight =
        Run.getEntityManager()
            .createQuery(
                "select r.partitionName, r.cores, r.predictedRunSeconds, r.wallTimeSeconds,"
                    + " r.scheduledAt, r.startedAt from Run r where r.state in ?1",
                Object[].class)
            .setParameter(1, List.of(RunState.SCHEDULED, RunState.RUNNING))
            .getResultList();
    for (Object[] r : inFlight) {
      String partition = (String) r[0];
      int cores = (int) r[1];
      double speed = speeds.getOrDefault(partition, 1.0);
      double predicted = r[2] == null ? (long) r[3] : (double) r[2] / speed;
      Instant since = r[5] != null ? (Instant) r[5] : r[4] != null ? (Instant) r[4] : now;
      double elapsed = Duration.between(since, now).toMillis() / 1000.0;
      // past its prediction it runs until its wall time at the latest
      double left = predicted > elapsed ? predicted - elapsed : Math.max(1, (long) r[3] - elapsed);
      PartitionQueue q = queues.computeIfAbsent(partition, k -> new PartitionQueue());
      q.running.add(new QueueForecast.Slot(cores, left));
      q.runningWork += cores * left;
      q.busyCores += cores;
    }
    // the waiting runs: each partition's first FORECAST_DEPTH in queue order, for its forecast and,
    // where they are all of it, its work; a longer queue's work from its sum (longQueueWork)
    Map<String, Double> headWork = new HashMap<>();
    for (Object[] r : queueHeads()) {
      String partition = (String) r[0];
      double speed = speeds.getOrDefault(partition, 1.0);
      double predicted = r[2] == null ? number(r[3]) : number(r[2]) / speed;
      int cores = ((Number) r[1]).intValue();
      queues
          .computeIfAbsent(partition, k -> new PartitionQueue())
          .queued
          .add(new QueueForecast.Slot(cores, predicted));
      headWork.merge(partition, cores * predicted, Double::sum);
    }
    List<String> longer =
        queues.entrySet().stream()
            .filter(e -> e.getValue().queued.size() >= FORECAST_DEPTH)
            .map(Map.Entry::getKey)
            .sorted()
            .toList();
    Map<String, Double> longWork = longQueueWork(longer, speeds, now);
    headWork.forEach(
        (partition, work) ->
            queues.get(partition).queuedWork +=
                Math.max(work, longWork.getOrDefault(partition, 0.0)));
    for (ComputePartition p : partitions) {
      Map<String, io.parasol.server.compute.ComputeBackend.Pending> pending =
          backendQueues.getOrDefault(p.cluster, Map.of());
      io.parasol.server.compute.ComputeBackend.Pending own =
          pending.getOrDefault(
              slurmPartition(p),
              pending.get(io.parasol.server.compute.ComputeBackend.ANY_PARTITION));
      if (own != null && own.jobs() > 0) {
        // other users' jobs queue there too: their work is ahead of a new run
        queues.computeIfAbsent(p.name, k -> new PartitionQueue()).queuedWork += own.coreSeconds();
      }
    }
    List<Object[]> started =
        Run.getEntityManager()
            .createQuery(
                "select r.partitionName, r.createdAt, r.scheduledAt from Run r"
                    + " where r.scheduledAt >= ?1",
                Object[].class)
            .setParameter(1, now.minus(Duration.ofHours(1)))
            .setMaxResults(10_000)
            .getResultList();
    for (Object[] r : started) {
      PartitionQueue q = queues.computeIfAbsent((String) r[0], k -> new PartitionQueue());
      q.waitSum += Duration.between((Instant) r[1], (Instant) r[2]).toMillis() / 1000.0;
      q.waits++;
    }
    List<String> pinnable = partitions.stream().filter(p -> p.enabled).map(p -> p.name).toList();
    return new Snapshot(now, List.copyOf(base), queues, managed, totals, pinnable);
  }
}
