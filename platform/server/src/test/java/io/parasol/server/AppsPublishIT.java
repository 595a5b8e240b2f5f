package io.parasol.server;

import static io.parasol.server.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The vendor's path for every app this build makes, against the packaged server with no examples
 * published: the ISV uploads the jar, the sandbox verifies it, the ISV submits it, an admin
 * approves it, an engineer runs it with its defaults. A derived app uploaded before its base is
 * refused, and accepted once the base is published.
 */
class AppsPublishIT {

  static final int PORT = 18_185;
  static final Path DATA = Path.of("target/apps-publish-it-data").toAbsolutePath();
  static final Path JARS = Path.of("target/classes/parasol/examples");

  static Process server;

  @BeforeAll
  static void start() throws IOException {
    PackagedServer.deleteTree(DATA);
    RestAssured.port = PORT;
    server =
        PackagedServer.start(
            PORT,
            DATA,
            Map.of("PARASOL_EXAMPLES_PUBLISH_ON_START", "false"),
            "target/apps-publish-it-server.log");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      PackagedServer.kill(server, true);
    }
  }

  static JsonPath upload(String jar) {
    String id = Api.upload("ivy", JARS.resolve(jar).toFile());
    return Api.awaitVerified("ivy", id);
  }

  static void publish(JsonPath verified) {
    String id = verified.getString("id");
    assertEquals("VERIFIED", verified.getString("status"), verified.prettify());
    as("ivy").post("/api/v1/plugins/" + id + "/submit").then().statusCode(200);
    as("admin").post("/api/v1/plugins/" + id + "/approve").then().statusCode(200);
  }

  static void runs(String appId, Map<String, Object> inputs, String output) {
    String run = Api.launch("alice", Map.of("appId", appId, "inputs", inputs));
    JsonPath done = Api.awaitEnd("alice", run);
    assertEquals("SUCCEEDED", done.getString("state"), done.prettify());
    List<String> outputs =
        as("alice")
            .get("/api/v1/runs/" + run + "/outputs")
            .then()
            .extract()
            .jsonPath()
            .getList("name");
    assertTrue(outputs.contains(output), appId + ": " + outputs);
  }

  @Test
  void everyAppIsUploadedVerifiedApprovedAndRun() {
    as("alice")
        .get("/api/v1/apps")
        .then()
        .statusCode(200)
        .body("total", org.hamcrest.Matchers.equalTo(0));

    JsonPath early = upload("heat-transfer-gpu.jar");
    assertEquals("VERIFICATION_FAILED", early.getString("status"));
    assertEquals(
        "this app builds on heat-transfer, which is not published on this platform; publish"
            + " heat-transfer first",
        early.getString("report.checks.find { it.name == 'dependencies' }.message"));

    for (String jar : List.of("heat-transfer.jar", "cavity-flow.jar", "truss-fea.jar")) {
      publish(upload(jar));
    }
    JsonPath derived = upload("heat-transfer-gpu.jar");
    assertEquals(
        "builds on heat-transfer 1.0.0",
        derived.getString("report.checks.find { it.name == 'dependencies' }.message"),
        derived.prettify());
    publish(derived);

    runs("heat-transfer", Map.of("nx", 21, "ny", 21, "duration", 5), "heatmap.png");
    runs("cavity-flow", Map.of("cells", 32), "speed.png");
    runs("truss-fea", Map.of(), "deformed.png");
    runs("heat-transfer-gpu", Map.of("accelerator", "none", "nx", 21, "ny", 21), "heatmap.png");
  }
}
