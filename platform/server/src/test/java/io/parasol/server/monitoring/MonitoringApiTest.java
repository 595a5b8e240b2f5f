package io.parasol.server.monitoring;

import static io.parasol.server.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parasol.server.Api;
import io.parasol.server.Fixtures;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Sample ingestion, the metrics API, findings from a worker's samples, the live stream, performance
 * models and the platform metrics; on H2 and again on PostgreSQL (the bulk {@code COPY} path).
 */
@QuarkusTest
@Tag("db")
class MonitoringApiTest {

  @TestHTTPResource("/")
  URL base;

  static String token(String id) throws IOException {
    return JsonPath.from(Files.readString(Path.of("target/test-data/runs", id, "spec.json")))
        .getString("token");
  }

  static ValidatableResponse samples(String id, String token, Object body) {
    return given()
        .header("Authorization", "Bearer " + token)
        .contentType("application/json")
        .body(body)
        .post("/api/v1/worker/runs/" + id + "/samples")
        .then();
  }

  static Map<String, Object> frame(Instant at, Map<String, Object> values) {
    return Map.of("at", at.toString(), "values", values);
  }

  @Test
  void aFinishedRunHasItsSampledSeries() {
    Fixtures.heatTransferPublished();
    String id =
        Api.launch(
            "alice",
            Map.of(
                "appId", "heat-transfer", "inputs", Map.of("nx", 81, "ny", 81, "duration", 120)));
    assertEquals("SUCCEEDED", Api.awaitEnd("alice", id).getString("state"));
    // Written within a flush interval of arriving.
    JsonPath all =
        Api.poll(
            Duration.ofSeconds(10),
            () ->
                as("alice")
                    .get("/api/v1/runs/" + id + "/metrics")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath(),
            j -> j.getList("series.name").contains("cpu_utilisation"),
            "the run's series");
    List<String> names = all.getList("series.name");
    assertTrue(
        names.containsAll(
            List.of(
                "cpu_utilisation",
                "memory_used_bytes",
                "memory_limit_bytes",
                "threads",
                "progress",
                "problem_size")),
        names.toString());
    int step = all.getInt("stepSeconds");
    assertTrue(step >= 1, "step " + step);
    List<Float> cpu = all.getList("series.find { it.name == 'cpu_utilisation' }.points.value");
    assertTrue(!cpu.isEmpty() && cpu.stream().allMatch(v -> v != null && v >= 0), cpu.toString());
    // A CPU-only run on a machine without nvidia-smi has no GPU series (nothing invented).
    assertTrue(!names.contains("gpu_utilisation"), names.toString());

    // A chosen series, at a coarser step.
    JsonPath coarse =
        as("alice")
            .get("/api/v1/runs/" + id + "/metrics?names=problem_size,nothing_here&step=60")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals(List.of("problem_size", "nothing_here"), coarse.getList("series.name"));
    assertEquals(List.of(true, false), coarse.getList("series.available"));
    assertEquals(List.of(), coarse.getList("series[1].points"));
    assertTrue(coarse.getDouble("series[0].points[0].value") > 41 * 41, coarse.prettify());

    for (String bad :
        List.of(
            "step=0",
            "step=99999999",
            "from=yesterday",
            "names=Bad-Name",
            "from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")) {
      as("alice")
          .get("/api/v1/runs/" + id + "/metrics?" + bad)
          .then()
          .statusCode(422)
          .contentType("application/problem+json");
    }
    as("alice")
        .get(
            "/api/v1/runs/"
                + id
                + "/metrics?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&step=1")
        .then()
        .statusCode(422)
        .body("detail", containsString("at least"));

    // Another org's run is not found, for every monitoring read.
    for (String path : List.of("metrics", "findings", "performance", "metrics/stream")) {
      as("bob").get("/api/v1/runs/" + id + "/" + path).then().statusCode(404);
    }
  }

