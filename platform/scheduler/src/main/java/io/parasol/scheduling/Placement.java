package io.parasol.scheduling;

import io.parasol.plugin.api.AcceleratorKind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Placement: filter the partitions that cannot take a run (capability, region, quota, health),
 * predict for each of the rest when the run would start and finish and what it would cost, and pick
 * under the engineer's objective. Pure: it decides from what it is given, so the server and the
 * simulator run the same code and it is tested without either.
 */
public final class Placement {

  /** The objective recorded when the engineer pinned a partition. */
  public static final String PINNED = "pinned";

  /** How many of the best options a decision keeps (the Pareto front is always kept). */
  public static final int KEPT_OPTIONS = 12;

  private Placement() {}

  /**
   * What a run needs from one node.
   *
   * @param cores cores
   * @param memoryMb memory in MiB
   * @param acceleratorKind the accelerator's kind, or null for none
   * @param acceleratorModel the model, or {@code any}
   * @param cards how many accelerator cards
   */
  public record Demand(
      int cores,
      long memoryMb,
      AcceleratorKind acceleratorKind,
      String acceleratorModel,
      int cards) {

    /** A demand of cores and memory only. */
    public static Demand cpu(int cores, long memoryMb) {
      return new Demand(cores, memoryMb, null, null, 0);
    }
  }

  /**
   * Where a run's inputs are.
   *
   * @param region the region holding them, or null when it does not matter
   * @param bytes their size
   */
  public record Data(String region, long bytes) {

    /** No inputs to move. */
    public static final Data NONE = new Data(null, 0);
  }

  /**
   * The org's limits on what it runs at once; {@code -1} for no limit.
   *
   * @param maxCores concurrent cores
   * @param maxCards concurrent accelerator cards
   */
  public record Quota(int maxCores, int maxCards) {

    /** No limit. */
    public static final Quota NONE = new Quota(-1, -1);

    /** Why a run of this size can never start under the quota, if it cannot. */
    public Optional<String> refuses(int cores, int cards) {
      if (maxCores >= 0 && cores > maxCores) {
        return Optional.of(
            "needs " + cores + " cores; your organisation's quota is " + maxCores + " at once");
      }
      if (maxCards >= 0 && cards > maxCards) {
        return Optional.of(
            "needs "
                + cards
                + " accelerator cards; your organisation's quota is "
                + maxCards
                + " at once");
      }
      return Optional.empty();
    }
  }

  /**
   * A run to place.
   *
   * @param demand what it needs from one node
   * @param pinned the partition the engineer chose, if any
   * @param objective what to optimise when not pinned
   * @param regions the regions the org's data may be processed in; empty for any
   * @param data where the inputs are
   * @param runSeconds the predicted run time on a partition of speed 1
   * @param wallSeconds the wall-time limit: no run is predicted to last longer
   * @param quota the org's quota
   */
  public record Need(
      Demand demand,
      Optional<String> pinned,
      Objective objective,
      Set<String> regions,
      Data data,
      double runSeconds,
      long wallSeconds,
      Quota quota) {

    /** A run with no constraints beyond its demand, placed under an objective. */
    public static Need of(Demand demand, Objective objective, double runSeconds, long wallSeconds) {
      return new Need(
          demand,
          Optional.empty(),
          objective,
          Set.of(),
          Data.NONE,
          runSeconds,
          wallSeconds,
          Quota.NONE);
    }

    /** This need, pinned to a partition. */
    public Need pinnedTo(String partition) {
      return new Need(
          demand, Optional.of(partition), objective, regions, data, runSeconds, wallSeconds, quota);
    }

    /** This need, restricted to some regions. */
    public Need in(Set<String> allowed) {
      return new Need(
          demand, pinned, objective, Set.copyOf(allowed), data, runSeconds, wallSeconds, quota);
    }

    /** This need, with its inputs somewhere. */
    public Need withData(Data where) {
      return new Need(demand, pinned, objective, regions, where, runSeconds, wallSeconds, quota);
    }

    /** This need, under a quota. */
    public Need under(Quota limits) {
      return new Need(demand, pinned, objective, regions, data, runSeconds, wallSeconds, limits);
    }
  }

