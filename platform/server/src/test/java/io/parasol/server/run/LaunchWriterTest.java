package io.parasol.server.run;

import static io.parasol.server.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parasol.server.Fixtures;
import io.parasol.server.common.ProblemException;
import io.parasol.server.compute.ComputePartition;
import io.parasol.server.publishing.Plugin;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Group commit of launches: every column of a run survives the writer's batch insert, a group its
 * org's funds cannot cover is written launch by launch (each refused one alone gets its 402), and
 * two launches with one Idempotency-Key in a group make one run; the placement snapshot reads what
 * was written as a queue's work and head, and the tally of runs not yet ended follows every change.
 * H2 and PostgreSQL.
 *
 * <p>The runs written here are pinned to a partition no cluster has, so no replica starts them.
 */
@QuarkusTest
@Tag("db")
class LaunchWriterTest {

  private static final String NOWHERE = "writer-test-nowhere";
  private static final BigDecimal HOLD = new BigDecimal("1.000000");

  @Inject LaunchWriter writer;
  @Inject io.parasol.server.scheduling.PlacementService placement;
  @Inject RunTally tally;

  @Test
  void everyColumnOfARunSurvivesTheBatchInsert() throws Exception {
    Fixtures.heatTransferPublished();
    Run run = run("acme", null);
    // every field the entity maps, set to something other than its default
    Instant t = Instant.parse("2026-01-02T03:04:05.123456Z");
    int n = 0;
    for (Field f : columns()) {
      n++;
      Class<?> type = f.getType();
      if (type == int.class || type == Integer.class) {
        f.set(run, 40 + n);
      } else if (type == long.class || type == Long.class) {
        f.set(run, 4000L + n);
      } else if (type == double.class || type == Double.class) {
        f.set(run, 0.5 + n);
      } else if (type == boolean.class) {
        f.set(run, true);
      } else if (type == Instant.class) {
        f.set(run, t.plus(n, ChronoUnit.MINUTES));
      } else if (type == BigDecimal.class) {
        f.set(run, new BigDecimal("12.345678"));
      } else if (type.isEnum()) {
        Object[] values = type.getEnumConstants();
        f.set(run, values[values.length - 1]);
      } else if (type == String.class && f.get(run) == null) {
        f.set(run, f.getName().length() > 10 ? "v" + n : "value-" + n);
      }
    }
    run.requestHash = "a".repeat(64);
    run.tokenHash = "b".repeat(64);
    RunTransition first = new RunTransition();
    first.runId = run.id;
    first.toState = RunState.QUEUED;
    first.reason = "written by the test";
    first.at = t;

    List<String> differences = new ArrayList<>();
    // written and read back in one transaction that is then rolled back: nothing stays
    inRolledBackTransaction(
        () -> {
          writer.insert(List.of(run), List.of(first));
          Run.getEntityManager().clear();
          Run back = Run.findById(run.id);
          for (Field f : columns()) {
            try {
              Object want = f.get(run);
              Object got = f.get(back);
              boolean same =
                  want instanceof BigDecimal w
                      ? got instanceof BigDecimal g && w.compareTo(g) == 0
                      : java.util.Objects.equals(want, got);
              if (!same) {
                differences.add(f.getName() + ": wrote " + want + ", read " + got);
              }
            } catch (IllegalAccessException e) {
              throw new IllegalStateException(e);
            }
          }
          RunTransition t2 = RunTransition.<RunTransition>find("runId", run.id).firstResult();
          assertEquals("written by the test", t2.reason);
          assertNull(t2.fromState);
        });
    assertEquals(List.of(), differences);
  }

