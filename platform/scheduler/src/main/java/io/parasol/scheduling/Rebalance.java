package io.parasol.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Moving waiting runs: Parasol runs its queues, so a run that has not started can still go
 * elsewhere. A waiting run is placed again when it has waited past its predicted start (and
 * whenever another partition has idle cores it could use); it moves when another partition is now
 * predicted to finish it sooner than staying by a margin, at a cost not much above staying. Staying
 * is predicted to take at least as long again as the run has already waited there: a queue that
 * kept it longer than predicted has shown the prediction wrong.
 *
 * @param recheckFloor look at a waiting run again after at least this long
 * @param recheckCeiling and at most this long
 * @param margin the share of the time left by which moving must be sooner (and at least {@code
 *     recheckFloor})
 * @param maxExtraCostFraction moving may cost this share more than staying …
 * @param maxExtraCost … plus this much money (inputs moved, a dearer partition)
 */
public record Rebalance(
    Duration recheckFloor,
    Duration recheckCeiling,
    double margin,
    double maxExtraCostFraction,
    double maxExtraCost) {

  /** The defaults: look again after 1 to 10 minutes, move for 10 % sooner at ≤ 10 % + 1 more. */
  public static final Rebalance DEFAULT =
      new Rebalance(Duration.ofMinutes(1), Duration.ofMinutes(10), 0.1, 0.1, 1.0);

  /** When to look at a run again, given the option it was placed on. */
  public Duration recheckAfter(Placement.Option placed) {
    double seconds = (placed.predictedWaitSeconds() + placed.transferSeconds()) / 2;
    double floor = recheckFloor.toMillis() / 1000.0;
    double ceiling = recheckCeiling.toMillis() / 1000.0;
    return Duration.ofMillis(Math.round(Math.min(ceiling, Math.max(floor, seconds)) * 1000));
  }

  /**
   * Where a waiting run should move, if anywhere.
   *
   * @param decision a fresh placement of the run, made without it in its current queue
   * @param here its current partition
   * @param waited how long it has waited there
   * @param only consider only this partition (one with idle cores), if given
   */
  public Optional<Placement.Option> moveTo(
      Placement.Decision decision, String here, Duration waited, Optional<String> only) {
    Instant now = decision.decidedAt();
    double waitedSeconds = waited.toMillis() / 1000.0;
    Placement.Option stay = null;
    Placement.Option best = null;
    for (Placement.Option o : decision.options()) {
      if (o.partition().equals(here)) {
        stay = o;
      } else if (best == null && (only.isEmpty() || only.get().equals(o.partition()))) {
        best = o;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    if (stay == null) {
      return Optional.of(best); // its partition can no longer take it
    }
    double stayFinish =
        Math.max(stay.predictedWaitSeconds(), waitedSeconds) + stay.predictedRunSeconds();
    double moveFinish = seconds(now, best.predictedFinish());
    double floor = recheckFloor.toMillis() / 1000.0;
    boolean sooner = moveFinish < stayFinish - Math.max(floor, margin * stayFinish);
    double stayCost = stay.cost().doubleValue();
    boolean affordable =
        best.cost().doubleValue() <= stayCost * (1 + maxExtraCostFraction) + maxExtraCost;
    return sooner && affordable ? Optional.of(best) : Optional.empty();
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }
}
