package io.parasol.server.publishing;

import static io.parasol.server.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parasol.server.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every bundled example app goes through the same pipeline as a vendor's upload (verification in
 * the sandboxed worker, publication) and runs with its defaults through the server.
 */
@QuarkusTest
class ExampleAppsTest {

  static JsonPath published(String appId) {
    return Api.poll(
        Duration.ofSeconds(90),
        () -> as("alice").get("/api/v1/apps/" + appId).then().extract().jsonPath(),
        app -> appId.equals(app.getString("id")),
        appId + " in the catalog");
  }

  @Test
  void cavityFlowIsPublishedAndRunsWithItsDefaults() {
    JsonPath app = published("cavity-flow");
    assertEquals("CFD", app.getString("industry"));
    String id = Api.launch("alice", Map.of("appId", "cavity-flow", "inputs", Map.of("cells", 32)));
    JsonPath run = Api.awaitEnd("alice", id);
    assertEquals("SUCCEEDED", run.getString("state"), run.prettify());
    assertEquals(100.0, run.getDouble("inputs.reynolds"));
    List<String> outputs =
        as("alice")
            .get("/api/v1/runs/" + id + "/outputs")
            .then()
            .extract()
            .jsonPath()
            .getList("name");
    assertEquals(List.of("centreline.csv", "field.csv", "speed.png", "summary.json"), outputs);
    String summary = as("alice").get("/api/v1/runs/" + id + "/outputs/summary.json").asString();
    assertTrue(summary.contains("\"converged\": true"), summary);
    String log = as("alice").get("/api/v1/runs/" + id + "/logs").asString();
    assertTrue(log.contains("done: ") && log.contains("primary vortex"), log);
  }
}
