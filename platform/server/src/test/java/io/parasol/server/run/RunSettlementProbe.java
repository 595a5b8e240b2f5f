package io.parasol.server.run;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;

/** Lets billing tests reach into run settlement: lose a settlement mark, settle now. */
@ApplicationScoped
public class RunSettlementProbe {

  @Inject RunSettlement settlement;

  /**
   * Forgets that a run was settled, as a crash after the charge but before the mark would: one
   * statement, so that a late update of the ended run (its worker's last report) does not make the
   * test's own transaction fail on the run's version.
   */
  public void forget(UUID runId) {
    Run.update("settledAt = null where id = ?1", runId);
  }

  public int settleNow() {
    return settlement.settleEnded();
  }
}
