package io.parasol.server.scheduling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * When a cluster counts as unhealthy and when to probe it again: unhealthy after {@code threshold}
 * failed probes in a row, healthy again after one success; an unhealthy cluster is probed with
 * exponential back-off up to {@code maxInterval}, so a dead API server is not hammered. Pure and
 * clock-driven, so it is tested with a fake clock.
 */
public final class HealthPolicy {

  private final int threshold;
  private final Duration interval;
  private final Duration maxInterval;
  private final Clock clock;

  /**
   * The state of one cluster.
   *
   * @param healthy whether runs may be placed there
   * @param failures probes failed in a row
   * @param nextProbe when to probe next
   * @param reason the last failure
   */
  public record State(boolean healthy, int failures, Instant nextProbe, String reason) {

    /** A cluster nobody has probed yet: healthy, probed at once. */
    public static State initial(Instant now) {
      return new State(true, 0, now, null);
    }
  }

  /**
   * The state after a probe, and whether health flipped.
   *
   * @param state the new state
   * @param changed true when the cluster became healthy or unhealthy
   */
  public record Outcome(State state, boolean changed) {}

  public HealthPolicy(int threshold, Duration interval, Duration maxInterval, Clock clock) {
    if (threshold < 1 || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("threshold >= 1 and a positive interval are required");
    }
    this.threshold = threshold;
    this.interval = interval;
    this.maxInterval = maxInterval.compareTo(interval) < 0 ? interval : maxInterval;
    this.clock = clock;
  }

  /** Whether the cluster is due for a probe now. */
  public boolean due(State state) {
    return !clock.instant().isBefore(state.nextProbe());
  }

  /** The state after a successful probe. */
  public Outcome success(State state) {
    Instant now = clock.instant();
    return new Outcome(new State(true, 0, now.plus(interval), null), !state.healthy());
  }

  /** The state after a failed probe (or a request the backend refused). */
  public Outcome failure(State state, String reason) {
    Instant now = clock.instant();
    int failures = state.failures() + 1;
    boolean healthy = state.healthy() && failures < threshold;
    Duration wait = interval;
    if (!healthy) {
      // 1x, 2x, 4x ... the interval while it stays down, capped.
      int doublings = Math.min(16, failures - threshold);
      wait = interval.multipliedBy(1L << Math.max(0, doublings));
      if (wait.compareTo(maxInterval) > 0) {
        wait = maxInterval;
      }
    }
    return new Outcome(
        new State(healthy, failures, now.plus(wait), reason), healthy != state.healthy());
  }
}
