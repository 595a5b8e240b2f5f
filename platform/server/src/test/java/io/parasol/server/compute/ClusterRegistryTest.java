package io.parasol.server.compute;

import static io.parasol.server.Api.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parasol.server.Api;
import io.parasol.server.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The registry API, placement through the launch API, and failover of queued runs; on H2 and again
 * on PostgreSQL.
 */
@QuarkusTest
@Tag("db")
class ClusterRegistryTest {

  @BeforeEach
  void apps() {
    Fixtures.heatTransferPublished();
  }

  @AfterEach
  void cleanUp() {
    for (String p : List.of("reg-gpu", "flaky-cpu")) {
      as("admin").delete("/api/v1/partitions/" + p);
    }
    for (String c : List.of("reg-slurm", "reg-k8s", "flaky")) {
      as("admin").delete("/api/v1/clusters/" + c);
    }
  }

  static Map<String, Object> slurmCluster(String name, Map<String, Object> slurm) {
    return Map.of(
        "name", name, "region", "eu-west", "site", "dc-1", "backend", "SLURM", "slurm", slurm);
  }

  static Map<String, Object> partition(String name, String cluster, int cores, Object accelerator) {
    Map<String, Object> node = new HashMap<>(Map.of("cores", cores, "memoryMb", 64_000));
    if (accelerator != null) {
      node.put("accelerator", accelerator);
    }
    return new HashMap<>(
        Map.of(
            "name",
            name,
            "cluster",
            cluster,
            "nodeType",
            node,
            "nodes",
            4,
            "ownership",
            "OWNED",
            "labels",
            Map.of("residency", "eu")));
  }

  private static io.restassured.response.ValidatableResponse post(
      String user, String path, Object body) {
    return as(user).contentType("application/json").body(body).post(path).then();
  }

  @Test
  void theLocalClusterIsBuiltInAndEveryoneReadsPartitionsButOnlyAdminsChangeThem() {
    as("admin")
        .get("/api/v1/clusters/local")
        .then()
        .statusCode(200)
        .body("backend", equalTo("LOCAL"))
        .body("health.healthy", equalTo(true))
        .body("partitions", equalTo(List.of("local")));
    as("alice")
        .get("/api/v1/partitions/local")
        .then()
        .statusCode(200)
        .body("nodeType.cores", equalTo(4))
        .body("nodes", equalTo(1))
        .body("ownership", equalTo("OWNED"));
    as("alice").get("/api/v1/clusters").then().statusCode(403);
    post("alice", "/api/v1/partitions", partition("x", "local", 1, null)).statusCode(403);
    as("admin").delete("/api/v1/clusters/local").then().statusCode(409);
    as("admin").delete("/api/v1/partitions/local").then().statusCode(409);
    post(
            "admin",
            "/api/v1/clusters",
            Map.of("name", "local2", "region", "r", "site", "s", "backend", "LOCAL"))
        .statusCode(422)
        .body("errors.field", hasItem("backend"));
  }