  @Test
  void workerSamplesAreCheckedAndRaiseAndClearFindings() throws Exception {
    ProbeSuiteTest.probePublished();
    String id = ProbeSuiteTest.probe("sleep", 120, 100);
    Api.awaitState("alice", id, "RUNNING");
    String token = token(id);
    Instant t = Instant.now().plusSeconds(60);

    samples(id, "not-the-token", List.of()).statusCode(401).contentType("application/problem+json");
    samples(id, token, "{\"not\":\"a list\"}").statusCode(400);
    samples(id, token, List.of(Map.of("values", Map.of("x", 1))))
        .statusCode(422)
        .body("errors.field", hasItem("frames[0].at"));
    samples(id, token, List.of(frame(t, Map.of("Bad Name", 1))))
        .statusCode(422)
        .body("errors.field", hasItem("frames[0].values"));
    samples(id, token, List.of(frame(t, Map.of("x", "many"))))
        .statusCode(400)
        .contentType("application/problem+json");
    samples(id, token, List.of(frame(Instant.now().plus(Duration.ofHours(1)), Map.of("x", 1))))
        .statusCode(422)
        .body("errors.field", hasItem("frames[0].at"));
    List<Map<String, Object>> tooMany = new ArrayList<>();
    for (int i = 0; i < 501; i++) {
      tooMany.add(frame(t, Map.of("x", i)));
    }
    samples(id, token, tooMany).statusCode(422).body("errors.field", hasItem("frames"));

    // Idle samples (after the worker's own, which come earlier): idle cores once two judgements in
    // a row find them, with a right-sized run.
    for (int i = 0; i < 5; i++) {
      samples(
              id,
              token,
              List.of(
                  Map.of(
                      "at", t.plusSeconds(i).toString(),
                      "values", Map.of("cpu_utilisation", 0.1, "probe_marker", 7.0),
                      "unavailable", List.of("gpu_utilisation"))))
          .statusCode(202);
    }
    JsonPath findings =
        Api.poll(
            Duration.ofSeconds(10),
            () ->
                as("alice")
                    .get("/api/v1/runs/" + id + "/findings")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath(),
            j -> j.getList("rule").contains("idle_cores"),
            "idle cores to be found");
    Map<String, Object> idle = findings.getMap("find { it.rule == 'idle_cores' }");
    assertNotNull(idle.get("firstSeen"));
    assertNull(idle.get("clearedAt"));
    assertEquals("high", idle.get("severity"));
    Map<String, Object> right = findings.getMap("find { it.rule == 'idle_cores' }.rightSized");
    assertEquals(1, right.get("cores"));
    assertTrue(
        ((Number) right.get("rightSizedCost")).doubleValue()
            < ((Number) right.get("currentCost")).doubleValue(),
        right.toString());

    // Busy again: cleared.
    for (int i = 5; i < 9; i++) {
      samples(id, token, List.of(frame(t.plusSeconds(i), Map.of("cpu_utilisation", 0.99))))
          .statusCode(202);
    }
    Api.poll(
        Duration.ofSeconds(10),
        () ->
            as("alice")
                .get("/api/v1/runs/" + id + "/findings")
                .then()
                .extract()
                .jsonPath()
                .getString("find { it.rule == 'idle_cores' }.clearedAt"),
        cleared -> cleared != null,
        "idle cores to clear");

    // The stored series: the unavailable metric is listed as such.
    JsonPath metrics =
        Api.poll(
            Duration.ofSeconds(10),
            () ->
                as("alice")
                    .get(
                        "/api/v1/runs/"
                            + id
                            + "/metrics?names=probe_marker,gpu_utilisation&from="
                            + t.minusSeconds(1)
                            + "&to="
                            + t.plusSeconds(10)
                            + "&step=1")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath(),
            j -> j.getList("series[0].points").size() == 5,
            "the samples to be stored");
    assertEquals(List.of(true, false), metrics.getList("series.available"));
    assertEquals(7.0f, metrics.getFloat("series[0].points[0].value"));

    // The live stream sends the run's new samples.
    String firstEvent = firstStreamEvent(id);
    assertTrue(
        firstEvent.contains("\"samples\"") || firstEvent.contains("\"findings\""), firstEvent);

    as("alice").post("/api/v1/runs/" + id + "/cancel").then().statusCode(200);
    Api.awaitEnd("alice", id);
    // The token check is cached (3 s in tests); after that the ended run's token is refused.
    Api.poll(
        Duration.ofSeconds(15),
        () ->
            samples(id, token, List.of(frame(Instant.now(), Map.of("x", 1))))
                .extract()
                .statusCode(),
        code -> code == 401,
        "the ended run's token to be refused");
  }

  String firstStreamEvent(String id) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(base.toString() + "api/v1/runs/" + id + "/metrics/stream"))
            .header("Accept", "text/event-stream")
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString("alice:alice".getBytes(StandardCharsets.UTF_8)))
            .timeout(Duration.ofSeconds(30))
            .build();
    HttpResponse<java.io.InputStream> response =
        http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, response.statusCode());
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("data:")) {
          return line;
        }
      }
    }
    return "";
  }

  @Test
  void anAppLearnsItsModelAndARunIsJudgedAgainstIt() {
    ProbeSuiteTest.probePublished();
    for (int work : new int[] {100, 200, 400}) {
      String id =
          Api.launch(
              "alice",
              Map.of(
                  "appId",
                  "probe-app",
                  "inputs",
                  Map.of(
                      "behaviour", "busy", "seconds", 1 + work / 200.0, "work", work, "cores", 1)));
      assertEquals("SUCCEEDED", Api.awaitEnd("alice", id).getString("state"));
    }
    JsonPath versions =
        as("ivy")
            .get("/api/v1/apps/probe-app/performance-model")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertTrue(versions.getInt("[0].version") >= 1, versions.prettify());
    assertTrue(versions.getInt("[0].model.runs") >= 3, versions.prettify());
    // Longer with more work: the size exponent is negative (rate falls as size grows).
    assertTrue(versions.getDouble("[0].model.sizeExponent") < 0, versions.prettify());
    as("alice").get("/api/v1/apps/Not An App/performance-model").then().statusCode(422);

    String id =
        Api.launch(
            "alice",
            Map.of(
                "appId",
                "probe-app",
                "inputs",
                Map.of("behaviour", "busy", "seconds", 2, "work", 150, "cores", 1)));
    Api.awaitEnd("alice", id);
    JsonPath performance =
        as("alice")
            .get("/api/v1/runs/" + id + "/performance")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals(150.0f, performance.getFloat("problemSize"));
    assertTrue(performance.getDouble("expectedRate") > 0, performance.prettify());
    assertNotNull(performance.get("modelVersion"));
  }

  @Test
  void platformMetricsArePublished() {
    Api.poll(
        Duration.ofSeconds(20),
        () -> given().get("/q/metrics").then().statusCode(200).extract().asString(),
        text -> text.contains("parasol_runs{"),
        "the run gauges");
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(
            org.hamcrest.Matchers.allOf(
                containsString("parasol_runs{state=\"QUEUED\"}"),
                containsString("parasol_monitoring_samples_total"),
                containsString("parasol_monitoring_samples_buffered")));
  }
}
