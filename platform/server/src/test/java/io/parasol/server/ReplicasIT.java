package io.parasol.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two packaged server processes (built for PostgreSQL) share one database and one data directory,
 * as replicas behind a load balancer do; their workers call back through one address (replica B's
 * here, as a load balancer's would be). Every run is dispatched by exactly one replica; a run a
 * replica claimed and never submitted is queued again by the other; when a replica is killed (or
 * stopped gracefully, as in a rolling update), the other finishes every run and each is billed
 * once. Skipped without PostgreSQL at 127.0.0.1:5432.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {

  static final Path JAR = Path.of("target/quarkus-app-postgres/quarkus-run.jar");
  static final Path DATA = Path.of("target/replicas-it-data").toAbsolutePath();
  static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
  static final String DB = "parasol_replicas_it";
  static final String URL = "jdbc:postgresql://127.0.0.1:5432/" + DB;
  static final int PORT_A = 18_291;
  static final int PORT_B = 18_292;

  /** A launch whose solver sleeps 2 s: long enough to be in flight when a replica stops. */
  static final Map<String, Object> SLEEP_2S = sleeping(2);

  /** A launch of the test plugin whose solver sleeps {@code seconds}. */
  static Map<String, Object> sleeping(int seconds) {
    return Map.of(
        "appId",
        "misbehaving-app",
        "version",
        "1.0.0",
        "inputs",
        Map.of("behaviour", "sleep", "seconds", seconds));
  }

  static Process a;
  static Process b;

  @BeforeAll
  static void start() throws Exception {
    try (Connection c = DriverManager.getConnection(ADMIN_URL, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("drop database if exists " + DB + " with (force)");
      s.execute("create database " + DB);
    } catch (SQLException e) {
      Assumptions.abort("no PostgreSQL at 127.0.0.1:5432 (" + e.getMessage() + ")");
    }
    PackagedServer.deleteTree(DATA);
    a = replica(PORT_A, "a");
    b = replica(PORT_B, "b");
    RestAssured.port = PORT_A;
    Fixtures.heatTransferPublished();
    Fixtures.misbehavingAppPublished();
  }

  static Process replica(int port, String name) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("QUARKUS_DATASOURCE_JDBC_URL", URL);
    env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
    env.put("QUARKUS_DATASOURCE_PASSWORD", "");
    env.put("PARASOL_WORKER_CALLBACK_URL", "http://127.0.0.1:" + PORT_B);
    // the postgres build is a production build: turn the embedded default's demo data on
    env.put("PARASOL_DEMO_USERS", "true");
    env.put("PARASOL_DEMO_MONEY", "true");
    env.put("PARASOL_PUBLISH_EXAMPLES", "true");
    env.put("PARASOL_OIDC_ENABLED", "false");
    return PackagedServer.start(JAR, port, DATA, env, "target/replicas-it-" + name + ".log");
  }

  @AfterAll
  static void stop() {
    for (Process p : new Process[] {a, b}) {
      if (p != null) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    }
  }

  private static List<String> launchThroughBoth(int runs, Map<String, Object> body)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> ids = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        int port = i % 2 == 0 ? PORT_A : PORT_B;
        ids.add(
            pool.submit(
                () ->
                    Api.as("alice")
                        .port(port)
                        .contentType("application/json")
                        .body(body)
                        .post("/api/v1/runs")
                        .then()
                        .statusCode(201)
                        .extract()
                        .<String>path("id")));
      }
      List<String> out = new ArrayList<>();
      for (Future<String> f : ids) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdown();
    }
  }

  /**
   * Sets acme's policy through both replicas: each keeps the policies it read for a moment and
   * forgets one only when it is changed through it, so a change made through A alone leaves B
   * dispatching under the old one for that moment.
   */
  private static void policy(Map<String, Object> policy) {
    for (int port : new int[] {PORT_A, PORT_B}) {
      Api.as("admin")
          .port(port)
          .contentType("application/json")
          .body(policy)
          .put("/api/v1/orgs/acme/policy")
          .then()
          .statusCode(200);
    }
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(URL, "postgres", "");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static void assertBilledOnce(List<String> ids) {
    for (String id : ids) {
      JsonPath run = Api.awaitEnd("alice", id);
      assertEquals("SUCCEEDED", run.getString("state"), run.prettify());
    }
    Api.assertSettledOnce(ids);
  }

  @Test
  @Order(1)
  void everyRunIsDispatchedByExactlyOneReplica() throws Exception {
    List<String> ids = launchThroughBoth(24, Api.TRIVIAL_HEAT);
    assertBilledOnce(ids);
    String in = "('" + String.join("','", ids) + "')";
    // one worker per run: a single start, one attempt, and every submission but the last one
    // handed back by the replica that made it (a machine that was momentarily full)
    assertEquals(
        0,
        count(
            "select count(*) from (select run_id from run_transition where to_state = 'RUNNING'"
                + " and run_id::text in "
                + in
                + " group by run_id having count(*) <> 1) t"));
    assertEquals(
        0,
        count(
            "select count(*) from (select run_id,"
                + " sum(case when to_state = 'SCHEDULED' then 1 else 0 end) submitted,"
                + " sum(case when from_state = 'SCHEDULED' and to_state = 'QUEUED' then 1 else 0"
                + " end) handed_back from run_transition where run_id::text in "
                + in
                + " group by run_id) t where submitted <> handed_back + 1"));
    assertEquals(0, count("select count(*) from run where attempt <> 1 and id::text in " + in));
    assertEquals(2, count("select count(*) from server_replica"));
    assertTrue(
        count("select count(distinct dispatcher) from run where id::text in " + in) >= 1,
        "runs record the replica that submitted them");
  }

  @Test
  @Order(2)
  void aRunClaimedByAReplicaThatDiedBeforeSubmittingItIsQueuedAgainAndFinishes() throws Exception {
    // hold alice's runs back with a quota, and turn a waiting one into what a replica killed
    // between claiming and submitting leaves behind: SCHEDULED, no job, a replica gone silent
    policy(Map.of("maxCores", 1));
    String sleeper = Api.misbehave("sleep", Map.of("seconds", 3));
    Api.awaitState("alice", sleeper, "RUNNING");
    String id = Api.launch("alice", Api.TRIVIAL_HEAT);
    try (Connection c = DriverManager.getConnection(URL, "postgres", "");
        Statement s = c.createStatement()) {
      int changed =
          s.executeUpdate(
              "update run set state = 'SCHEDULED', attempt = 1, dispatcher = 'replica-killed',"
                  + " scheduled_at = now() - interval '1 minute' where id::text = '"
                  + id
                  + "' and state = 'QUEUED'");
      assertEquals(1, changed, "the run should still have been waiting");
    }
    policy(Map.of());
    JsonPath run = Api.awaitEnd("alice", id);
    assertEquals("SUCCEEDED", run.getString("state"), run.prettify());
    assertEquals(1, run.getInt("attempt"));
    assertTrue(
        run.getList("transitions.reason")
            .contains("server replica replica-killed stopped before submitting it; queued again"),
        run.prettify());
    assertBilledOnce(List.of(sleeper, id));
  }

  @Test
  @Order(3)
  void whenAReplicaIsKilledTheOtherFinishesEveryRunAndEachIsBilledOnce() throws Exception {
    List<String> ids = launchThroughBoth(10, SLEEP_2S);
    Thread.sleep(1500);
    PackagedServer.kill(a, false);
    a = null;
    RestAssured.port = PORT_B;
    assertBilledOnce(ids);
  }

  @Test
  @Order(4)
  void whenAReplicaStopsGracefullyEveryRunStillFinishesAndIsBilledOnce() throws Exception {
    // A rolling update: a fresh replica A takes half the launches, then gets SIGTERM while its
    // runs are in flight; it drains its requests and stops, and B sees every run through.
    a = replica(PORT_A, "a2");
    List<String> ids = launchThroughBoth(10, SLEEP_2S);
    Thread.sleep(1500);
    a.destroy();
    org.junit.jupiter.api.Assertions.assertTrue(
        a.waitFor(60, java.util.concurrent.TimeUnit.SECONDS),
        "replica A stops within its shutdown timeout");
    a = null;
    RestAssured.port = PORT_B;
    assertBilledOnce(ids);
  }

  @Test
  @Order(5)
  void aRestartingReplicaAdoptsOnlyItsOwnOrAStoppedReplicasWorkers() throws Exception {
    a = replica(PORT_A, "a3");
    List<String> ids = launchThroughBoth(8, sleeping(4));
    Api.awaitState("alice", ids.get(0), "RUNNING"); // work in flight when A dies
    PackagedServer.kill(a, false); // kill -9: its heartbeat stays fresh for a while
    a = replica(PORT_A, "a4");
    RestAssured.port = PORT_B;
    assertBilledOnce(ids);
    // a replica is its host and port: the restarted A is A again
    String restarted = target("select id from server_replica where id like '%:" + PORT_A + "'");
    String log = java.nio.file.Files.readString(Path.of("target/replicas-it-a4.log"));
    for (String id : ids) {
      String dispatcher = target("select dispatcher from run where id = '" + id + "'");
      boolean adopted =
          log.lines().anyMatch(l -> l.contains("adopted worker pid") && l.contains("of run " + id));
      if (adopted && !restarted.equals(dispatcher)) {
        org.junit.jupiter.api.Assertions.fail(
            "the restarted replica adopted run " + id + " of live replica " + dispatcher);
      }
    }
  }

  private static String target(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(URL, "postgres", "");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      return r.next() ? r.getString(1) : null;
    }
  }
}