  @Test
  void impossibleClustersAndPartitionsAreRefusedWithTheirReasons() {
    post("admin", "/api/v1/clusters", Map.of("name", "Bad Name", "region", "", "backend", "SLURM"))
        .statusCode(422)
        .body("errors.field", hasItems("name", "region", "site"));
    post(
            "admin",
            "/api/v1/clusters",
            slurmCluster("reg-slurm", Map.of("restUrl", "ftp://x", "apiVersion", "v0.0.40")))
        .statusCode(422)
        .body("errors.field", hasItems("slurm.restUrl", "slurm.apiVersion"));
    post(
            "admin",
            "/api/v1/clusters",
            slurmCluster("reg-slurm", Map.of("restUrl", "http://127.0.0.1:6820")))
        .statusCode(422)
        .body("errors.field", hasItems("slurm.user", "slurm.jwtKeyFile"));
    Map<String, Object> disabled =
        new HashMap<>(slurmCluster("reg-slurm", Map.of("workDir", "/tmp/runs")));
    disabled.put("enabled", false);
    post("admin", "/api/v1/clusters", disabled)
        .statusCode(201)
        .body("enabled", equalTo(false))
        .body("slurm.apiVersion", equalTo("v0.0.38"))
        .body("health.healthy", equalTo(true));
    post("admin", "/api/v1/clusters", slurmCluster("reg-slurm", Map.of())).statusCode(409);
    post(
            "admin",
            "/api/v1/clusters",
            Map.of(
                "name",
                "reg-k8s",
                "region",
                "eu-west",
                "site",
                "dc-2",
                "backend",
                "KUBERNETES",
                "kubernetes",
                Map.of("apiServerUrl", "https://k8s.example:6443")))
        .statusCode(422)
        .body("errors.field", hasItem("kubernetes.image"));
    post(
            "admin",
            "/api/v1/clusters",
            Map.of(
                "name", "reg-k8s",
                "region", "eu-west",
                "site", "dc-2",
                "backend", "KUBERNETES",
                "kubernetes",
                    Map.of(
                        "image", "parasol/worker:1",
                        "runtimeClassName", "gVisor!",
                        "serverCidrs",
                            java.util.Arrays.asList(
                                "10.0.0.0/8", "parasol.svc/32", "10.1.2.3/33", null))))
        .statusCode(422)
        .body(
            "errors.field",
            hasItems(
                "kubernetes.runtimeClassName",
                "kubernetes.serverCidrs[1]",
                "kubernetes.serverCidrs[2]",
                "kubernetes.serverCidrs[3]"))
        .body("errors.field", org.hamcrest.Matchers.not(hasItem("kubernetes.serverCidrs[0]")));

    Map<String, Object> zero =
        partition("reg-gpu", "reg-slurm", 0, Map.of("kind", "GPU", "model", "a100", "count", 0));
    ((Map<String, Object>) zero.get("nodeType")).put("memoryMb", 10);
    zero.put("nodes", 0);
    zero.remove("ownership");
    post("admin", "/api/v1/partitions", zero)
        .statusCode(422)
        .body(
            "errors.field",
            hasItems(
                "nodeType.cores",
                "nodeType.memoryMb",
                "nodeType.accelerator.count",
                "nodes",
                "ownership"));
    Map<String, Object> fpga =
        partition("reg-gpu", "reg-slurm", 8, Map.of("kind", "FPGA", "model", "u250", "count", 1));
    fpga.put("kubernetes", Map.of("nodeSelector", Map.of("a", "b")));
    fpga.put("labels", Map.of("bad key!", "x"));
    post("admin", "/api/v1/partitions", fpga)
        .statusCode(422)
        .body("errors.field", hasItems("kubernetes", "slurm.gresName", "labels"));
    post("admin", "/api/v1/partitions", partition("reg-gpu", "nowhere", 8, null))
        .statusCode(422)
        .body("errors.field", hasItem("cluster"));

    post(
            "admin",
            "/api/v1/partitions",
            partition(
                "reg-gpu", "reg-slurm", 32, Map.of("kind", "GPU", "model", "A100", "count", 4)))
        .statusCode(201)
        .body("slurm.partition", equalTo("reg-gpu"))
        .body("slurm.gresName", equalTo("gpu"))
        .body("slurm.gresType", equalTo("a100"))
        .body("nodeType.accelerator.model", equalTo("a100"))
        .body("labels.residency", equalTo("eu"))
        .body("region", equalTo("eu-west"));
    post("admin", "/api/v1/partitions", partition("reg-gpu", "reg-slurm", 32, null))
        .statusCode(409);
    as("admin")
        .contentType("application/json")
        .body(Map.of("nodes", 8, "slurm", Map.of("partition", "gpu", "gresType", "a100")))
        .patch("/api/v1/partitions/reg-gpu")
        .then()
        .statusCode(200)
        .body("nodes", equalTo(8))
        .body("slurm.partition", equalTo("gpu"));
    as("admin").delete("/api/v1/clusters/reg-slurm").then().statusCode(409);

    // Its cluster is disabled: the partition is listed, and pinning it says why it cannot run.
    as("alice")
        .get("/api/v1/apps/heat-transfer")
        .then()
        .body(
            "platformFields.find { it.id == 'partition' }.options.value",
            hasItems("auto", "local", "reg-gpu"));
    as("alice")
        .contentType("application/json")
        .body(Map.of("appId", "heat-transfer", "inputs", Map.of("partition", "reg-gpu")))
        .post("/api/v1/runs")
        .then()
        .statusCode(422)
        .body("detail", equalTo("partition reg-gpu cannot take the run: is disabled"))
        .body("errors.field", hasItem("inputs.partition"));
  }

