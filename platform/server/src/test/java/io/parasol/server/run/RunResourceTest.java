package io.parasol.server.run;

import static io.parasol.server.Api.as;
import static io.parasol.server.Api.launch;
import static io.parasol.server.Api.misbehave;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parasol.server.Api;
import io.parasol.server.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RunResourceTest {

  @BeforeEach
  void apps() {
    Fixtures.heatTransferPublished();
    Fixtures.misbehavingAppPublished();
  }

  @Test
  void aHeatTransferRunSucceedsAndItsOutputsDownload() throws IOException {
    String sha = as("alice").get("/api/v1/apps/heat-transfer").then().extract().path("jarSha256");
    String id =
        launch(
            "alice",
            Map.of("appId", "heat-transfer", "inputs", Map.of("nx", 21, "ny", 11, "duration", 10)));

    JsonPath run = Api.awaitEnd("alice", id);
    assertEquals("SUCCEEDED", run.getString("state"), run.prettify());
    assertEquals(sha, run.getString("jarSha256"));
    assertEquals("1.0.0", run.getString("appVersion"));
    assertEquals(
        List.of("QUEUED", "SCHEDULED", "RUNNING", "SUCCEEDED"), run.getList("transitions.to"));
    assertEquals(1.0, run.getDouble("progress"));
    assertNotNull(run.getString("startedAt"));
    assertEquals(21, run.getInt("inputs.nx"));
    assertEquals("aluminium", run.getString("inputs.material"));

    as("alice")
        .get("/api/v1/runs/" + id + "/outputs")
        .then()
        .statusCode(200)
        .body("name", hasItems("temperature.csv", "heatmap.png", "summary.json"));
    String csv =
        as("alice")
            .get("/api/v1/runs/" + id + "/outputs/temperature.csv")
            .then()
            .statusCode(200)
            .contentType("text/csv")
            .extract()
            .asString();
    List<String> lines = csv.lines().toList();
    assertEquals("x_m,y_m,temperature_c", lines.get(0));
    assertEquals(1 + 21 * 11, lines.size());
    byte[] png =
        as("alice")
            .get("/api/v1/runs/" + id + "/outputs/heatmap.png")
            .then()
            .statusCode(200)
            .contentType("image/png")
            .extract()
            .asByteArray();
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertTrue(image.getWidth() > 100, "heat map width " + image.getWidth());
    double centre =
        as("alice")
            .get("/api/v1/runs/" + id + "/outputs/summary.json")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getDouble("centreTemperatureC");
    assertTrue(centre > 20 && centre < 100, "centre " + centre);
    as("alice")
        .get("/api/v1/runs/" + id + "/logs")
        .then()
        .statusCode(200)
        .body(containsString("done: centre"));
    as("alice").get("/api/v1/runs/" + id + "/outputs/..%2Fspec.json").then().statusCode(404);
    as("alice")
        .get("/api/v1/runs?state=SUCCEEDED")
        .then()
        .statusCode(200)
        .body("items.id", hasItem(id));
  }

  @Test
  void badInputsAreRefusedFieldByField() {
    as("alice")
        .contentType("application/json")
        .body(
            Map.of(
                "appId",
                "heat-transfer",
                "inputs",
                Map.of(
                    "nx",
                    "many",
                    "length",
                    -1,
                    "material",
                    "unobtainium",
                    "cores",
                    99,
                    "colour",
                    "red")))
        .post("/api/v1/runs")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body(
            "errors.field",
            hasItems(
                "inputs.nx", "inputs.length", "inputs.material", "inputs.cores", "inputs.colour"))
        .body("errors.find { it.field == 'inputs.length' }.message", containsString("at least"));
    as("alice")
        .contentType("application/json")
        .body(Map.of("inputs", Map.of()))
        .post("/api/v1/runs")
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("appId"));
    as("alice")
        .contentType("application/json")
        .body(Map.of("appId", "no-such-app"))
        .post("/api/v1/runs")
        .then()
        .statusCode(422);
    as("alice")
        .contentType("application/json")
        .body("{\"appId\": ")
        .post("/api/v1/runs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    as("alice")
        .contentType("application/json")
        .body(Map.of("appId", "heat-transfer", "version", "0.0.1"))
        .post("/api/v1/runs")
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("version"));
    // A custom material needs its hidden fields; they appear when the condition holds.
    as("alice")
        .contentType("application/json")
        .body(
            Map.of(
                "appId",
                "heat-transfer",
                "inputs",
                Map.of("material", "custom", "conductivity", -5)))
        .post("/api/v1/runs")
        .then()
        .statusCode(422)
        .body("errors.field", equalTo(List.of("inputs.conductivity")));
  }

  @Test
  void aRetryWithTheSameIdempotencyKeyReturnsTheSameRun() {
    Map<String, Object> body = Api.TRIVIAL_HEAT;
    String key = "retry-" + System.nanoTime();
    String first =
        as("alice")
            .header("Idempotency-Key", key)
            .contentType("application/json")
            .body(body)
            .post("/api/v1/runs")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    String second =
        as("alice")
            .header("Idempotency-Key", key)
            .contentType("application/json")
            .body(body)
            .post("/api/v1/runs")
            .then()
            .statusCode(200)
            .extract()
            .path("id");
    assertEquals(first, second);
    as("alice")
        .header("Idempotency-Key", key)
        .contentType("application/json")
        .body(Map.of("appId", "heat-transfer", "inputs", Map.of("nx", 13)))
        .post("/api/v1/runs")
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("Idempotency-Key"));
    // Keys are per org: bob's identical key is another run.
    String bobs =
        as("bob")
            .header("Idempotency-Key", key)
            .contentType("application/json")
            .body(body)
            .post("/api/v1/runs")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    assertFalse(bobs.equals(first));
    Api.awaitEnd("alice", first);
    Api.awaitEnd("bob", bobs);
  }

  @Test
  void aRunningRunCanBeCancelledOnce() {
    String id = misbehave("sleep", Map.of("seconds", 60));
    Api.awaitState("alice", id, "RUNNING");
    as("alice")
        .post("/api/v1/runs/" + id + "/cancel")
        .then()
        .statusCode(200)
        .body("state", equalTo("CANCELLED"))
        .body("reason", containsString("alice"));
    as("alice").post("/api/v1/runs/" + id + "/cancel").then().statusCode(409);
  }

  @Test
  void misbehavingSolversEndWithTheReason() throws IOException {
    Path escape = Path.of("/tmp/parasol-run-escape.txt");
    Files.deleteIfExists(escape);
    String marker = "m" + System.nanoTime();
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put(misbehave("exit", Map.of()), "FAILED:exited with code 3");
    expected.put(misbehave("loop", Map.of("wallTimeMinutes", 0.05)), "TIMED_OUT:wall-time limit");
    expected.put(misbehave("allocate", Map.of()), "FAILED:out of memory");
    expected.put(misbehave("flood", Map.of()), "FAILED:standard output");
    // the sandbox's environment holds nothing but PATH, LANG, HOME, TMPDIR, USER and PWD
    expected.put(misbehave("env", Map.of()), "SUCCEEDED:finished");
    // /tmp inside is the run's own: the host's /tmp is untouched
    expected.put(misbehave("escape", Map.of("target", escape.toString())), "SUCCEEDED:finished");
    expected.put(
        misbehave("escape", Map.of("target", "/usr/parasol-escape.txt")),
        "FAILED:Read-only file system");
    expected.put(misbehave("fail", Map.of()), "FAILED:always fails");
    expected.put(misbehave("forkbomb", Map.of()), "FAILED:processes and threads");
    expected.put(misbehave("threads", Map.of()), "FAILED:processes and threads");
    expected.put(misbehave("memorybomb", Map.of()), "FAILED:out of memory");
    expected.put(misbehave("outlive", Map.of("target", marker)), "SUCCEEDED:finished");
    expected.put(misbehave("hold-shutdown", Map.of()), "SUCCEEDED:finished");
    expected.forEach(
        (id, outcome) -> {
          JsonPath run = Api.awaitEnd("alice", id);
          String[] parts = outcome.split(":", 2);
          assertEquals(parts[0], run.getString("state"), run.prettify());
          assertTrue(
              run.getString("reason").contains(parts[1]), "reason: " + run.getString("reason"));
        });
    assertFalse(Files.exists(escape), "a solver wrote outside its work directory");
    assertFalse(Files.exists(Path.of("/usr/parasol-escape.txt")));
    assertTrue(
        ProcessHandle.allProcesses()
            .noneMatch(
                p ->
                    p.info()
                        .commandLine()
                        .map(c -> c.contains("parasol-outlive-" + marker))
                        .orElse(false)),
        "a process of a run outlived it");
    io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200);
  }

  @Test
  void aHostileSolverGetsNothingOutOfTheSandbox() {
    Path data = Path.of("target/test-data").toAbsolutePath();
    int port = io.restassured.RestAssured.port;
    String id =
        misbehave(
            "attack",
            Map.of(
                "target",
                String.join(
                    ",",
                    data.toString(),
                    data.resolve("runs").toString(),
                    Path.of(System.getProperty("user.home"), ".m2").toString(),
                    "/proc/" + ProcessHandle.current().pid() + "/environ"),
                "ports",
                "5432," + port));
    JsonPath run = Api.awaitEnd("alice", id);
    assertEquals("SUCCEEDED", run.getString("state"), run.prettify());
    String report =
        as("alice")
            .get("/api/v1/runs/" + id + "/outputs/attacks.txt")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertFalse(report.contains("OPEN"), report);
    assertTrue(report.contains("BLOCKED connect 127.0.0.1:5432"), report);
    assertTrue(report.contains("BLOCKED ptrace"), report);
    // symbolic links among the outputs are not taken
    List<String> outputs =
        as("alice")
            .get("/api/v1/runs/" + id + "/outputs")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("name");
    assertFalse(outputs.contains("passwd.txt"), String.valueOf(outputs));
    assertTrue(outputs.contains("attacks.txt"), String.valueOf(outputs));
    io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200);
  }

  @Test
  void fileInputsComeFromTheWorkspace() {
    String name = "data-" + System.nanoTime() + ".txt";
    as("alice")
        .multiPart("file", name, "hello parasol".getBytes())
        .post("/api/v1/files")
        .then()
        .statusCode(201);
    String id = misbehave("ok", Map.of("data", name));
    JsonPath run = Api.awaitEnd("alice", id);
    assertEquals("SUCCEEDED", run.getString("state"), run.prettify());
    assertEquals(name, run.getString("inputFiles.data"));
    as("alice")
        .get("/api/v1/runs/" + id + "/outputs/data-copy.txt")
        .then()
        .statusCode(200)
        .body(equalTo("hello parasol"));

    as("alice")
        .contentType("application/json")
        .body(
            Map.of(
                "appId",
                "misbehaving-app",
                "version",
                "1.0.0",
                "inputs",
                Map.of("data", "missing.txt")))
        .post("/api/v1/runs")
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("inputs.data"));
    // bob's workspace does not have alice's file
    as("bob")
        .contentType("application/json")
        .body(
            Map.of("appId", "misbehaving-app", "version", "1.0.0", "inputs", Map.of("data", name)))
        .post("/api/v1/runs")
        .then()
        .statusCode(422);
  }

  @Test
  void theRunTokenWorksOnlyForItsRunAndOnlyWhileItRuns() throws IOException {
    String id = misbehave("ok", Map.of());
    Api.awaitEnd("alice", id);
    String token = runToken(id);
    String events = "[{\"type\":\"PROGRESS\",\"progress\":0.5}]";
    reportEvents(id, token, events).statusCode(401);
    io.restassured.RestAssured.given()
        .header("Authorization", "Bearer not-a-token")
        .contentType("application/json")
        .body(events)
        .post("/api/v1/worker/runs/" + id + "/events")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    as("alice").get("/api/v1/runs/" + id).then().body("progress", equalTo(1.0f));
  }

  @Test
  void anExpiredRunTokenIsRefusedWhileTheRunGoesOn() throws IOException {
    String id = misbehave("sleep", Map.of("seconds", 30));
    Api.awaitState("alice", id, "RUNNING");
    String token = runToken(id);
    String events = "[{\"type\":\"PROGRESS\",\"progress\":0.25,\"message\":\"from the test\"}]";
    reportEvents(id, token, events).statusCode(200);
    io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Run run =
                  Run.findById(
                      java.util.UUID.fromString(id),
                      jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
              run.tokenExpiresAt = java.time.Instant.now().minusSeconds(1);
            });
    reportEvents(id, token, events).statusCode(401);
    as("alice").post("/api/v1/runs/" + id + "/cancel").then().statusCode(200);
  }

  /** The run-scoped token the server gave the run's worker (it is in the run's spec file). */
  static String runToken(String id) throws IOException {
    return JsonPath.from(Files.readString(Path.of("target/test-data/runs", id, "spec.json")))
        .getString("token");
  }

  /** Reports events for a run as its worker would, with the given bearer token. */
  static io.restassured.response.ValidatableResponse reportEvents(
      String id, String token, String events) {
    return io.restassured.RestAssured.given()
        .header("Authorization", "Bearer " + token)
        .contentType("application/json")
        .body(events)
        .post("/api/v1/worker/runs/" + id + "/events")
        .then();
  }
}