  @Test
  void aGroupItsFundsCannotCoverIsWrittenLaunchByLaunch() {
    Fixtures.heatTransferPublished();
    String org = fundedOrg(10);
    List<LaunchWriter.Launch> group =
        IntStream.range(0, 12).mapToObj(i -> launch(run(org, null))).toList();

    List<LaunchWriter.Outcome> outcomes = writer.writeTogether(group);

    for (int i = 0; i < 10; i++) {
      assertNull(outcomes.get(i).failed(), "launch " + i + ": " + outcomes.get(i).failed());
      assertEquals(RunState.QUEUED, outcomes.get(i).written().toState);
    }
    for (int i = 10; i < 12; i++) {
      ProblemException refused = assertInstanceOf(ProblemException.class, outcomes.get(i).failed());
      assertEquals(402, refused.status());
      assertTrue(refused.getMessage().contains("missing"), refused.getMessage());
    }
    List<UUID> written = group.subList(0, 10).stream().map(l -> l.run().id).toList();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              assertEquals(10, Run.count("org", org));
              assertEquals(10, Run.count("org = ?1 and id in ?2", org, written));
              assertEquals(10, RunTransition.count("runId in ?1", written));
              Object holds =
                  Run.getEntityManager()
                      .createNativeQuery(
                          "select count(*) from ledger_transaction where org = ?1 and kind ="
                              + " 'HOLD'")
                      .setParameter(1, org)
                      .getSingleResult();
              assertEquals(10, ((Number) holds).intValue());
            });
    Map<String, Object> account =
        as("admin")
            .get("/api/v1/accounts/" + org)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .get();
    assertEquals(0, new BigDecimal(account.get("available").toString()).signum(), "" + account);
    assertEquals(
        0,
        HOLD.multiply(BigDecimal.TEN).compareTo(new BigDecimal(account.get("holds").toString())),
        "" + account);
  }

  @Test
  void aGroupTheFundsCoverIsWrittenWhole() {
    Fixtures.heatTransferPublished();
    String org = fundedOrg(5);
    List<LaunchWriter.Launch> group =
        IntStream.range(0, 5).mapToObj(i -> launch(run(org, null))).toList();
    List<LaunchWriter.Outcome> outcomes = writer.writeTogether(group);
    outcomes.forEach(o -> assertNull(o.failed()));
    assertEquals(5L, QuarkusTransaction.requiringNew().call(() -> Run.count("org", org)));
  }

  @Test
  void twoLaunchesWithOneKeyInAGroupMakeOneRun() {
    Fixtures.heatTransferPublished();
    String org = fundedOrg(5);
    String key = "writer-" + UUID.randomUUID();
    List<LaunchWriter.Launch> group =
        List.of(launch(run(org, key)), launch(run(org, key)), launch(run(org, null)));
    List<LaunchWriter.Outcome> outcomes = writer.writeTogether(group);
    assertNull(outcomes.get(0).failed());
    assertNotNull(outcomes.get(1).failed(), "the second launch with the key is refused");
    assertNull(outcomes.get(2).failed());
    assertEquals(
        1L,
        QuarkusTransaction.requiringNew()
            .call(() -> Run.count("org = ?1 and idempotencyKey = ?2", org, key)));
    assertEquals(2L, QuarkusTransaction.requiringNew().call(() -> Run.count("org", org)));
  }

  /**
   * The placement snapshot reads a queue of any length as its total work and its first runs in
   * queue order (priority, then age), not run by run: 2,050 waiting runs, of which one of high
   * priority and 50 without a prediction (their wall time counts), in a partition of the registry
   * (disabled: nothing else is placed there).
   */
  @Test
  void thePlacementSnapshotReadsAQueueAsItsWorkAndItsHead() {
    Fixtures.heatTransferPublished();
    String partition = "snapshot-test-" + UUID.randomUUID().toString().substring(0, 8);
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              ComputePartition like = ComputePartition.<ComputePartition>findAll().firstResult();
              ComputePartition p = new ComputePartition();
              p.name = partition;
              p.cluster = like.cluster;
              p.coresPerNode = 2;
              p.memoryMbPerNode = 4096;
              p.nodeCount = 1;
              p.ownership = like.ownership;
              p.labels = like.labels;
              p.mapping = like.mapping;
              p.enabled = false;
              p.createdAt = Instant.now();
              p.updatedAt = p.createdAt;
              p.persist();
            });
    List<Run> runs = new ArrayList<>();
    Instant t = Instant.now().minus(1, ChronoUnit.HOURS);
    for (int i = 0; i < 2_050; i++) {
      Run run = run("acme", null);
      run.partitionName = partition;
      run.cores = 2;
      run.wallTimeSeconds = 600;
      run.predictedRunSeconds = i < 2_000 ? 10.0 : null;
      run.priority = 1;
      run.state = RunState.QUEUED;
      run.createdAt = t.plusMillis(i);
      runs.add(run);
    }
    // the youngest run, but of high priority: first in the queue
    runs.get(1_999).priority = 2;
    runs.get(1_999).predictedRunSeconds = 77.0;
    List<RunTransition> firsts = new ArrayList<>();
    for (Run run : runs) {
      RunTransition first = new RunTransition();
      first.runId = run.id;
      first.toState = RunState.QUEUED;
      first.reason = "written by the test";
      first.at = t;
      firsts.add(first);
    }
    try {
      QuarkusTransaction.requiringNew().run(() -> writer.insert(runs, firsts));
      placement.invalidate();
      io.parasol.server.scheduling.PlacementService.Queue queue = placement.queue(partition);
      // 1,999 × 2 × 10 + 2 × 77 + 50 × 2 × 600 core-seconds
      assertEquals(1_999 * 20 + 154 + 60_000, queue.work(), 1e-6);
      assertEquals(2_000, queue.head().size());
      assertEquals(77.0, queue.head().get(0).seconds());
      assertEquals(2, queue.head().get(0).cores());
      assertEquals(10.0, queue.head().get(1).seconds());
      assertEquals(10.0, queue.head().get(1_999).seconds());
    } finally {
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                RunTransition.delete(
                    "runId in (select r.id from Run r where r.partitionName = ?1)", partition);
                Run.delete("partitionName", partition);
                ComputePartition.deleteById(partition);
              });
      placement.invalidate();
    }
  }

  /**
   * The tally of runs not yet ended follows whatever statement changes runs — a group's insert, a
   * change of state, a move to another partition, an end, a delete — and agrees with counting the
   * runs (on PostgreSQL the database keeps it; on H2 it is the count).
   */
  @Test
  void theTallyOfRunsNotYetEndedFollowsEveryChange() {
    Fixtures.heatTransferPublished();
    String a = "tally-a-" + UUID.randomUUID().toString().substring(0, 8);
    String b = "tally-b-" + UUID.randomUUID().toString().substring(0, 8);
    List<Run> runs = new ArrayList<>();
    List<RunTransition> firsts = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Run run = run("acme", null);
      run.partitionName = a;
      run.cores = 1 + i % 3;
      run.wallTimeSeconds = 600;
      run.predictedRunSeconds = i % 5 == 0 ? null : 10.0 + i;
      run.state = RunState.QUEUED;
      runs.add(run);
      RunTransition first = new RunTransition();
      first.runId = run.id;
      first.toState = RunState.QUEUED;
      first.reason = "written by the test";
      first.at = Instant.now();
      firsts.add(first);
    }
    List<UUID> ids = runs.stream().map(r -> r.id).toList();
    try {
      QuarkusTransaction.requiringNew().run(() -> writer.insert(runs, firsts));
      assertTallyIsTheCount(a, b);
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                Run.update("state = ?1 where id in ?2", RunState.SCHEDULED, ids.subList(0, 5));
                Run.update("state = ?1 where id in ?2", RunState.RUNNING, ids.subList(0, 2));
                Run.update("partitionName = ?1 where id in ?2", b, ids.subList(5, 12));
                Run.update("state = ?1 where id in ?2", RunState.SUCCEEDED, ids.subList(12, 15));
                Run.update("predictedRunSeconds = 99.0 where id in ?1", ids.subList(15, 20));
                RunTransition.delete("runId in ?1", ids.subList(20, 23));
                Run.delete("id in ?1", ids.subList(20, 23));
              });
      assertTallyIsTheCount(a, b);
      // a change rolled back leaves the tally as it was
      inRolledBackTransaction(
          () -> Run.update("state = ?1 where id in ?2", RunState.CANCELLED, ids));
      assertTallyIsTheCount(a, b);
      Map<RunState, Map<String, RunTally.Count>> tally =
          QuarkusTransaction.requiringNew().call(() -> this.tally.read());
      assertEquals(7, tally.get(RunState.QUEUED).get(b).runs());
      assertEquals(3, tally.get(RunState.SCHEDULED).get(a).runs());
      assertEquals(2, tally.get(RunState.RUNNING).get(a).runs());
    } finally {
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                RunTransition.delete("runId in ?1", ids);
                Run.delete("id in ?1", ids);
              });
    }
    assertTallyIsTheCount(a, b);
  }

  /** Runs this in a transaction that is then rolled back, and checks that it got that far. */
  private static void inRolledBackTransaction(Runnable work) {
    RuntimeException rollBack = new RuntimeException("roll back");
    RuntimeException thrown =
        org.junit.jupiter.api.Assertions.assertThrows(
            RuntimeException.class,
            () ->
                QuarkusTransaction.requiringNew()
                    .run(
                        () -> {
                          work.run();
                          throw rollBack;
                        }));
    assertEquals(rollBack, thrown);
  }

  /** The tally of these partitions agrees with counting their runs. */
  private void assertTallyIsTheCount(String... partitions) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Map<RunState, Map<String, RunTally.Count>> tally = this.tally.read();
              for (RunState state :
                  List.of(RunState.QUEUED, RunState.SCHEDULED, RunState.RUNNING)) {
                for (String partition : partitions) {
                  List<Run> counted =
                      Run.list("state = ?1 and partitionName = ?2", state, partition);
                  RunTally.Count c =
                      tally.get(state).getOrDefault(partition, new RunTally.Count(0, 0, 0));
                  String what = state + " in " + partition;
                  assertEquals(counted.size(), c.runs(), what);
                  double wall = 0;
                  double predicted = 0;
                  for (Run r : counted) {
                    if (r.predictedRunSeconds == null) {
                      wall += r.cores * r.wallTimeSeconds;
                    } else {
                      predicted += r.cores * r.predictedRunSeconds;
                    }
                  }
                  assertEquals(wall, c.wallWork(), 1e-6, what);
                  assertEquals(predicted, c.predictedWork(), 1e-6, what);
                }
              }
            });
  }

  // ---------------------------------------------------------------- helpers

  /** The entity's mapped fields (its own, not the ones bytecode enhancement adds). */
  private static List<Field> columns() {
    List<Field> fields = new ArrayList<>();
    for (Field f : Run.class.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers())
          && !f.isSynthetic()
          && !f.getName().startsWith("$$")
          && !Modifier.isTransient(f.getModifiers())) {
        f.setAccessible(true);
        fields.add(f);
      }
    }
    assertTrue(fields.size() > 40, "fields: " + fields);
    return fields;
  }

  private static LaunchWriter.Launch launch(Run run) {
    return new LaunchWriter.Launch(run, "written by the test", HOLD, HOLD);
  }

  /** A new org whose prepaid account holds exactly {@code launches} holds. */
  private static String fundedOrg(int launches) {
    String org = "writer-" + UUID.randomUUID().toString().substring(0, 8);
    as("admin")
        .contentType("application/json")
        .body(Map.of("kind", "PREPAID"))
        .put("/api/v1/accounts/" + org)
        .then()
        .statusCode(200);
    as("admin")
        .header("Idempotency-Key", org)
        .contentType("application/json")
        .body(Map.of("amount", HOLD.multiply(BigDecimal.valueOf(launches))))
        .post("/api/v1/accounts/" + org + "/top-ups")
        .then()
        .statusCode(200);
    return org;
  }

  /** A run of the published heat-transfer app, pinned to a partition no cluster has. */
  private static Run run(String org, String idempotencyKey) {
    Plugin plugin =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    Plugin.<Plugin>find("appId = ?1 order by createdAt", "heat-transfer")
                        .firstResult());
    Run run = new Run();
    run.id = UUID.randomUUID();
    run.org = org;
    run.createdBy = "test";
    run.appId = plugin.appId;
    run.appVersion = plugin.appVersion;
    run.pluginId = plugin.id;
    run.jarSha256 = plugin.jarSha256;
    run.inputs = "{}";
    run.inputFiles = "{}";
    run.cores = 1;
    run.memoryMb = 256;
    run.wallTimeSeconds = 600;
    run.backend = "local";
    run.partitionName = NOWHERE;
    run.clusterName = NOWHERE;
    run.pinned = true;
    run.idempotencyKey = idempotencyKey;
    run.requestHash = idempotencyKey == null ? null : "c".repeat(64);
    run.createdAt = Instant.now();
    run.updatedAt = run.createdAt;
    return run;
  }
}
