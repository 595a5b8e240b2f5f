package io.parasol.simulator;

import io.parasol.scheduling.FairShareQueue;
import io.parasol.scheduling.Network;
import io.parasol.scheduling.Objective;
import io.parasol.scheduling.Placement;
import io.parasol.scheduling.QueueForecast;
import io.parasol.scheduling.Rebalance;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A discrete-event simulation with a virtual clock: a trace's jobs arrive, are routed by a {@link
 * Strategy}, wait in their partitions' {@link FairShareQueue}s and run for their trace run time
 * divided by the partition's speed. Parasol's strategy places each job with {@link Placement},
 * unchanged, from the live state of the simulated queues. Deterministic for a seed: the seed draws
 * each job's org, input size and wall-time estimate, the same for every strategy.
 */
public final class Simulator {

  /** Bounded slowdown's bound, in seconds. */
  public static final double SLOWDOWN_BOUND = 10;

  private static final Instant EPOCH = Instant.EPOCH;

  /**
   * A job as the simulation sees it, the same for every strategy.
   *
   * @param id the trace's job number
   * @param org the org it was drawn
   * @param home the org's home site
   * @param submit when it arrives
   * @param cores its width
   * @param runSeconds its run time on a partition of speed 1
   * @param estimateSeconds its wall-time estimate (speed 1)
   * @param inputBytes its inputs, held at the home site
   */
  public record Job(
      long id,
      String org,
      Federation.Site home,
      double submit,
      int cores,
      double runSeconds,
      double estimateSeconds,
      long inputBytes) {}

  /**
   * What happened to one job.
   *
   * @param jobId the trace's job number
   * @param org its org
   * @param home its home site
   * @param partition where it ran
   * @param cores its width
   * @param submit when it arrived
   * @param start when it started
   * @param end when it ended
   * @param runSeconds its run time on a partition of speed 1
   * @param cost compute plus data movement
   */
  public record Outcome(
      long jobId,
      String org,
      String home,
      String partition,
      int cores,
      double submit,
      double start,
      double end,
      double runSeconds,
      double cost) {

    /** Time from arrival to start (data movement included). */
    public double waitSeconds() {
      return start - submit;
    }

    /** Response time over run time, the run time bounded below by ten seconds, at least 1. */
    public double boundedSlowdown() {
      return Math.max(1, (end - submit) / Math.max(runSeconds, SLOWDOWN_BOUND));
    }
  }

  /**
   * A strategy's figures.
   *
   * @param strategy its report name
   * @param jobs jobs run
   * @param meanWait mean wait, seconds
   * @param p95Wait 95th percentile wait, seconds
   * @param meanBoundedSlowdown mean bounded slowdown
   * @param utilisation core-seconds used over core-seconds available during the makespan
   * @param makespan first arrival to last end, seconds
   * @param totalCost compute plus data movement
   */
  public record Summary(
      String strategy,
      int jobs,
      double meanWait,
      double p95Wait,
      double meanBoundedSlowdown,
      double utilisation,
      double makespan,
      double totalCost) {}

  /** A strategy's outcomes and figures. */
  public record Result(Strategy strategy, List<Outcome> outcomes, Summary summary) {}

  private final Federation federation;
  private final Network network;
  private final List<Federation.Placed> partitions;
  private final List<Job> jobs;

  /**
   * A simulation of a trace over a federation.
   *
   * @param limit at most this many jobs from the start of the trace (0 for all)
   */
  public Simulator(Federation federation, SwfTrace trace, long seed, int limit) {
    this.federation = federation;
    this.network = federation.network();
    this.partitions = federation.partitions();
    this.jobs = synthesise(federation, trace, seed, limit);
  }

  /** The jobs as drawn for the seed. */
  public List<Job> jobs() {
    return jobs;
  }

