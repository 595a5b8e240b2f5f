package io.parasol.server;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.fail;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** REST Assured helpers: the demo users, uploads, and waiting for asynchronous states. */
public final class Api {

  public static final Set<String> TERMINAL =
      Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");

  private Api() {}

  /** A request as a demo user (password = name). */
  public static RequestSpecification as(String user) {
    return given().auth().preemptive().basic(user, user);
  }

  /** Inputs of a trivial heat-transfer run: a tiny grid, one simulated second. */
  public static final Map<String, Object> TRIVIAL_HEAT =
      Map.of("appId", "heat-transfer", "inputs", Map.of("nx", 11, "ny", 11, "duration", 1));

  /** Launches a run as {@code user}, expects 201 and returns the run id. */
  public static String launch(String user, Map<String, Object> body) {
    return as(user)
        .contentType("application/json")
        .body(body)
        .post("/api/v1/runs")
        .then()
        .log()
        .ifValidationFails()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** Launches a run of the test plugin doing {@code behaviour}, as alice. */
  public static String misbehave(String behaviour, Map<String, Object> moreInputs) {
    Map<String, Object> inputs = new java.util.HashMap<>(moreInputs);
    inputs.put("behaviour", behaviour);
    return launch(
        "alice", Map.of("appId", "misbehaving-app", "version", "1.0.0", "inputs", inputs));
  }

  /** Uploads a plugin jar as an ISV and returns the upload id. */
  public static String upload(String user, File jar) {
    return as(user)
        .multiPart("file", jar, "application/java-archive")
        .post("/api/v1/plugins")
        .then()
        .statusCode(202)
        .extract()
        .path("id");
  }

  /** Waits until a plugin leaves VERIFYING and returns its JSON. */
  public static JsonPath awaitVerified(String user, String pluginId) {
    return poll(
        Duration.ofSeconds(90),
        () ->
            as(user).get("/api/v1/plugins/" + pluginId).then().statusCode(200).extract().jsonPath(),
        json -> !"VERIFYING".equals(json.getString("status")),
        "plugin " + pluginId + " to finish verification");
  }

  /** Waits until a run ends and returns its JSON. */
  public static JsonPath awaitEnd(String user, String runId) {
    return poll(
        Duration.ofSeconds(90),
        () -> as(user).get("/api/v1/runs/" + runId).then().statusCode(200).extract().jsonPath(),
        json -> TERMINAL.contains(json.getString("state")),
        "run " + runId + " to end");
  }

  /** Waits until a run is in the given state. */
  public static JsonPath awaitState(String user, String runId, String state) {
    return poll(
        Duration.ofSeconds(60),
        () -> as(user).get("/api/v1/runs/" + runId).then().statusCode(200).extract().jsonPath(),
        json -> state.equals(json.getString("state")) || TERMINAL.contains(json.getString("state")),
        "run " + runId + " to be " + state);
  }

  /**
   * Waits until each run is settled and asserts each has exactly one settlement in acme's ledger.
   */
  public static void assertSettledOnce(List<String> runIds) {
    for (String id : runIds) {
      poll(
          Duration.ofSeconds(30),
          () -> as("alice").get("/api/v1/runs/" + id).then().extract().path("settledAt"),
          settled -> settled != null,
          "run " + id + " to be settled");
    }
    List<String> settlements =
        as("alice")
            .get("/api/v1/accounts/acme/ledger?size=200")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("items.findAll { it.kind == 'SETTLEMENT' }.causeId");
    for (String id : runIds) {
      org.junit.jupiter.api.Assertions.assertEquals(
          1, settlements.stream().filter(id::equals).count(), "settlements of " + id);
    }
  }

  public static <T> T poll(
      Duration timeout,
      java.util.function.Supplier<T> probe,
      java.util.function.Predicate<T> done,
      String what) {
    long end = System.nanoTime() + timeout.toNanos();
    T last = null;
    while (System.nanoTime() < end) {
      last = probe.get();
      if (done.test(last)) {
        return last;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    fail(
        "timed out waiting for "
            + what
            + "; last seen: "
            + (last instanceof JsonPath j ? j.prettify() : last));
    return last;
  }
}