  /**
   * A node type.
   *
   * @param coresPerNode cores per node
   * @param memoryMbPerNode memory per node
   * @param acceleratorKind accelerator kind per node, or null
   * @param acceleratorModel accelerator model
   * @param cardsPerNode accelerator cards per node
   */
  public record Shape(
      int coresPerNode,
      long memoryMbPerNode,
      AcceleratorKind acceleratorKind,
      String acceleratorModel,
      int cardsPerNode) {

    /** Nodes without accelerators. */
    public static Shape cpu(int cores, long memoryMb) {
      return new Shape(cores, memoryMb, null, null, 0);
    }
  }

  /**
   * Whether a partition takes runs now.
   *
   * @param enabled whether the partition and its cluster are enabled
   * @param healthy whether its cluster answers
   * @param reason why not
   */
  public record Status(boolean enabled, boolean healthy, String reason) {

    /** Enabled and healthy. */
    public static final Status UP = new Status(true, true, null);
  }

  /** The price book's prices in force for a partition; null where none is. */
  public static final class Prices {
    private final BigDecimal core;
    private final BigDecimal card;
    private final double coreValue;
    private final double cardValue;

    /**
     * Prices in force.
     *
     * @param core per core-hour, or null
     * @param card per card-hour, or null
     */
    public Prices(BigDecimal core, BigDecimal card) {
      this.core = core;
      this.card = card;
      this.coreValue = core == null ? Double.NaN : core.doubleValue();
      this.cardValue = card == null ? Double.NaN : card.doubleValue();
    }

    /** Per core-hour, or null when none is in force. */
    public BigDecimal core() {
      return core;
    }

    /** Per card-hour, or null when none is in force. */
    public BigDecimal card() {
      return card;
    }
  }

  /**
   * A partition's queue now, for predicting the wait.
   *
   * @param totalCores the partition's cores
   * @param freeCores cores not in use
   * @param queuedCoreSeconds core-seconds of the runs waiting there (by their predicted times)
   * @param runningCoreSeconds core-seconds left of the runs in flight there
   * @param recentWaitSeconds the mean wait of runs started there lately; NaN when none
   * @param forecast the profile of the partition's queue, or {@link QueueForecast#UNKNOWN}
   */
  public record Load(
      int totalCores,
      int freeCores,
      double queuedCoreSeconds,
      double runningCoreSeconds,
      double recentWaitSeconds,
      QueueForecast forecast) {

    /** An idle partition of this many cores. */
    public static Load idle(int cores) {
      return new Load(cores, cores, 0, 0, Double.NaN, QueueForecast.idle(cores));
    }

    /** A partition whose queue is known only in total (another scheduler runs it). */
    public static Load of(
        int totalCores, int freeCores, double queued, double running, double recentWait) {
      return new Load(totalCores, freeCores, queued, running, recentWait, QueueForecast.UNKNOWN);
    }

    /**
     * The predicted wait of a run of this many cores lasting this long there. From the forecast
     * when there is one (the queue's profile: it knows backfill holes); otherwise none when it fits
     * now and nothing waits, else the work ahead spread over the partition's cores. A wait above
     * zero is blended with the waits seen lately (three parts live, one part history).
     */
    public double predictedWait(int cores, double seconds) {
      double live = forecast.earliestStart(cores, seconds);
      if (Double.isNaN(live)) {
        live =
            queuedCoreSeconds <= 0 && freeCores >= cores
                ? 0
                : (queuedCoreSeconds + runningCoreSeconds) / Math.max(1, totalCores);
      }
      if (live <= 0 || Double.isNaN(recentWaitSeconds)) {
        return live;
      }
      return 0.75 * live + 0.25 * recentWaitSeconds;
    }
  }

  /**
   * A partition as placement sees it.
   *
   * @param partition its name
   * @param cluster its cluster
   * @param region its cluster's region
   * @param backend its cluster's backend
   * @param status whether it takes runs
   * @param shape its node type
   * @param speed its speed relative to the reference node (1 = reference)
   * @param prices its prices in force
   * @param load its queue now
   */
  public record Candidate(
      String partition,
      String cluster,
      String region,
      String backend,
      Status status,
      Shape shape,
      double speed,
      Prices prices,
      Load load) {

    /** This partition with another queue. */
    public Candidate withLoad(Load other) {
      return new Candidate(
          partition, cluster, region, backend, status, shape, speed, prices, other);
    }
  }

