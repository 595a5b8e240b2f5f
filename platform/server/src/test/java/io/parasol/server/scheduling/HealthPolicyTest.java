package io.parasol.server.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Health transitions and probe back-off, driven by a fake clock. */
class HealthPolicyTest {

  /** A clock the test moves by hand. */
  static final class FakeClock extends Clock {
    Instant now = Instant.parse("2026-01-05T10:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final FakeClock clock = new FakeClock();
  private final HealthPolicy policy =
      new HealthPolicy(3, Duration.ofSeconds(10), Duration.ofSeconds(60), clock);

  @Test
  void aClusterTurnsUnhealthyAfterThresholdFailuresInARowAndHealthyAfterOneSuccess() {
    HealthPolicy.State s = HealthPolicy.State.initial(clock.instant());
    assertTrue(policy.due(s));

    HealthPolicy.Outcome first = policy.failure(s, "connection refused");
    assertTrue(first.state().healthy(), "one failure is not enough");
    assertFalse(first.changed());
    assertEquals("connection refused", first.state().reason());

    // A success in between resets the streak.
    HealthPolicy.Outcome ok = policy.success(first.state());
    assertEquals(0, ok.state().failures());
    assertFalse(ok.changed());

    s = ok.state();
    s = policy.failure(s, "timeout").state();
    s = policy.failure(s, "timeout").state();
    assertTrue(s.healthy());
    HealthPolicy.Outcome third = policy.failure(s, "HTTP 500");
    assertFalse(third.state().healthy());
    assertTrue(third.changed());
    assertEquals(3, third.state().failures());

    HealthPolicy.Outcome fourth = policy.failure(third.state(), "HTTP 500");
    assertFalse(fourth.changed(), "already unhealthy");

    HealthPolicy.Outcome back = policy.success(fourth.state());
    assertTrue(back.state().healthy());
    assertTrue(back.changed());
    assertEquals(null, back.state().reason());
  }

  @Test
  void aDownClusterIsProbedWithExponentialBackOffUpToTheCap() {
    HealthPolicy.State s = HealthPolicy.State.initial(clock.instant());
    s = policy.failure(s, "x").state();
    assertEquals(clock.instant().plusSeconds(10), s.nextProbe());
    s = policy.failure(s, "x").state();
    s = policy.failure(s, "x").state(); // unhealthy now: 10 s
    assertEquals(clock.instant().plusSeconds(10), s.nextProbe());
    s = policy.failure(s, "x").state(); // 20 s
    assertEquals(clock.instant().plusSeconds(20), s.nextProbe());
    s = policy.failure(s, "x").state(); // 40 s
    assertEquals(clock.instant().plusSeconds(40), s.nextProbe());
    s = policy.failure(s, "x").state(); // capped at 60 s
    assertEquals(clock.instant().plusSeconds(60), s.nextProbe());

    assertFalse(policy.due(s));
    clock.advance(Duration.ofSeconds(59));
    assertFalse(policy.due(s));
    clock.advance(Duration.ofSeconds(1));
    assertTrue(policy.due(s));

    HealthPolicy.State healthy = policy.success(s).state();
    assertEquals(clock.instant().plusSeconds(10), healthy.nextProbe());
  }

  @Test
  void impossibleSettingsAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new HealthPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(1), clock));
    assertThrows(
        IllegalArgumentException.class,
        () -> new HealthPolicy(1, Duration.ZERO, Duration.ofSeconds(1), clock));
  }
}