  @Test
  void runsRecordTheirPlacementWhetherPinnedOrChosen() {
    String pinned =
        Api.launch(
            "alice",
            Map.of(
                "appId",
                "heat-transfer",
                "inputs",
                Map.of("nx", 11, "ny", 11, "duration", 1, "partition", "local")));
    JsonPath run = Api.awaitEnd("alice", pinned);
    assertEquals("SUCCEEDED", run.getString("state"), run.prettify());
    assertTrue(run.getBoolean("placement.pinned"));
    assertEquals("local", run.getString("resources.partition"));
    assertEquals("local", run.getString("resources.cluster"));
    assertEquals("pinned by the engineer to local", run.getString("placement.reason"));

    String chosen = Api.launch("alice", Api.TRIVIAL_HEAT);
    run = Api.awaitEnd("alice", chosen);
    assertEquals("balanced", run.getString("placement.objective"));
    assertEquals("normal", run.getString("priority"));
    assertFalse(run.getBoolean("placement.pinned"));
    assertEquals(List.of("local"), run.getList("placement.options.partition"));
    assertTrue(run.getBoolean("placement.options[0].front"));
    assertTrue(
        run.getString("transitions[0].reason")
            .contains("best balance of predicted finish and cost"),
        run.getString("transitions[0].reason"));

    Map<String, Object> cheapest = new java.util.HashMap<>(Api.TRIVIAL_HEAT);
    cheapest.put("objective", "cheapest");
    cheapest.put("priority", "low");
    run = Api.awaitEnd("alice", Api.launch("alice", cheapest));
    assertEquals("cheapest", run.getString("placement.objective"));
    assertEquals("low", run.getString("priority"));
  }

  @Test
  void queuedRunsLeaveAClusterThatStopsAnsweringAndItIsMarkedUnhealthy() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Path key = Files.createTempFile("jwt", ".key");
    Files.write(key, new byte[32]);
    post(
            "admin",
            "/api/v1/clusters",
            slurmCluster(
                "flaky",
                Map.of(
                    "restUrl",
                    "http://127.0.0.1:" + closed,
                    "user",
                    "parasol",
                    "jwtKeyFile",
                    key.toString())))
        .statusCode(201);
    post("admin", "/api/v1/partitions", partition("flaky-cpu", "flaky", 64, null)).statusCode(201);
    post(
            "admin",
            "/api/v1/prices",
            Map.of("partition", "flaky-cpu", "resource", "CORE_HOUR", "unitPrice", "0.01"))
        .statusCode(201);

    String id = Api.launch("alice", Api.TRIVIAL_HEAT);
    JsonPath run = Api.awaitEnd("alice", id);
    assertEquals("SUCCEEDED", run.getString("state"), run.prettify());
    assertEquals("local", run.getString("resources.partition"));
    List<String> reasons = run.getList("transitions.reason");
    assertTrue(reasons.get(0).contains("partition flaky-cpu"), reasons.toString());
    assertTrue(
        reasons.stream()
            .anyMatch(r -> r.startsWith("placed again: partition flaky-cpu cannot take runs now")),
        reasons.toString());
    assertEquals("local", run.getString("placement.partition"));
    assertTrue(run.getList("placement.rejected.partition").contains("flaky-cpu"), run.prettify());

    as("admin")
        .get("/api/v1/clusters/flaky")
        .then()
        .statusCode(200)
        .body("health.healthy", equalTo(false))
        .body("health.reason", containsString("127.0.0.1:" + closed));
    Api.poll(
        Duration.ofSeconds(10),
        () -> as("alice").get("/api/v1/partitions/flaky-cpu").then().extract().jsonPath(),
        p -> !p.getBoolean("healthy"),
        "the partition to show its cluster unhealthy");
    Files.deleteIfExists(key);
  }
}
