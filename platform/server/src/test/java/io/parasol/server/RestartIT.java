package io.parasol.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kills the packaged server (SIGKILL) in the middle of a run and starts it again on the same data
 * directory: a worker that survived is adopted and its run finishes; a run whose worker died too is
 * queued again and finishes. No run is lost.
 */
class RestartIT {

  static final int PORT = 18_181;
  static final Path DATA = Path.of("target/restart-it-data").toAbsolutePath();

  static Process server;

  @BeforeAll
  static void start() throws IOException {
    PackagedServer.deleteTree(DATA);
    RestAssured.port = PORT;
    server = startServer();
    Fixtures.misbehavingAppPublished();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.descendants().forEach(ProcessHandle::destroyForcibly);
      server.destroyForcibly();
    }
  }

  @Test
  void aSurvivingWorkerIsAdoptedAfterARestart() throws Exception {
    String id = Api.misbehave("sleep", Map.of("seconds", 6));
    Api.awaitState("alice", id, "RUNNING");
    List<ProcessHandle> workers = server.descendants().toList();
    assertFalse(workers.isEmpty(), "the run's worker should be a child of the server");

    kill(server, false);
    assertTrue(workers.stream().anyMatch(ProcessHandle::isAlive), "the worker outlives the server");
    server = startServer();

    JsonPath run = Api.awaitEnd("alice", id);
    assertEquals("SUCCEEDED", run.getString("state"), run.prettify());
    assertEquals(1, run.getInt("attempt"), "the surviving worker was adopted, not restarted");
  }

  @Test
  void aRunWhoseWorkerDiedWithTheServerIsQueuedAgain() throws Exception {
    String id = Api.misbehave("sleep", Map.of("seconds", 3));
    Api.awaitState("alice", id, "RUNNING");

    kill(server, true);
    server = startServer();

    JsonPath run = Api.awaitEnd("alice", id);
    assertEquals("SUCCEEDED", run.getString("state"), run.prettify());
    assertEquals(2, run.getInt("attempt"));
    assertTrue(
        run.getList("transitions.reason").stream()
            .anyMatch(
                r ->
                    r.toString().startsWith("attempt 1 was lost: the server restarted: job ")
                        && r.toString().endsWith(" is gone from cluster local; resubmitted")),
        run.prettify());
  }

  @Test
  void aRunThatEndedBeforeACrashIsSettledOnceAfterTheRestart() throws Exception {
    kill(server, true);
    server =
        PackagedServer.start(
            PORT,
            DATA,
            Map.of("PARASOL_BILLING_SETTLEMENT_ENABLED", "false"),
            "target/restart-it-server.log");
    String id = Api.launch("alice", Api.TRIVIAL_HEAT);
    assertEquals("SUCCEEDED", Api.awaitEnd("alice", id).getString("state"));
    Thread.sleep(1_500);
    Object settledAt = Api.as("alice").get("/api/v1/runs/" + id).then().extract().path("settledAt");
    assertNull(settledAt, "settlement is paused, so the run must wait");

    kill(server, false);
    server = startServer();

    Api.assertSettledOnce(List.of(id));
  }

  private static Process startServer() throws IOException {
    return PackagedServer.start(PORT, DATA, Map.of(), "target/restart-it-server.log");
  }

  private static void kill(Process process, boolean withWorkers) throws InterruptedException {
    PackagedServer.kill(process, withWorkers);
  }
}