  /**
   * A partition that fits, with what placement predicts there.
   *
   * @param partition the partition
   * @param cluster its cluster
   * @param region its region
   * @param pricePerHour the run's price per hour there
   * @param predictedWaitSeconds the predicted queue wait
   * @param transferSeconds the time to move the inputs there (overlaps the wait)
   * @param predictedRunSeconds the predicted run time there
   * @param predictedStart when the run is predicted to start
   * @param predictedFinish when it is predicted to finish
   * @param dataCost what moving its inputs there costs
   * @param cost the predicted total: compute at the predicted run time plus data movement
   * @param score its score under the objective (lower is better)
   * @param front whether no other option is both sooner and cheaper
   */
  public record Option(
      String partition,
      String cluster,
      String region,
      BigDecimal pricePerHour,
      double predictedWaitSeconds,
      double transferSeconds,
      double predictedRunSeconds,
      Instant predictedStart,
      Instant predictedFinish,
      BigDecimal dataCost,
      BigDecimal cost,
      double score,
      boolean front) {}

  /** A partition that cannot take the run, and why. */
  public record Rejected(String partition, String cluster, String reason) {}

  /**
   * Where a run goes and why.
   *
   * @param partition the chosen partition
   * @param cluster its cluster
   * @param backend its backend
   * @param pinned whether the engineer chose it
   * @param objective the objective it was chosen under, or {@code pinned}
   * @param pricePerHour the run's price per hour there
   * @param reason the reason in words
   * @param options the best options, best first (at most {@link #KEPT_OPTIONS}, plus the front)
   * @param optionCount how many partitions could take the run
   * @param rejected every partition that cannot, with the reason
   * @param decidedAt when
   */
  public record Decision(
      String partition,
      String cluster,
      String backend,
      boolean pinned,
      String objective,
      BigDecimal pricePerHour,
      String reason,
      List<Option> options,
      int optionCount,
      List<Rejected> rejected,
      Instant decidedAt) {

    /** The chosen option. */
    public Option chosen() {
      return options.get(0);
    }
  }

  /** No partition can take the run. */
  public static final class NoPlacementException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<Rejected> rejected;

    NoPlacementException(String message, List<Rejected> rejected) {
      super(message);
      this.rejected = List.copyOf(rejected);
    }

