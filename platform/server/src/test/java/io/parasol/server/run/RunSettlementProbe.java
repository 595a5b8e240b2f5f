package io.parasol.server.run;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;

/** Lets billing tests reach into run settlement: lose a settlement mark, settle now. */
@ApplicationScoped
public class RunSettlementProbe {

  @Inject RunSettlement settlement;

  /** Forgets that a run was settled, as a crash after the charge but before the mark would. */
  public void forget(UUID runId) {
    Run run = Run.findById(runId);
    run.settledAt = null;
  }

  public int settleNow() {
    return settlement.settleEnded();
  }
}