  private static List<Job> synthesise(Federation f, SwfTrace trace, long seed, int limit) {
    Random random = new Random(seed);
    Federation.Workload w = f.workload();
    double totalShare = f.sites().stream().mapToDouble(Federation.Site::homeShare).sum();
    Federation.Site[] homes = new Federation.Site[w.orgs()];
    for (int o = 0; o < homes.length; o++) {
      // orgs are spread over the sites by their shares, in order, so the split is exact
      double at = (o + 0.5) / homes.length * totalShare;
      double sum = 0;
      for (Federation.Site s : f.sites()) {
        sum += s.homeShare();
        if (at < sum) {
          homes[o] = s;
          break;
        }
      }
      if (homes[o] == null) {
        homes[o] = f.sites().get(f.sites().size() - 1);
      }
    }
    int widest = f.partitions().stream().mapToInt(p -> p.partition().cores()).max().orElse(0);
    List<Job> out = new ArrayList<>();
    for (SwfTrace.Job t : trace.jobs()) {
      if (limit > 0 && out.size() >= limit) {
        break;
      }
      int org = random.nextInt(w.orgs());
      double mb = w.inputMedianMb() * Math.exp(w.inputSigma() * random.nextGaussian());
      double factor = 1 + random.nextDouble() * (w.estimateFactorMax() - 1);
      int cores = Math.min(t.width(), widest);
      if (cores < 1) {
        continue;
      }
      double run = Math.max(1, t.runTime());
      double estimate = t.requestedTime() > 0 ? Math.max(run, t.requestedTime()) : run * factor;
      out.add(
          new Job(
              t.id(),
              "org" + org,
              homes[org],
              t.submit(),
              cores,
              run,
              Math.ceil(estimate),
              (long) (mb * 1e6)));
    }
    return List.copyOf(out);
  }

  // ---------------------------------------------------------------- the run of one strategy

  private static final int END = 0;
  private static final int ENQUEUE = 1;
  private static final int ARRIVE = 2;
  private static final int CHECK = 3;

  private static final Rebalance REBALANCE = Rebalance.DEFAULT;

  private record Event(double time, int kind, long seq, int job, int partition) {}

  /** One partition's state during a run. */
  private static final class Part {
    final int index;
    final Federation.Placed spec;
    final Map<Integer, Double> queued = new LinkedHashMap<>(); // job -> enqueued at
    final java.util.Set<Integer> incoming = new java.util.LinkedHashSet<>(); // inputs moving here
    final Map<Integer, double[]> running = new HashMap<>(); // job -> {start, estimatedEnd, predEnd}
    int free;
    double queuedWork;
    double recentWait = Double.NaN;
    Optional<FairShareQueue.Reservation> reservation = Optional.empty();
    boolean stale = true;
    double forecastAt = Double.NaN;
    QueueForecast forecast;

    Part(int index, Federation.Placed spec) {
      this.index = index;
      this.spec = spec;
      this.free = spec.partition().cores();
    }

    double speed() {
      return spec.partition().speed();
    }
  }

  /** Runs one strategy over the jobs. */
  public Result run(Strategy strategy) {
    return new Run(strategy).go();
  }

  private final class Run {
    final Strategy strategy;
    final Part[] parts;
    final PriorityQueue<Event> events =
        new PriorityQueue<>(
            Comparator.comparingDouble(Event::time)
                .thenComparingInt(Event::kind)
                .thenComparingLong(Event::seq));
    long seq;
    final double[] start = new double[jobs.size()];
    final double[] end = new double[jobs.size()];
    final int[] where = new int[jobs.size()];
    final double[] dataCost = new double[jobs.size()];
    final double[] predicted = new double[jobs.size()];
    final List<List<Integer>> copies = new ArrayList<>();
    final Map<String, Deque<Double>> accuracy = new HashMap<>();
    final BitSet dirty = new BitSet();
    boolean moved;
    int turn;

    Run(Strategy strategy) {
      this.strategy = strategy;
      this.parts = new Part[partitions.size()];
      for (int i = 0; i < parts.length; i++) {
        parts[i] = new Part(i, partitions.get(i));
      }
      Arrays.fill(start, Double.NaN);
      for (int j = 0; j < jobs.size(); j++) {
        copies.add(new ArrayList<>(1));
      }
    }

    Result go() {
      for (int j = 0; j < jobs.size(); j++) {
        push(jobs.get(j).submit(), ARRIVE, j, -1);
      }
      while (!events.isEmpty()) {
        double now = events.peek().time();
        while (!events.isEmpty() && events.peek().time() == now) {
          Event e = events.poll();
          switch (e.kind()) {
            case ARRIVE -> arrive(e.job(), now);
            case CHECK -> recheck(e.job(), now);
            case ENQUEUE -> enqueue(e.job(), parts[e.partition()], now);
            default -> finish(e.job(), parts[e.partition()]);
          }
        }
        for (int p = dirty.nextSetBit(0); p >= 0; p = dirty.nextSetBit(0)) {
          dirty.clear(p);
          schedule(parts[p], now);
        }
        if (strategy == Strategy.PARASOL) {
          steal(now);
        }
      }
      return result();
    }

    void push(double time, int kind, int job, int partition) {
      events.add(new Event(time, kind, seq++, job, partition));
    }

