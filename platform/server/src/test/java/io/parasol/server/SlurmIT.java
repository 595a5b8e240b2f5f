package io.parasol.server;

import static io.parasol.server.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packaged server against a real single-node Slurm 22.05 ({@code platform/slurm/slurm.sh},
 * started by {@code .ci/run}): heat-transfer on the cpu and gpu partitions through slurmrestd, a
 * GPU request, the CLI fallback, cancel, a wall-time overrun, and slurmctld stopped mid-run.
 * Skipped, saying why, where no Slurm runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlurmIT {

  static final int PORT = 18_183;
  static final Path DATA = Path.of("target/slurm-it-data").toAbsolutePath();
  static final Path BASE =
      Path.of(System.getenv().getOrDefault("PARASOL_SLURM_BASE", "/tmp/parasol-slurm"));
  static final Path SCRIPT = Path.of("../slurm/slurm.sh").toAbsolutePath();

  static Process server;

  @BeforeAll
  static void start() throws IOException {
    boolean up = Files.isReadable(BASE.resolve("etc/jwt_hs256.key"));
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 6820), 1000);
    } catch (IOException e) {
      up = false;
    }
    if (!up) {
      String why =
          "SlurmIT skipped: no Slurm at "
              + BASE
              + " with slurmrestd on 127.0.0.1:6820; start one with"
              + " 'platform/slurm/slurm.sh install && platform/slurm/slurm.sh start "
              + BASE
              + "' as root (.ci/run does)";
      System.err.println(why);
      Assumptions.abort(why);
    }
    PackagedServer.deleteTree(DATA);
    RestAssured.port = PORT;
    server =
        PackagedServer.start(
            PORT,
            DATA,
            Map.of(
                "PARASOL_CLUSTERS_HEALTH_INTERVAL", "1S",
                "PARASOL_CLUSTERS_HEALTH_THRESHOLD", "2",
                "PARASOL_CLUSTERS_HEALTH_MAX_INTERVAL", "2S",
                "PARASOL_RUNS_MIN_WALL_TIME_MINUTES", "0.05"),
            "target/slurm-it-server.log");
    Fixtures.heatTransferPublished();
    Fixtures.misbehavingAppPublished();
    register();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      slurm("start-ctld"); // whatever a failed test left behind
      PackagedServer.kill(server, true);
    }
  }

  static void post(String path, Object body) {
    as("admin").contentType("application/json").body(body).post(path).then().statusCode(201);
  }

  static void register() {
    post(
        "/api/v1/clusters",
        Map.of(
            "name", "hpc",
            "region", "eu-west",
            "site", "dc-1",
            "backend", "SLURM",
            "slurm",
                Map.of(
                    "restUrl",
                    "http://127.0.0.1:6820",
                    "user",
                    "root",
                    "jwtKeyFile",
                    BASE.resolve("etc/jwt_hs256.key").toString(),
                    "workDir",
                    BASE.resolve("runs").toString())));
    post(
        "/api/v1/clusters",
        Map.of(
            "name", "hpc-cli",
            "region", "eu-west",
            "site", "dc-1",
            "backend", "SLURM",
            "slurm",
                Map.of(
                    "slurmConf", BASE.resolve("etc/slurm.conf").toString(),
                    "workDir", BASE.resolve("runs").toString())));
    partition("hpc-cpu", "hpc", "cpu", null);
    partition("hpc-gpu", "hpc", "gpu", Map.of("kind", "GPU", "model", "a100", "count", 2));
    partition("hpc-cli-cpu", "hpc-cli", "cpu", null);
    for (String p : List.of("hpc-cpu", "hpc-gpu")) {
      // Cheaper than the local machine, so that automatic placement prefers Slurm while it answers.
      post("/api/v1/prices", Map.of("partition", p, "resource", "CORE_HOUR", "unitPrice", "0.02"));
    }
    post(
        "/api/v1/prices",
        Map.of("partition", "hpc-gpu", "resource", "CARD_HOUR", "unitPrice", "1.50"));
    // hpc-cli-cpu is dearer, so that automatic placement never picks it over hpc-cpu.
    post(
        "/api/v1/prices",
        Map.of("partition", "hpc-cli-cpu", "resource", "CORE_HOUR", "unitPrice", "0.05"));
  }

  static void partition(String name, String cluster, String slurmPartition, Object accelerator) {
    Map<String, Object> node = new HashMap<>(Map.of("cores", 16, "memoryMb", 16000));
    if (accelerator != null) {
      node.put("accelerator", accelerator);
    }
    post(
        "/api/v1/partitions",
        Map.of(
            "name",
            name,
            "cluster",
            cluster,
            "nodeType",
            node,
            "nodes",
            1,
            "ownership",
            "OWNED",
            "slurm",
            Map.of("partition", slurmPartition)));
  }

  static String heat(String partition) {
    return Api.launch(
        "alice",
        Map.of(
            "appId",
            "heat-transfer",
            "inputs",
            Map.of("nx", 21, "ny", 21, "duration", 5, "partition", partition)));
  }

  static String sleep(String partition, int seconds, double wallMinutes) {
    return Api.launch(
        "alice",
        Map.of(
            "appId",
            "misbehaving-app",
            "version",
            "1.0.0",
            "inputs",
            Map.of(
                "behaviour",
                "sleep",
                "seconds",
                seconds,
                "partition",
                partition,
                "wallTimeMinutes",
                wallMinutes)));
  }

  static String console(String id) {
    return as("alice")
        .get("/api/v1/runs/" + id + "/logs?source=console")
        .then()
        .extract()
        .asString();
  }

  /** The job's console is copied to the run when the backend sees the job end. */
  static void awaitConsole(String id, String text) {
    Api.poll(Duration.ofSeconds(15), () -> console(id), c -> c.contains(text), "console of " + id);
  }

  static void slurm(String command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("bash", SCRIPT.toString(), command, BASE.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), command + ": " + out);
  }

  static JsonPath cluster(String name) {
    return as("admin").get("/api/v1/clusters/" + name).then().statusCode(200).extract().jsonPath();
  }

  @Test
  @Order(1)
  void heatTransferRunsOnTheCpuAndGpuPartitionsThroughSlurmrestd() {
    String cpu = heat("hpc-cpu");
    String gpu = heat("hpc-gpu");
    for (String id : List.of(cpu, gpu)) {
      JsonPath run = Api.awaitEnd("alice", id);
      assertEquals("SUCCEEDED", run.getString("state"), run.prettify() + console(id));
      assertEquals("slurm", run.getString("resources.backend"));
      assertEquals("hpc", run.getString("resources.cluster"));
      assertEquals(
          List.of("QUEUED", "SCHEDULED", "RUNNING", "SUCCEEDED"), run.getList("transitions.to"));
      awaitConsole(id, "parasol: job ");
      assertTrue(
          as("alice")
              .get("/api/v1/runs/" + id + "/outputs")
              .then()
              .extract()
              .jsonPath()
              .getList("name")
              .contains("temperature.csv"));
    }
  }

  @Test
  @Order(2)
  void aGpuRequestLandsOnTheGpuPartitionWithItsGres() {
    // heat-transfer-gpu is a derived app: the remote worker fetches its base plugin too.
    Api.poll(
        Duration.ofSeconds(90),
        () -> as("alice").get("/api/v1/apps/heat-transfer-gpu").statusCode(),
        code -> code == 200,
        "heat-transfer-gpu in the catalog");
    String id =
        Api.launch(
            "alice",
            Map.of(
                "appId", "heat-transfer-gpu", "inputs", Map.of("nx", 41, "ny", 41, "duration", 5)));
    JsonPath run = Api.awaitEnd("alice", id);
    assertEquals("SUCCEEDED", run.getString("state"), run.prettify() + console(id));
    assertEquals("hpc-gpu", run.getString("resources.partition"));
    assertEquals("GPU", run.getString("resources.accelerator.kind"));
    assertEquals(1, run.getInt("resources.accelerator.count"));
    assertTrue(run.getList("placement.rejected.partition").contains("local"), run.prettify());
    awaitConsole(id, "with CUDA_VISIBLE_DEVICES=0");
  }

  @Test
  @Order(3)
  void theSlurmCliServesWhenNoRestEndpointIsConfigured() {
    String id = heat("hpc-cli-cpu");
    JsonPath run = Api.awaitEnd("alice", id);
    assertEquals("SUCCEEDED", run.getString("state"), run.prettify() + console(id));
    assertEquals("hpc-cli", run.getString("resources.cluster"));
  }

  @Test
  @Order(4)
  void cancelScancelsTheJobAndAWallTimeOverrunEndsTimedOut() {
    String cancelled = sleep("hpc-cpu", 60, 5);
    Api.awaitState("alice", cancelled, "RUNNING");
    as("alice").post("/api/v1/runs/" + cancelled + "/cancel").then().statusCode(200);

    String overrun = sleep("hpc-cli-cpu", 60, 0.1);
    JsonPath run = Api.awaitEnd("alice", overrun);
    assertEquals("TIMED_OUT", run.getString("state"), run.prettify() + console(overrun));
    assertTrue(run.getString("reason").startsWith("exceeded its wall-time limit"), run.prettify());

    JsonPath c = Api.awaitEnd("alice", cancelled);
    assertEquals("CANCELLED", c.getString("state"));
    assertEquals("cancelled by alice", c.getString("reason"));
  }

  @Test
  @Order(5)
  void aRunSurvivesSlurmctldStoppingAndQueuedRunsGoElsewhereMeanwhile() throws Exception {
    String running = sleep("hpc-cpu", 8, 5);
    Api.awaitState("alice", running, "RUNNING");
    slurm("stop-ctld");
    try {
      JsonPath sick =
          Api.poll(
              Duration.ofSeconds(30),
              () -> cluster("hpc"),
              c -> !c.getBoolean("health.healthy"),
              "cluster hpc to turn unhealthy");
      assertTrue(sick.getString("health.reason").contains("slurm"), sick.prettify());

      // Automatic placement would pick hpc-cpu (cheapest): now it goes to the local machine.
      String elsewhere = Api.launch("alice", Api.TRIVIAL_HEAT);
      JsonPath moved = Api.awaitEnd("alice", elsewhere);
      assertEquals("SUCCEEDED", moved.getString("state"), moved.prettify());
      assertEquals("local", moved.getString("resources.partition"));
      assertTrue(
          moved.getList("placement.rejected.reason").stream()
              .anyMatch(r -> r.toString().startsWith("is on unhealthy cluster hpc")),
          moved.prettify());
    } finally {
      slurm("start-ctld");
    }
    Api.poll(
        Duration.ofSeconds(30),
        () -> cluster("hpc"),
        c -> c.getBoolean("health.healthy"),
        "cluster hpc to be healthy again");
    JsonPath run = Api.awaitEnd("alice", running);
    assertEquals("SUCCEEDED", run.getString("state"), run.prettify() + console(running));
    assertEquals(1, run.getInt("attempt"), "the job survived; it was not resubmitted");
  }
}