    /** Every partition considered, with the reason it cannot take the run. */
    public List<Rejected> rejected() {
      return rejected;
    }
  }

  /** The prediction for one partition that fits, before scoring. */
  private record Scored(
      int index,
      Candidate candidate,
      double pricePerHour,
      double queueWait,
      double transfer,
      double run,
      double start,
      double finish,
      double dataCost,
      double cost) {}

  /**
   * Decides where a run goes.
   *
   * @param network the links between regions, for moving the inputs
   * @param now the time the decision is made
   * @throws NoPlacementException when no partition fits (or the pinned one does not)
   */
  public static Decision decide(
      Need need, List<Candidate> candidates, Network network, Instant now) {
    Optional<String> overQuota = need.quota().refuses(need.demand().cores(), need.demand().cards());
    if (overQuota.isPresent()) {
      throw new NoPlacementException("the run " + overQuota.get(), List.of());
    }
    List<Scored> fits = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    boolean pinnedSeen = false;
    for (Candidate c : candidates) {
      if (need.pinned().isPresent() && !need.pinned().get().equals(c.partition())) {
        continue;
      }
      pinnedSeen = true;
      Optional<String> why = unfit(need, c);
      if (why.isPresent()) {
        rejected.add(new Rejected(c.partition(), c.cluster(), why.get()));
      } else {
        fits.add(predict(fits.size(), need, c, network));
      }
    }
    if (need.pinned().isPresent() && !pinnedSeen) {
      throw new NoPlacementException(
          "there is no partition named " + need.pinned().get(), List.of());
    }
    if (fits.isEmpty()) {
      String detail =
          need.pinned().isPresent()
              ? "partition "
                  + need.pinned().get()
                  + " cannot take the run: "
                  + rejected.get(0).reason()
              : "no partition can take the run: "
                  + String.join(
                      "; ", rejected.stream().map(r -> r.partition() + " " + r.reason()).toList());
      throw new NoPlacementException(detail, rejected);
    }
    boolean[] front = paretoFront(fits);
    double[] scores = score(need.objective(), fits, front);
    Ranked[] order = new Ranked[fits.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = new Ranked(i, scores[i], fits.get(i));
    }
    java.util.Arrays.sort(order, Placement::compare);
    List<Option> options = new ArrayList<>();
    for (int rank = 0; rank < order.length; rank++) {
      int i = order[rank].index();
      if (rank < KEPT_OPTIONS || front[i]) {
        options.add(option(fits.get(i), scores[i], front[i], now));
      }
    }
    Option best = options.get(0);
    Candidate chosen = order[0].scored().candidate();
    boolean pinned = need.pinned().isPresent();
    return new Decision(
        best.partition(),
        best.cluster(),
        chosen.backend(),
        pinned,
        pinned ? PINNED : need.objective().id(),
        best.pricePerHour(),
        reason(need, options, pinned),
        List.copyOf(options),
        fits.size(),
        List.copyOf(rejected),
        now);
  }

  private static Scored predict(int index, Need need, Candidate c, Network network) {
    double price = pricePerHour(need.demand(), c.prices());
    double run = Math.min(need.runSeconds() / Math.max(1e-9, c.speed()), need.wallSeconds());
    double wait = c.load().predictedWait(need.demand().cores(), run);
    Network.Link link = network.between(need.data().region(), c.region());
    long bytes = need.data().bytes();
    // nothing to move, nothing to wait for
    double transfer = bytes == 0 ? 0 : link.seconds(bytes);
    double dataCost = link.cost(bytes);
    // inputs move while the run waits in the queue
    double start = Math.max(wait, transfer);
    return new Scored(
        index,
        c,
        price,
        wait,
        transfer,
        run,
        start,
        start + run,
        dataCost,
        price * run / 3600 + dataCost);
  }

  /**
   * Scores under the objective: lower is better. Balanced puts finish and cost on one scale each,
   * from the best to the worst option on the fastest-versus-cheapest front (0 to 1), and adds them
   * with equal weights: scale-free, so neither seconds nor money dominate by their units, and an
   * option far off the front does not squash the differences between the good ones.
   */
  private static double[] score(Objective objective, List<Scored> fits, boolean[] front) {
    double minFinish = Double.POSITIVE_INFINITY;
    double maxFinish = Double.NEGATIVE_INFINITY;
    double minCost = Double.POSITIVE_INFINITY;
    double maxCost = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < fits.size(); i++) {
      if (front[i]) {
        Scored s = fits.get(i);
        minFinish = Math.min(minFinish, s.finish());
        maxFinish = Math.max(maxFinish, s.finish());
        minCost = Math.min(minCost, s.cost());
        maxCost = Math.max(maxCost, s.cost());
      }
    }
    double[] scores = new double[fits.size()];
    for (int i = 0; i < scores.length; i++) {
      Scored s = fits.get(i);
      scores[i] =
          switch (objective) {
            case FASTEST -> s.finish();
            case CHEAPEST -> s.cost();
            case BALANCED ->
                0.5 * scaled(s.finish(), minFinish, maxFinish)
                    + 0.5 * scaled(s.cost(), minCost, maxCost);
          };
    }
    return scores;
  }

  private static double scaled(double value, double min, double max) {
    return max > min ? (value - min) / (max - min) : 0;
  }

  private record Ranked(int index, double score, Scored scored) {}

  /** Best first: by score, then the earlier finish, the lower cost, the partition's name. */
  private static int compare(Ranked a, Ranked b) {
    int c = Double.compare(a.score(), b.score());
    if (c == 0) {
      c = Double.compare(a.scored().finish(), b.scored().finish());
    }
    if (c == 0) {
      c = Double.compare(a.scored().cost(), b.scored().cost());
    }
    return c != 0
        ? c
        : a.scored().candidate().partition().compareTo(b.scored().candidate().partition());
  }

  /** The options that no other option beats on both finish and cost. */
  private static boolean[] paretoFront(List<Scored> fits) {
    Scored[] byFinish = fits.toArray(new Scored[0]);
    java.util.Arrays.sort(
        byFinish,
        (x, y) -> {
          int c = Double.compare(x.finish(), y.finish());
          return c != 0 ? c : Double.compare(x.cost(), y.cost());
        });
    boolean[] front = new boolean[byFinish.length];
    double cheapestSoFar = Double.POSITIVE_INFINITY;
    for (Scored s : byFinish) {
      if (s.cost() < cheapestSoFar) {
        front[s.index()] = true;
        cheapestSoFar = s.cost();
      }
    }
    return front;
  }

  private static Option option(Scored s, double score, boolean front, Instant now) {
    Candidate c = s.candidate();
    return new Option(
        c.partition(),
        c.cluster(),
        c.region(),
        money(s.pricePerHour()),
        round(s.queueWait()),
        round(s.transfer()),
        round(s.run()),
        now.plusMillis(Math.round(s.start() * 1000)),
        now.plusMillis(Math.round(s.finish() * 1000)),
        money(s.dataCost()),
        money(s.cost()),
        Math.round(score * 1e6) / 1e6,
        front);
  }

  private static String reason(Need need, List<Option> options, boolean pinned) {
    Option best = options.get(0);
    if (pinned) {
      return "pinned by the engineer to " + best.partition();
    }
    String what =
        switch (need.objective()) {
          case FASTEST -> "earliest predicted finish";
          case CHEAPEST -> "lowest predicted cost";
          case BALANCED -> "best balance of predicted finish and cost";
        };
    StringBuilder s =
        new StringBuilder(what)
            .append(": starts in ")
            .append(duration(best.predictedWaitSeconds()))
            .append(", runs ")
            .append(duration(best.predictedRunSeconds()))
            .append(", costs ")
            .append(best.cost().stripTrailingZeros().toPlainString());
    if (options.size() > 1) {
      Option next = options.get(1);
      s.append("; next best ")
          .append(next.partition())
          .append(" starts in ")
          .append(duration(next.predictedWaitSeconds()))
          .append(", costs ")
          .append(next.cost().stripTrailingZeros().toPlainString());
    }
    return s.toString();
  }

  private static String duration(double seconds) {
    if (seconds < 120) {
      return Math.round(seconds) + " s";
    }
    if (seconds < 7200) {
      return Math.round(seconds / 60) + " min";
    }
    long tenths = Math.round(seconds / 360);
    return tenths / 10 + "." + tenths % 10 + " h";
  }

  /** Why a partition cannot take a run, if it cannot. */
  static Optional<String> unfit(Need need, Candidate c) {
    if (!c.status().enabled()) {
      return Optional.of("is disabled");
    }
    if (!c.status().healthy()) {
      return Optional.of(
          "is on unhealthy cluster "
              + c.cluster()
              + (c.status().reason() == null ? "" : " (" + c.status().reason() + ")"));
    }
    if (!need.regions().isEmpty() && !need.regions().contains(c.region())) {
      return Optional.of(
          "is in region "
              + c.region()
              + ", outside the regions your organisation allows ("
              + String.join(", ", need.regions().stream().sorted().toList())
              + ")");
    }
    Demand d = need.demand();
    Shape shape = c.shape();
    if (shape.coresPerNode() < d.cores()) {
      return Optional.of(
          "has " + shape.coresPerNode() + " cores per node; the run needs " + d.cores());
    }
    if (shape.memoryMbPerNode() < d.memoryMb()) {
      return Optional.of(
          "has " + shape.memoryMbPerNode() + " MiB per node; the run needs " + d.memoryMb());
    }
    if (d.acceleratorKind() != null) {
      String wanted = describe(d.acceleratorKind(), d.acceleratorModel());
      if (shape.acceleratorKind() != d.acceleratorKind()) {
        return Optional.of("has no " + wanted);
      }
      if (!"any".equalsIgnoreCase(d.acceleratorModel())
          && !d.acceleratorModel().equalsIgnoreCase(shape.acceleratorModel())) {
        return Optional.of(
            "has "
                + describe(shape.acceleratorKind(), shape.acceleratorModel())
                + ", not "
                + wanted);
      }
      if (shape.cardsPerNode() < d.cards()) {
        return Optional.of(
            "has " + shape.cardsPerNode() + " " + wanted + " per node; the run needs " + d.cards());
      }
      if (c.prices().card() == null) {
        return Optional.of("has no card-hour price in force");
      }
    }
    if (c.prices().core() == null) {
      return Optional.of("has no core-hour price in force");
    }
    return Optional.empty();
  }

  static double pricePerHour(Demand d, Prices prices) {
    double price = prices.coreValue * d.cores();
    if (d.acceleratorKind() != null) {
      price += prices.cardValue * d.cards();
    }
    return price;
  }

  private static BigDecimal money(double value) {
    return BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_EVEN);
  }

  private static double round(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }

  private static String describe(AcceleratorKind kind, String model) {
    return kind + ("any".equalsIgnoreCase(model) ? "" : " " + model.toLowerCase(Locale.ROOT));
  }
}