    void arrive(int j, double now) {
      Job job = jobs.get(j);
      predicted[j] = predictRun(job);
      for (int p : route(j, now)) {
        Part part = parts[p];
        Network.Link link = network.between(job.home().region(), part.spec.site().region());
        double transfer = link == Network.LOCAL ? 0 : link.seconds(job.inputBytes());
        dataCost[j] += link.cost(job.inputBytes());
        copies.get(j).add(p);
        send(j, part, now + transfer);
      }
    }

    /** Sends a job towards a partition: it is queued there once its inputs have arrived. */
    void send(int j, Part part, double arrival) {
      part.incoming.add(j);
      part.queuedWork += jobs.get(j).cores() * predicted[j] / part.speed();
      part.stale = true;
      push(arrival, ENQUEUE, j, part.index);
    }

    void enqueue(int j, Part part, double now) {
      part.incoming.remove(j);
      part.stale = true;
      if (!Double.isNaN(start[j])) {
        // a sibling started elsewhere while the inputs were moving
        part.queuedWork -= jobs.get(j).cores() * predicted[j] / part.speed();
        return;
      }
      part.queued.put(j, now);
      dirty.set(part.index);
    }

    void finish(int j, Part part) {
      part.running.remove(j);
      part.stale = true;
      part.free += jobs.get(j).cores();
      Job job = jobs.get(j);
      Deque<Double> seen = accuracy.computeIfAbsent(job.org(), k -> new ArrayDeque<>());
      seen.addLast(job.runSeconds() / job.estimateSeconds());
      if (seen.size() > 32) {
        seen.removeFirst();
      }
      dirty.set(part.index);
    }

    void schedule(Part part, double now) {
      if (part.queued.isEmpty()) {
        return;
      }
      if (part.free == 0) {
        return;
      }
      double speed = part.speed();
      List<FairShareQueue.Running> running = new ArrayList<>(part.running.size());
      part.running.forEach(
          (j, r) -> {
            Job job = jobs.get(j);
            running.add(
                new FairShareQueue.Running(String.valueOf(j), job.org(), job.cores(), 0, r[1]));
          });
      List<FairShareQueue.Job> queued = new ArrayList<>(part.queued.size());
      part.queued.forEach(
          (j, at) -> {
            Job job = jobs.get(j);
            queued.add(
                new FairShareQueue.Job(
                    String.valueOf(j),
                    job.org(),
                    0,
                    job.cores(),
                    0,
                    job.estimateSeconds() / speed,
                    at));
          });
      FairShareQueue.Plan plan =
          FairShareQueue.plan(
              strategy.queue(),
              now,
              part.spec.partition().cores(),
              0,
              running,
              queued,
              Map.of(),
              Map.of());
      for (FairShareQueue.Job q : plan.start()) {
        start(Integer.parseInt(q.id()), part, now);
      }
      part.reservation = plan.reservation();
    }

    void start(int j, Part part, double now) {
      Job job = jobs.get(j);
      double speed = part.speed();
      start[j] = now;
      where[j] = part.index;
      end[j] = now + job.runSeconds() / speed;
      part.free -= job.cores();
      part.stale = true;
      part.running.put(
          j, new double[] {now, now + job.estimateSeconds() / speed, now + predicted[j] / speed});
      double waited = now - job.submit();
      part.recentWait =
          Double.isNaN(part.recentWait) ? waited : 0.8 * part.recentWait + 0.2 * waited;
      for (int p : copies.get(j)) {
        Part other = parts[p];
        if (other.queued.remove(j) != null) {
          other.stale = true;
          other.queuedWork -= job.cores() * predicted[j] / other.speed();
          if (other != part) {
            dirty.set(p);
          }
        }
      }
      push(end[j], END, j, part.index);
    }

    /** The run time Parasol predicts: the estimate scaled by how the org's estimates came out. */
    double predictRun(Job job) {
      Deque<Double> seen = accuracy.get(job.org());
      if (seen == null || seen.isEmpty()) {
        return job.estimateSeconds();
      }
      double mean = seen.stream().mapToDouble(Double::doubleValue).average().orElse(1);
      return job.estimateSeconds() * Math.max(0.05, Math.min(1, mean));
    }

    List<Integer> route(int j, double now) {
      Job job = jobs.get(j);
      List<Integer> fit = new ArrayList<>();
      for (Part p : parts) {
        if (p.spec.partition().cores() >= job.cores()) {
          fit.add(p.index);
        }
      }
      return switch (strategy) {
        case FIFO, EASY, HOME_ONLY -> List.of(home(job, fit));
        case ROUND_ROBIN -> List.of(fit.get(turn++ % fit.size()));
        case CHEAPEST_FIRST -> List.of(cheapest(fit));
        case SIBLING_RACE -> fit;
        case PARASOL -> List.of(parasol(j, fit, now));
      };
    }

