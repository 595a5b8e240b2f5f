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

  @Test
  void trussFeaAnalysesAnUploadedModelFile() {
    published("truss-fea");
    String file = "bridge-" + System.nanoTime() + ".csv";
    as("alice")
        .multiPart(
            "file",
            file,
            ("node,a,0,0\nnode,b,3,4\nnode,c,6,0\nbar,ab,a,b,2e11,1e-3\nbar,bc,b,c,2e11,1e-3\n"
                    + "bar,ac,a,c,2e11,1e-3\nsupport,a,xy\nsupport,c,y\nload,b,0,-10000\n")
                .getBytes())
        .post("/api/v1/files")
        .then()
        .statusCode(201);
    String id =
        Api.launch(
            "alice",
            Map.of("appId", "truss-fea", "inputs", Map.of("source", "file", "modelFile", file)));
    JsonPath run = Api.awaitEnd("alice", id);
    assertEquals("SUCCEEDED", run.getString("state"), run.prettify());
    String bars = as("alice").get("/api/v1/runs/" + id + "/outputs/bars.csv").asString();
    // Each inclined bar carries P/(2 sin θ) = 10 kN / (2 · 0.8) in compression; the tie 3.75 kN.
    assertTrue(bars.contains("ab,a,b,5.00000,-6.250000e+03,"), bars);
    assertTrue(bars.contains("ac,a,c,6.00000,3.750000e+03,"), bars);
  }

  @Test
  void aDerivedAppRunsOnItsBaseAndAsksForAGpu() {
    JsonPath app = published("heat-transfer-gpu");
    assertEquals(
        "gpu:any:1",
        app.getString("platformFields.find { it.id == 'accelerator' }.defaultValue"),
        app.prettify());
    // The embedded default has no GPU: placement says so.
    as("alice")
        .contentType("application/json")
        .body(Map.of("appId", "heat-transfer-gpu", "inputs", Map.of()))
        .post("/api/v1/runs")
        .then()
        .statusCode(422)
        .body(org.hamcrest.Matchers.containsString("local has no GPU"));
    String id =
        Api.launch(
            "alice",
            Map.of(
                "appId",
                "heat-transfer-gpu",
                "inputs",
                Map.of("accelerator", "none", "nx", 21, "ny", 21, "duration", 1)));
    JsonPath run = Api.awaitEnd("alice", id);
    assertEquals("SUCCEEDED", run.getString("state"), run.prettify());
    assertEquals("copper", run.getString("inputs.material"), "the derived app's preset");
    List<String> outputs =
        as("alice")
            .get("/api/v1/runs/" + id + "/outputs")
            .then()
            .extract()
            .jsonPath()
            .getList("name");
    assertTrue(outputs.contains("heatmap.png"), outputs.toString());
  }

  @Test
  void aDerivedAppWhoseBaseIsNotPublishedIsRefused(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws java.io.IOException {
    String plugin =
        Api.upload(
            "victor",
            io.parasol.server.PluginJars.variant(
                    tmp, "ok", "7.0.0", Map.of("Plugin-Dependencies", "no-such-base@>=1.0.0"))
                .toFile());
    JsonPath verified = Api.awaitVerified("victor", plugin);
    assertEquals("VERIFICATION_FAILED", verified.getString("status"));
    assertEquals(
        "this app builds on no-such-base, which is not published on this platform; publish"
            + " no-such-base first",
        verified.getString("report.checks.find { it.name == 'dependencies' }.message"),
        verified.prettify());
  }
}
