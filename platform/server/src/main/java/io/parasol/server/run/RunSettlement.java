package io.parasol.server.run;

import io.parasol.server.billing.BillingService;
import io.parasol.server.billing.BillingViews.RunUsage;
import io.parasol.server.common.WakeableLoop;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Settles ended runs: hands each run's usage to billing and marks the run settled, in one
 * transaction. It looks whenever a run ends and every second besides, so that a run whose end was
 * recorded just before a crash is settled after the restart; billing's idempotency key makes a
 * second settlement of the same run impossible.
 */
@ApplicationScoped
public class RunSettlement {

  private static final Logger LOG = Logger.getLogger(RunSettlement.class);

  private final BillingService billing;
  private final boolean enabled;
  private final WakeableLoop loop =
      new WakeableLoop("parasol-settlement", Duration.ofSeconds(1), this::settleEnded);

  RunSettlement(
      BillingService billing,
      @ConfigProperty(name = "parasol.billing.settlement.enabled", defaultValue = "true")
          boolean enabled) {
    this.billing = billing;
    this.enabled = enabled;
  }

  /** Asks for a look at ended, unsettled runs now. */
  public void wake() {
    loop.wake();
  }

  void start(@Observes @Priority(60) StartupEvent event) {
    if (!enabled) {
      LOG.warn("settlement is paused (parasol.billing.settlement.enabled=false): ended runs wait");
      return;
    }
    loop.start();
  }

  void stop(@Observes ShutdownEvent event) {
    loop.stop();
  }

  /** Settles every ended run that is not settled yet; returns how many it settled. */
  int settleEnded() {
    List<UUID> ended =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    Run.<Run>find(
                            "settledAt is null and state in ?1 order by finishedAt",
                            List.of(
                                RunState.SUCCEEDED,
                                RunState.FAILED,
                                RunState.CANCELLED,
                                RunState.TIMED_OUT))
                        .page(0, 200)
                        .list()
                        .stream()
                        .map(r -> r.id)
                        .toList());
    int settled = 0;
    for (UUID id : ended) {
      try {
        if (settle(id)) {
          settled++;
        }
      } catch (RuntimeException e) {
        LOG.errorf(e, "settling run %s failed; will retry", id);
      }
    }
    return settled;
  }

  private boolean settle(UUID id) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Run run = Run.findById(id, LockModeType.PESSIMISTIC_WRITE);
              if (run == null || run.settledAt != null || !run.state.isTerminal()) {
                return false;
              }
              Instant end = run.finishedAt == null ? Instant.now() : run.finishedAt;
              billing.settle(
                  new RunUsage(
                      run.id,
                      run.org,
                      run.appId,
                      run.vendorOrg == null ? "unknown" : run.vendorOrg,
                      run.partitionName,
                      run.cores,
                      run.acceleratorCount,
                      run.scheduledAt,
                      end,
                      run.startedAt != null));
              run.settledAt = Instant.now();
              return true;
            });
  }
}
