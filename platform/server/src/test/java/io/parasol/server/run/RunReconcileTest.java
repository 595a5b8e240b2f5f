package io.parasol.server.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parasol.server.Api;
import io.parasol.server.Fixtures;
import io.parasol.server.compute.LocalBackend;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What start-up reconciliation does with runs a previous server process left in flight. */
@QuarkusTest
class RunReconcileTest {

  @Inject RunDispatcher dispatcher;
  @Inject LocalBackend local;

  @Test
  void aRunWhoseWorkerIsGoneIsQueuedAgainAndFinishes() throws Exception {
    Fixtures.heatTransferPublished();
    String id = Api.launch("alice", Api.TRIVIAL_HEAT);
    Api.awaitEnd("alice", id);
    Api.poll(
        Duration.ofSeconds(30),
        () -> local.isRunning(UUID.fromString(id)),
        running -> !running,
        "the worker to exit");

    // Put the run back as a crashed server would have left it: RUNNING, its worker dead.
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Run run =
                  Run.findById(
                      UUID.fromString(id), jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
              run.state = RunState.RUNNING;
              run.finishedAt = null;
              run.tokenHash = "0".repeat(64);
              run.workerPid = gone.pid();
              run.jobRef = Long.toString(gone.pid());
            });

    dispatcher.reconcileAll();
    dispatcher.wake();

    JsonPath run = Api.awaitEnd("alice", id);
    assertEquals("SUCCEEDED", run.getString("state"), run.prettify());
    assertEquals(2, run.getInt("attempt"));
    assertTrue(
        run.getList("transitions.reason").stream()
            .anyMatch(
                r ->
                    r.toString()
                        .equals(
                            "attempt 1 was lost: the server restarted: job "
                                + gone.pid()
                                + " is gone from cluster local; resubmitted")),
        run.prettify());
  }
}
