package io.parasol.server.scheduling;

import static io.parasol.server.Api.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.parasol.server.Api;
import io.parasol.server.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Placement v2 through the API: quotes with choices under each objective, org policies (regions,
 * quotas, priority) at launch and in the queue. A second partition, {@code quick-cpu}, is twice as
 * fast and five times dearer than {@code local}; its cluster answers health probes only (a
 * slurmrestd ping), so nothing is launched on it here.
 */
@QuarkusTest
@Tag("db")
class PlacementApiTest {

  private static int round;
  private String quick;
  private String cluster;
  private HttpServer slurmrestd;
  private Path key;

  @BeforeEach
  void quickPartition() throws IOException {
    Fixtures.heatTransferPublished();
    // a name of its own each time: a run another test left waiting may have moved onto the last one
    round++;
    quick = "quick-cpu-" + round;
    cluster = "quick-" + round;
    slurmrestd = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    slurmrestd.createContext(
        "/",
        exchange -> {
          boolean ping = exchange.getRequestURI().getPath().endsWith("/ping");
          byte[] body =
              (ping ? "{\"pings\":[{\"ping\":\"UP\"}],\"errors\":[]}" : "{\"errors\":[]}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(ping ? 200 : 500, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    slurmrestd.start();
    key = Files.createTempFile("jwt", ".key");
    Files.write(key, new byte[32]);
    post(
            "admin",
            "/api/v1/clusters",
            Map.of(
                "name",
                cluster,
                "region",
                "far",
                "site",
                "dc-far",
                "backend",
                "SLURM",
                "slurm",
                Map.of(
                    "restUrl",
                    "http://127.0.0.1:" + slurmrestd.getAddress().getPort(),
                    "user",
                    "parasol",
                    "jwtKeyFile",
                    key.toString())))
        .statusCode(201);
    post(
            "admin",
            "/api/v1/partitions",
            Map.of(
                "name",
                quick,
                "cluster",
                cluster,
                "nodeType",
                Map.of("cores", 64, "memoryMb", 256_000),
                "nodes",
                2,
                "ownership",
                "PURCHASED",
                "speed",
                2.0))
        .statusCode(201)
        .body("speed", equalTo(2.0f));
    post(
            "admin",
            "/api/v1/prices",
            Map.of("partition", quick, "resource", "CORE_HOUR", "unitPrice", "0.50"))
        .statusCode(201);
  }

  @AfterEach
  void removeIt() throws IOException {
    as("admin").contentType("application/json").body(Map.of()).put("/api/v1/orgs/acme/policy");
    // disabled, the partition's waiting runs (if any moved there) go elsewhere; then it can go
    as("admin")
        .contentType("application/json")
        .body(Map.of("enabled", false))
        .patch("/api/v1/partitions/" + quick);
    Api.poll(
        java.time.Duration.ofSeconds(20),
        () -> as("admin").delete("/api/v1/partitions/" + quick).statusCode(),
        status -> status == 204 || status == 404,
        "the partition to be deleted");
    as("admin").delete("/api/v1/clusters/" + cluster);
    slurmrestd.stop(0);
    Files.deleteIfExists(key);
  }

  private static ValidatableResponse post(String user, String path, Object body) {
    return as(user).contentType("application/json").body(body).post(path).then();
  }

  private static Map<String, Object> heat(String objective) {
    Map<String, Object> request = new HashMap<>(Api.TRIVIAL_HEAT);
    request.put("objective", objective);
    return request;
  }

  private static JsonPath quote(Map<String, Object> request) {
    return post("alice", "/api/v1/runs/quote", request).statusCode(200).extract().jsonPath();
  }

  @Test
  void aQuoteOffersTheCandidatesWithPredictedStartFinishAndCostAndThePick() {
    JsonPath fastest = quote(heat("fastest"));
    assertEquals("fastest", fastest.getString("objective"));
    assertEquals(quick, fastest.getString("partition"));
    assertEquals(List.of(quick, "local"), fastest.getList("choices.partition"));
    assertEquals(List.of(true, false), fastest.getList("choices.pick"));
    // twice as fast: half the predicted run time, and both are on the front (faster vs cheaper)
    double quickSeconds = fastest.getDouble("choices[0].predictedRunSeconds");
    double localSeconds = fastest.getDouble("choices[1].predictedRunSeconds");
    assertEquals(localSeconds / 2, quickSeconds, 0.002);
    assertEquals(List.of(true, true), fastest.getList("choices.front"));
    Instant quickFinish = Instant.parse(fastest.getString("choices[0].predictedFinish"));
    Instant localFinish = Instant.parse(fastest.getString("choices[1].predictedFinish"));
    assertTrue(quickFinish.isBefore(localFinish));
    assertTrue(
        fastest.getDouble("choices[0].cost") > fastest.getDouble("choices[1].cost"),
        fastest.prettify());

    JsonPath cheapest = quote(heat("cheapest"));
    assertEquals("local", cheapest.getString("partition"));
    assertEquals(List.of("local", quick), cheapest.getList("choices.partition"));
    assertTrue(cheapest.getString("reason").startsWith("lowest predicted cost"));

    post("alice", "/api/v1/runs/quote", heat("soonest"))
        .statusCode(422)
        .body("errors.field", hasItem("objective"));
  }

  @Test
  void anOrgPolicyKeepsRunsInItsRegionsWithinItsQuotaAndAtItsPriority() {
    as("admin")
        .contentType("application/json")
        .body(Map.of("regions", List.of("local"), "maxCores", 1))
        .put("/api/v1/orgs/acme/policy")
        .then()
        .statusCode(200)
        .body("regions", equalTo(List.of("local")))
        .body("maxCores", equalTo(1))
        .body("maxPriority", equalTo("normal"));
    as("alice").get("/api/v1/orgs/acme/policy").then().statusCode(200).body("maxCores", equalTo(1));
    as("bob").get("/api/v1/orgs/acme/policy").then().statusCode(404);

    JsonPath q = quote(heat("fastest"));
    assertEquals("local", q.getString("partition"));

    Map<String, Object> twoCores = heat("fastest");
    twoCores.put("inputs", Map.of("nx", 11, "ny", 11, "duration", 1, "cores", 2));
    post("alice", "/api/v1/runs", twoCores)
        .statusCode(422)
        .body("detail", equalTo("the run needs 2 cores; your organisation's quota is 1 at once"));

    Map<String, Object> urgent = heat("fastest");
    urgent.put("priority", "high");
    post("alice", "/api/v1/runs", urgent)
        .statusCode(422)
        .body("errors[0].field", equalTo("priority"))
        .body("errors[0].message", containsString("at most normal priority"));

    // the quota holds a second run back while the first one runs
    Fixtures.misbehavingAppPublished();
    String sleeper = Api.misbehave("sleep", Map.of("seconds", 4));
    Api.awaitState("alice", sleeper, "RUNNING");
    String id = Api.launch("alice", heat("fastest"));
    JsonPath held =
        Api.poll(
            java.time.Duration.ofSeconds(10),
            () -> as("alice").get("/api/v1/runs/" + id).then().extract().jsonPath(),
            r -> "waiting: your organisation's quota is reached".equals(r.getString("reason")),
            "the second run to wait for the quota");
    assertEquals("QUEUED", held.getString("state"));
    assertEquals("SUCCEEDED", Api.awaitEnd("alice", sleeper).getString("state"));
    JsonPath run = Api.awaitEnd("alice", id);
    assertEquals("SUCCEEDED", run.getString("state"), run.prettify());
    assertEquals("local", run.getString("resources.partition"));
    assertTrue(
        run.getString("placement.rejected.find { it.partition == '" + quick + "' }.reason")
            .startsWith("is in region far, outside the regions your organisation allows (local)"),
        run.prettify());
  }

  @Test
  void aPolicyThatNamesNoKnownRegionIsRefusedField() {
    as("admin")
        .contentType("application/json")
        .body(Map.of("regions", List.of("moon"), "maxCores", 0, "maxPriority", "urgent"))
        .put("/api/v1/orgs/acme/policy")
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("regions[0]"))
        .body("errors.field", hasItem("maxCores"))
        .body("errors.field", hasItem("maxPriority"));
    as("alice")
        .contentType("application/json")
        .body(Map.of())
        .put("/api/v1/orgs/acme/policy")
        .then()
        .statusCode(403);
    assertFalse(
        as("admin").get("/api/v1/orgs/acme/policy").jsonPath().getList("regions").contains("moon"));
  }
}
