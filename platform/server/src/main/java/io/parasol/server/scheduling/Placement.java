package io.parasol.server.scheduling;

import io.parasol.plugin.api.AcceleratorKind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Placement, first version: a pinned partition when the engineer chose one, otherwise the cheapest
 * healthy partition whose nodes fit the run's cores, memory and accelerator. Pure: it decides from
 * the candidates it is given, so it is tested without a server.
 */
public final class Placement {

  /** The objective recorded on decisions of this version. */
  public static final String CHEAPEST = "cheapest";

  private Placement() {}

  /**
   * What a run needs from one node.
   *
   * @param cores cores
   * @param memoryMb memory in MiB
   * @param acceleratorKind the accelerator's kind, or null for none
   * @param acceleratorModel the model, or {@code any}
   * @param cards how many accelerator cards
   * @param pinned the partition the engineer chose, if any
   */
  public record Need(
      int cores,
      long memoryMb,
      AcceleratorKind acceleratorKind,
      String acceleratorModel,
      int cards,
      Optional<String> pinned) {}

  /**
   * A partition as placement sees it.
   *
   * @param partition its name
   * @param cluster its cluster
   * @param backend its cluster's backend
   * @param enabled whether the partition and its cluster take new runs
   * @param healthy whether its cluster answers
   * @param healthReason why not
   * @param coresPerNode cores per node
   * @param memoryMbPerNode memory per node
   * @param acceleratorKind accelerator kind per node, or null
   * @param acceleratorModel accelerator model
   * @param cardsPerNode accelerator cards per node
   * @param corePrice the core-hour price in force, or null when none is
   * @param cardPrice the card-hour price in force, or null when none is
   */
  public record Candidate(
      String partition,
      String cluster,
      String backend,
      boolean enabled,
      boolean healthy,
      String healthReason,
      int coresPerNode,
      long memoryMbPerNode,
      AcceleratorKind acceleratorKind,
      String acceleratorModel,
      int cardsPerNode,
      BigDecimal corePrice,
      BigDecimal cardPrice) {}

  /** A partition that fits, with its price per hour for this run. */
  public record Option(String partition, String cluster, BigDecimal pricePerHour) {}

  /** A partition that was not chosen because it cannot take the run, and why. */
  public record Rejected(String partition, String cluster, String reason) {}

  /**
   * Where a run goes and why.
   *
   * @param partition the chosen partition
   * @param cluster its cluster
   * @param backend its backend
   * @param pinned whether the engineer chose it
   * @param objective how the choice was made
   * @param pricePerHour the run's price per hour there
   * @param reason the reason in words
   * @param options every partition that fits, cheapest first
   * @param rejected every partition that does not, with the reason
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
      List<Rejected> rejected,
      Instant decidedAt) {}

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

  /**
   * Decides where a run goes.
   *
   * @throws NoPlacementException when no partition fits (or the pinned one does not)
   */
  public static Decision decide(Need need, List<Candidate> candidates, Clock clock) {
    List<Option> options = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    Candidate pinned = null;
    for (Candidate c : candidates) {
      if (need.pinned().isPresent() && !need.pinned().get().equals(c.partition())) {
        continue;
      }
      pinned = c;
      Optional<String> why = unfit(need, c);
      if (why.isPresent()) {
        rejected.add(new Rejected(c.partition(), c.cluster(), why.get()));
      } else {
        options.add(new Option(c.partition(), c.cluster(), pricePerHour(need, c)));
      }
    }
    if (need.pinned().isPresent() && pinned == null) {
      throw new NoPlacementException(
          "there is no partition named " + need.pinned().get(), List.of());
    }
    if (options.isEmpty()) {
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
    options.sort(Comparator.comparing(Option::pricePerHour).thenComparing(Option::partition));
    Option best = options.get(0);
    Candidate chosen =
        candidates.stream().filter(c -> c.partition().equals(best.partition())).findFirst().get();
    String reason =
        need.pinned().isPresent()
            ? "pinned by the engineer to " + best.partition()
            : "cheapest healthy partition that fits: "
                + best.pricePerHour().stripTrailingZeros().toPlainString()
                + " per hour"
                + (options.size() > 1
                    ? ", against "
                        + options.get(1).pricePerHour().stripTrailingZeros().toPlainString()
                        + " on "
                        + options.get(1).partition()
                    : "");
    return new Decision(
        best.partition(),
        best.cluster(),
        chosen.backend(),
        need.pinned().isPresent(),
        need.pinned().isPresent() ? "pinned" : CHEAPEST,
        best.pricePerHour(),
        reason,
        List.copyOf(options),
        List.copyOf(rejected),
        clock.instant());
  }

  /** Why a partition cannot take a run, if it cannot. */
  static Optional<String> unfit(Need need, Candidate c) {
    if (!c.enabled()) {
      return Optional.of("is disabled");
    }
    if (!c.healthy()) {
      return Optional.of(
          "is on unhealthy cluster "
              + c.cluster()
              + (c.healthReason() == null ? "" : " (" + c.healthReason() + ")"));
    }
    if (c.coresPerNode() < need.cores()) {
      return Optional.of(
          "has " + c.coresPerNode() + " cores per node; the run needs " + need.cores());
    }
    if (c.memoryMbPerNode() < need.memoryMb()) {
      return Optional.of(
          "has " + c.memoryMbPerNode() + " MiB per node; the run needs " + need.memoryMb());
    }
    if (need.acceleratorKind() != null) {
      String wanted = describe(need.acceleratorKind(), need.acceleratorModel());
      if (c.acceleratorKind() != need.acceleratorKind()) {
        return Optional.of("has no " + wanted);
      }
      if (!"any".equalsIgnoreCase(need.acceleratorModel())
          && !need.acceleratorModel().equalsIgnoreCase(c.acceleratorModel())) {
        return Optional.of(
            "has " + describe(c.acceleratorKind(), c.acceleratorModel()) + ", not " + wanted);
      }
      if (c.cardsPerNode() < need.cards()) {
        return Optional.of(
            "has " + c.cardsPerNode() + " " + wanted + " per node; the run needs " + need.cards());
      }
      if (c.cardPrice() == null) {
        return Optional.of("has no card-hour price in force");
      }
    }
    if (c.corePrice() == null) {
      return Optional.of("has no core-hour price in force");
    }
    return Optional.empty();
  }

  static BigDecimal pricePerHour(Need need, Candidate c) {
    BigDecimal price = c.corePrice().multiply(BigDecimal.valueOf(need.cores()));
    if (need.acceleratorKind() != null) {
      price = price.add(c.cardPrice().multiply(BigDecimal.valueOf(need.cards())));
    }
    return price.setScale(6, RoundingMode.HALF_EVEN);
  }

  private static String describe(AcceleratorKind kind, String model) {
    return kind + ("any".equalsIgnoreCase(model) ? "" : " " + model.toLowerCase(Locale.ROOT));
  }
}