    int home(Job job, List<Integer> fit) {
      int best = -1;
      for (int p : fit) {
        if (parts[p].spec.site() == job.home()
            && (best < 0
                || parts[p].spec.partition().cores() > parts[best].spec.partition().cores())) {
          best = p;
        }
      }
      return best >= 0 ? best : cheapest(fit);
    }

    int cheapest(List<Integer> fit) {
      return fit.stream()
          .min(
              Comparator.<Integer>comparingDouble(p -> parts[p].spec.partition().corePrice())
                  .thenComparing(p -> parts[p].spec.partition().name()))
          .orElseThrow();
    }

    Placement.Decision decide(int j, double now) {
      Job job = jobs.get(j);
      List<Placement.Candidate> candidates = new ArrayList<>(parts.length);
      for (Part p : parts) {
        double runningWork = 0;
        for (Map.Entry<Integer, double[]> e : p.running.entrySet()) {
          double[] r = e.getValue();
          double until = until(r, now);
          runningWork += jobs.get(e.getKey()).cores() * Math.max(0, until - now);
        }
        Federation.Partition spec = p.spec.partition();
        candidates.add(
            new Placement.Candidate(
                spec.name(),
                p.spec.site().name(),
                p.spec.site().region(),
                "simulated",
                Placement.Status.UP,
                Placement.Shape.cpu(spec.cores(), Long.MAX_VALUE),
                spec.speed(),
                new Placement.Prices(BigDecimal.valueOf(spec.corePrice()), null),
                new Placement.Load(
                    spec.cores(),
                    p.free,
                    p.queuedWork,
                    runningWork,
                    p.recentWait,
                    forecast(p, now))));
      }
      Placement.Need need =
          Placement.Need.of(
                  Placement.Demand.cpu(job.cores(), 0),
                  Objective.BALANCED,
                  predicted[j],
                  (long) job.estimateSeconds())
              .withData(new Placement.Data(job.home().region(), job.inputBytes()));
      return Placement.decide(need, candidates, network, EPOCH.plusMillis((long) (now * 1000)));
    }

    int parasol(int j, List<Integer> fit, double now) {
      Placement.Decision d = decide(j, now);
      recheckLater(j, d, now);
      return index(d.partition());
    }

    int index(String partition) {
      for (Part p : parts) {
        if (p.spec.partition().name().equals(partition)) {
          return p.index;
        }
      }
      throw new IllegalStateException("placement chose " + partition + ", which is not simulated");
    }

    void recheckLater(int j, Placement.Decision d, double now) {
      push(now + REBALANCE.recheckAfter(d.chosen()).toMillis() / 1000.0, CHECK, j, -1);
    }

    /**
     * A job still waits past its predicted start: place it again, and move it when another
     * partition now predicts an earlier finish than its own (Parasol runs these queues, so a
     * waiting run can still go elsewhere; its inputs move again from home).
     */
    void recheck(int j, double now) {
      if (!Double.isNaN(start[j])) {
        return;
      }
      Placement.Decision d = reconsider(j, now, null);
      if (d == null) {
        // its inputs are still moving
        push(now + REBALANCE.recheckFloor().toMillis() / 1000.0, CHECK, j, -1);
      } else {
        recheckLater(j, d, now);
      }
    }

    /**
     * Places a waiting job again and moves it when another partition (or {@code only}, when given)
     * now predicts a finish sooner than staying by a margin. Staying is predicted to take at least
     * as long again as the job has already waited there. Returns the decision, or null when the job
     * is not in a queue (its inputs are moving).
     */
    Placement.Decision reconsider(int j, double now, Part only) {
      Job job = jobs.get(j);
      Part current = null;
      for (int p : copies.get(j)) {
        if (parts[p].queued.containsKey(j)) {
          current = parts[p];
        }
      }
      if (current == null) {
        return null;
      }
      Double enqueued = current.queued.remove(j);
      current.queuedWork -= job.cores() * predicted[j] / current.speed();
      current.stale = true;
      Placement.Decision d = decide(j, now);
      Optional<Placement.Option> best =
          REBALANCE.moveTo(
              d,
              current.spec.partition().name(),
              Duration.ofMillis(Math.round((now - enqueued) * 1000)),
              only == null ? Optional.empty() : Optional.of(only.spec.partition().name()));
      if (best.isPresent()) {
        Part target = parts[index(best.get().partition())];
        Network.Link link = network.between(job.home().region(), target.spec.site().region());
        dataCost[j] += link.cost(job.inputBytes());
        if (!copies.get(j).contains(target.index)) {
          copies.get(j).add(target.index);
        }
        dirty.set(current.index);
        moved = true;
        send(j, target, now + (link == Network.LOCAL ? 0 : link.seconds(job.inputBytes())));
      } else {
        current.queued.put(j, enqueued);
        current.stale = true;
        current.queuedWork += job.cores() * predicted[j] / current.speed();
        moved = false;
      }
      return d;
    }

