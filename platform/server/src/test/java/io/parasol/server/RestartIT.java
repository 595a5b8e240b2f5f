package io.parasol.server;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
  static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

  static Process server;

  @BeforeAll
  static void start() throws IOException {
    delete(DATA);
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
            .anyMatch(r -> r.toString().contains("queued again")));
  }

  private static Process startServer() throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(new File("target/restart-it-server.log")));
    builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(PORT));
    builder.environment().put("PARASOL_DATA_DIR", DATA.toString());
    Process process = builder.start();
    try {
      Api.poll(
          Duration.ofSeconds(60),
          () -> {
            if (!process.isAlive()) {
              throw new IllegalStateException(
                  "the server exited; see target/restart-it-server.log");
            }
            try {
              return given().get("/q/health/ready").statusCode();
            } catch (Exception e) { // connection refused while it starts
              return -1;
            }
          },
          code -> code == 200,
          "the server to be ready");
    } catch (RuntimeException | AssertionError e) {
      process.destroyForcibly();
      throw e;
    }
    return process;
  }

  private static void kill(Process process, boolean withWorkers) throws InterruptedException {
    if (withWorkers) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
    }
    process.destroyForcibly();
    process.waitFor();
  }

  private static void delete(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