    /**
     * Partitions with idle cores their own queue cannot use take waiting jobs from other
     * partitions, when the job fits without delaying their head job's reservation and placement
     * predicts it finishes sooner there.
     */
    void steal(double now) {
      for (Part x : parts) {
        int budget = x.free;
        if (budget == 0) {
          continue;
        }
        for (Part y : parts) {
          if (y == x || y.queued.isEmpty()) {
            continue;
          }
          for (int j : new ArrayList<>(y.queued.keySet())) {
            Job job = jobs.get(j);
            if (job.cores() > budget) {
              continue;
            }
            boolean safe =
                x.queued.isEmpty()
                    || x.reservation
                        .map(r -> r.admits(now, job.cores(), 0, job.estimateSeconds() / x.speed()))
                        .orElse(true);
            if (safe && reconsider(j, now, x) != null && moved) {
              budget -= job.cores();
              if (budget == 0) {
                break;
              }
            }
          }
          if (budget == 0) {
            break;
          }
        }
      }
    }

    /** When a run in flight is expected to end: its prediction, else once past that, by its age. */
    double until(double[] r, double now) {
      if (r[2] > now) {
        return r[2];
      }
      return r[1];
    }

    /** The partition's queue profile by Parasol's predictions. */
    QueueForecast forecast(Part p, double now) {
      if (!p.stale && p.forecastAt == now) {
        return p.forecast;
      }
      p.forecast = buildForecast(p, now);
      p.forecastAt = now;
      p.stale = false;
      return p.forecast;
    }

    QueueForecast buildForecast(Part p, double now) {
      List<QueueForecast.Slot> running = new ArrayList<>(p.running.size());
      for (Map.Entry<Integer, double[]> e : p.running.entrySet()) {
        double[] r = e.getValue();
        double until = until(r, now);
        running.add(new QueueForecast.Slot(jobs.get(e.getKey()).cores(), until - now));
      }
      List<QueueForecast.Slot> queued = new ArrayList<>(p.queued.size());
      for (int j : p.queued.keySet()) {
        queued.add(new QueueForecast.Slot(jobs.get(j).cores(), predicted[j] / p.speed()));
      }
      for (int j : p.incoming) {
        queued.add(new QueueForecast.Slot(jobs.get(j).cores(), predicted[j] / p.speed()));
      }
      return QueueForecast.of(p.spec.partition().cores(), running, queued);
    }

    Result result() {
      List<Outcome> outcomes = new ArrayList<>(jobs.size());
      for (int j = 0; j < jobs.size(); j++) {
        Job job = jobs.get(j);
        Federation.Partition p = parts[where[j]].spec.partition();
        double compute = p.corePrice() * job.cores() * (end[j] - start[j]) / 3600;
        outcomes.add(
            new Outcome(
                job.id(),
                job.org(),
                job.home().name(),
                p.name(),
                job.cores(),
                job.submit(),
                start[j],
                end[j],
                job.runSeconds(),
                compute + dataCost[j]));
      }
      return new Result(strategy, List.copyOf(outcomes), summarise(strategy.id(), outcomes));
    }
  }

  private Summary summarise(String name, List<Outcome> outcomes) {
    double[] waits = outcomes.stream().mapToDouble(Outcome::waitSeconds).sorted().toArray();
    double first = outcomes.stream().mapToDouble(Outcome::submit).min().orElse(0);
    double last = outcomes.stream().mapToDouble(Outcome::end).max().orElse(0);
    double used = outcomes.stream().mapToDouble(o -> o.cores() * (o.end() - o.start())).sum();
    int cores = partitions.stream().mapToInt(p -> p.partition().cores()).sum();
    double makespan = last - first;
    return new Summary(
        name,
        outcomes.size(),
        Arrays.stream(waits).average().orElse(0),
        waits.length == 0 ? 0 : waits[(int) Math.ceil(0.95 * waits.length) - 1],
        outcomes.stream().mapToDouble(Outcome::boundedSlowdown).average().orElse(0),
        makespan <= 0 ? 0 : used / (cores * makespan),
        makespan,
        outcomes.stream().mapToDouble(Outcome::cost).sum());
  }

  /** The federation simulated. */
  public Federation federation() {
    return federation;
  }
}
