package io.parasol.server.run;

import io.parasol.server.billing.BillingService;
import io.parasol.server.billing.BillingService.HoldRequest;
import io.parasol.server.billing.SubscriptionService;
import io.parasol.server.common.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Writes accepted launches with group commit: launches wait in a queue, and one writer thread per
 * replica takes all that are waiting (up to {@value #MAX_GROUP}) into one transaction — their
 * reserved cores, their runs and first transitions and their hold postings as JDBC batches, then
 * each org's funds taken for the whole group in one conditional statement, the last — and one
 * durable commit. Launches that arrive while a group commits make up the next one, so groups grow
 * with the load.
 *
 * <p>Each launch still succeeds or fails alone: a group that fails as a whole (its funds do not
 * cover all of it, a race on an Idempotency-Key, a lost connection) is rolled back and written
 * again launch by launch, so every error, and every 402, reaches the launch that caused it.
 *
 * <p>One writer, not several: with four at once (request threads taking turns as the writer) groups
 * were of two or three launches, and the request threads whose launches were already written queued
 * for the next turn behind the others; one thread of its own makes the groups as large as the load
 * and hands nothing over (280–490 launches/s with four writers, 1,460–1,500 with the thread, on two
 * cores; ADR 0013).
 *
 * <p>Nobody blocks on the writer: {@link #submit} answers a future that the writer completes after
 * the group's commit, so a launch holds no request thread while it waits (ADR 0013, third
 * amendment).
 */
@ApplicationScoped
class LaunchWriter {

  private static final Logger LOG = Logger.getLogger(LaunchWriter.class);

  /** The most launches written in one transaction. */
  static final int MAX_GROUP = 128;

  private final BillingService billing;
  private final SubscriptionService subscriptions;
  private final DataSource dataSource;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private volatile Thread writer;
  private volatile boolean stopped;

  LaunchWriter(BillingService billing, SubscriptionService subscriptions, DataSource dataSource) {
    this.billing = billing;
    this.subscriptions = subscriptions;
    this.dataSource = dataSource;
  }

  /**
   * A launch to write.
   *
   * @param run the run, complete but for its state and hold
   * @param reason the first transition's reason
   * @param licence what to hold when the run fits in its org's reserved cores (the licence only)
   * @param total what to hold otherwise (compute and licence, at the wall-time limit)
   */
  record Launch(Run run, String reason, BigDecimal licence, BigDecimal total) {}

  private static final class Pending {
    final Launch launch;
    final CompletableFuture<RunTransition> answer = new CompletableFuture<>();
    RunTransition written;
    RuntimeException failed;

    Pending(Launch launch) {
      this.launch = launch;
    }

    /** Answers the launch with what became of it. */
    void finish() {
      if (failed != null) {
        answer.completeExceptionally(failed);
      } else {
        answer.complete(written);
      }
    }
  }

  /**
   * Hands a launch to the writer, to be written in a group with whatever launches are waiting: the
   * run QUEUED, its first transition, its reserved cores and its hold, committed. The caller does
   * not wait: the answer completes on the writer thread once the group has committed (or failed).
   *
   * @return the first transition; failed with a {@link ProblemException} 402 when the org's funds
   *     do not cover the hold, or with what failed the launch's own transaction
   */
  CompletableFuture<RunTransition> submit(Launch launch) {
    startWriter();
    Pending mine = new Pending(launch);
    queue.add(mine);
    if (stopped) {
      // shut down: nothing will write it, nor anything that came in meanwhile
      failWaiting();
    }
    return mine.answer;
  }

  private void startWriter() {
    if (writer == null) {
      synchronized (this) {
        if (writer == null) {
          Thread t = new Thread(this::writeForever, "parasol-launch-writer");
          t.setDaemon(true);
          t.start();
          writer = t;
        }
      }
    }
  }

  /** The writer thread: takes every waiting launch into a group and writes it, until shut down. */
  private void writeForever() {
    List<Pending> group = new ArrayList<>();
    while (!Thread.currentThread().isInterrupted()) {
      try {
        group.add(queue.take());
        queue.drainTo(group, MAX_GROUP - 1);
        write(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException | Error e) {
        // every launch of the group has been answered with the failure; go on with the next
        LOG.error("a group of launches could not be written", e);
      } finally {
        group.clear();
      }
    }
    failWaiting();
  }

  /** Answers every launch still waiting with a failure: the writer has stopped. */
  private void failWaiting() {
    List<Pending> waiting = new ArrayList<>();
    queue.drainTo(waiting);
    for (Pending p : waiting) {
      p.answer.completeExceptionally(new IllegalStateException("the launch writer has stopped"));
    }
  }

  @PreDestroy
  void stop() {
    stopped = true;
    Thread t = writer;
    if (t != null) {
      t.interrupt();
    } else {
      failWaiting();
    }
  }

  /** What became of one launch of a group: its first transition, or what failed it. */
  record Outcome(RunTransition written, RuntimeException failed) {}

  /**
   * Writes these launches as one group, as concurrent launches are written, and answers what became
   * of each, in order.
   */
  List<Outcome> writeTogether(List<Launch> launches) {
    List<Pending> group = launches.stream().map(Pending::new).toList();
    write(group);
    return group.stream().map(p -> new Outcome(p.written, p.failed)).toList();
  }

  private void write(List<Pending> group) {
    try {
      writeGroup(group);
    } finally {
      // nothing waits for ever, whatever went wrong
      for (Pending p : group) {
        if (!p.answer.isDone()) {
          p.written = null;
          p.failed = new IllegalStateException("the launch could not be written");
          p.finish();
        }
      }
    }
  }

  private void writeGroup(List<Pending> group) {
    if (group.isEmpty()) {
      return;
    }
    // one launch per Idempotency-Key in a group: a second one is written after the first commits,
    // where it meets the first on the unique key and is answered with it
    List<Pending> now = new ArrayList<>();
    List<Pending> later = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (Pending p : group) {
      Run run = p.launch.run();
      if (run.idempotencyKey == null || keys.add(run.org + "\n" + run.idempotencyKey)) {
        now.add(p);
      } else {
        later.add(p);
      }
    }
    try {
      QuarkusTransaction.requiringNew().run(() -> writeInTransaction(now));
      now.forEach(Pending::finish);
    } catch (RuntimeException e) {
      if (now.size() == 1) {
        Pending p = now.get(0);
        p.written = null;
        p.failed = e;
        p.finish();
      } else {
        for (Pending p : now) {
          write(List.of(p));
        }
      }
    }
    for (Pending p : later) {
      write(List.of(p));
    }
  }

  /** Writes a group in the caller's transaction, all or nothing. */
  private void writeInTransaction(List<Pending> group) {
    Set<String> orgs = new LinkedHashSet<>();
    group.forEach(p -> orgs.add(p.launch.run().org));
    Set<String> reservedPartitions = subscriptions.reservedPartitions(orgs);
    List<HoldRequest> holds = new ArrayList<>();
    Instant at = Instant.now();
    for (Pending p : group) {
      Run run = p.launch.run();
      // inside the org's reserved cores only the licence is held and charged
      boolean inside =
          reservedPartitions.contains(run.org + "/" + run.partitionName)
              && subscriptions.reserve(run.org, run.partitionName, run.cores, run.id);
      run.holdAmount = inside ? p.launch.licence() : p.launch.total();
      holds.add(new HoldRequest(run.org, run.id, run.holdAmount));
      RunTransition t = new RunTransition();
      t.runId = run.id;
      t.fromState = null;
      t.toState = RunState.QUEUED;
      t.reason = RunStore.truncate(p.launch.reason());
      t.at = at;
      run.state = RunState.QUEUED;
      run.updatedAt = at;
      p.written = t;
      p.failed = null;
    }
    insert(
        group.stream().map(p -> p.launch.run()).toList(),
        group.stream().map(p -> p.written).toList());
    // the funds last: concurrent groups of one org wait for each other only from here to the commit
    billing.holdAll(holds);
  }

  /**
   * Inserts runs and their first transitions in the caller's transaction, as two JDBC batches on
   * the transaction's connection (what Hibernate holds of the transaction is written at its commit,
   * after them).
   */
  void insert(List<Run> runs, List<RunTransition> firsts) {
    try (Connection connection = dataSource.getConnection()) {
      insert(connection, runs, firsts);
    } catch (SQLException e) {
      throw new IllegalStateException("the runs could not be written: " + e.getMessage(), e);
    }
  }

  private static void insert(Connection connection, List<Run> runs, List<RunTransition> firsts)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(RUN_INSERT)) {
      for (Run run : runs) {
        for (int i = 0; i < RUN_COLUMNS.size(); i++) {
          RUN_COLUMNS.get(i).bind(statement, i + 1, run);
        }
        statement.addBatch();
      }
      statement.executeBatch();
    }
    try (PreparedStatement statement =
        connection.prepareStatement(
            "insert into run_transition (run_id, from_state, to_state, reason, at)"
                + " values (?, ?, ?, ?, ?)")) {
      for (RunTransition t : firsts) {
        statement.setObject(1, t.runId);
        statement.setString(2, name(t.fromState));
        statement.setString(3, t.toState.name());
        statement.setString(4, t.reason);
        statement.setObject(5, time(t.at));
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  // ---------------------------------------------------------------- the run row

  /** One column of the run table, as the {@link Run} entity maps it. */
  private record Column(String name, int sqlType, Function<Run, Object> value) {
    void bind(PreparedStatement statement, int index, Run run) throws SQLException {
      Object v = value.apply(run);
      if (v == null) {
        statement.setNull(index, sqlType);
      } else {
        statement.setObject(index, v);
      }
    }
  }

  private static OffsetDateTime time(Instant at) {
    return at == null ? null : at.atOffset(ZoneOffset.UTC);
  }

  private static String name(Enum<?> e) {
    return e == null ? null : e.name();
  }

  /**
   * Every column of the run table. {@code LaunchWriterTest} writes a run with every field set and
   * reads it back through the entity, so a column added to {@link Run} but not here fails it.
   */
  private static final List<Column> RUN_COLUMNS =
      List.of(
          new Column("id", Types.OTHER, r -> r.id),
          new Column("org", Types.VARCHAR, r -> r.org),
          new Column("created_by", Types.VARCHAR, r -> r.createdBy),
          new Column("app_id", Types.VARCHAR, r -> r.appId),
          new Column("app_version", Types.VARCHAR, r -> r.appVersion),
          new Column("plugin_id", Types.OTHER, r -> r.pluginId),
          new Column("jar_sha256", Types.CHAR, r -> r.jarSha256),
          new Column("dependency_jars", Types.VARCHAR, r -> r.dependencyJars),
          new Column("inputs", Types.VARCHAR, r -> r.inputs),
          new Column("input_files", Types.VARCHAR, r -> r.inputFiles),
          new Column("cores", Types.INTEGER, r -> r.cores),
          new Column("memory_mb", Types.BIGINT, r -> r.memoryMb),
          new Column("wall_time_seconds", Types.BIGINT, r -> r.wallTimeSeconds),
          new Column("backend", Types.VARCHAR, r -> r.backend),
          new Column("partition_name", Types.VARCHAR, r -> r.partitionName),
          new Column("cluster_name", Types.VARCHAR, r -> r.clusterName),
          new Column("pinned", Types.BOOLEAN, r -> r.pinned),
          new Column("accelerator_kind", Types.VARCHAR, r -> name(r.acceleratorKind)),
          new Column("accelerator_model", Types.VARCHAR, r -> r.acceleratorModel),
          new Column("accelerator_count", Types.INTEGER, r -> r.acceleratorCount),
          new Column("job_ref", Types.VARCHAR, r -> r.jobRef),
          new Column("placement", Types.VARCHAR, r -> r.placement),
          new Column("state", Types.VARCHAR, r -> name(r.state)),
          new Column("progress", Types.DOUBLE, r -> r.progress),
          new Column("progress_message", Types.VARCHAR, r -> r.progressMessage),
          new Column("reason", Types.VARCHAR, r -> r.reason),
          new Column("idempotency_key", Types.VARCHAR, r -> r.idempotencyKey),
          new Column("request_hash", Types.CHAR, r -> r.requestHash),
          new Column("token_hash", Types.CHAR, r -> r.tokenHash),
          new Column(
              "token_expires_at", Types.TIMESTAMP_WITH_TIMEZONE, r -> time(r.tokenExpiresAt)),
          new Column("vendor_org", Types.VARCHAR, r -> r.vendorOrg),
          new Column("hold_amount", Types.NUMERIC, r -> r.holdAmount),
          new Column("settled_at", Types.TIMESTAMP_WITH_TIMEZONE, r -> time(r.settledAt)),
          new Column("worker_pid", Types.BIGINT, r -> r.workerPid),
          new Column("attempt", Types.INTEGER, r -> r.attempt),
          new Column("exit_code", Types.INTEGER, r -> r.exitCode),
          new Column("created_at", Types.TIMESTAMP_WITH_TIMEZONE, r -> time(r.createdAt)),
          new Column("scheduled_at", Types.TIMESTAMP_WITH_TIMEZONE, r -> time(r.scheduledAt)),
          new Column("priority", Types.INTEGER, r -> r.priority),
          new Column("objective", Types.VARCHAR, r -> r.objective),
          new Column("predicted_run_seconds", Types.DOUBLE, r -> r.predictedRunSeconds),
          new Column("input_bytes", Types.BIGINT, r -> r.inputBytes),
          new Column("problem_key", Types.VARCHAR, r -> r.problemKey),
          new Column("dispatcher", Types.VARCHAR, r -> r.dispatcher),
          new Column("next_check_at", Types.TIMESTAMP_WITH_TIMEZONE, r -> time(r.nextCheckAt)),
          new Column("started_at", Types.TIMESTAMP_WITH_TIMEZONE, r -> time(r.startedAt)),
          new Column("problem_size", Types.DOUBLE, r -> r.problemSize),
          new Column("finished_at", Types.TIMESTAMP_WITH_TIMEZONE, r -> time(r.finishedAt)),
          new Column("updated_at", Types.TIMESTAMP_WITH_TIMEZONE, r -> time(r.updatedAt)),
          new Column("row_version", Types.BIGINT, r -> r.rowVersion));

  private static final String RUN_INSERT =
      "insert into run ("
          + String.join(", ", RUN_COLUMNS.stream().map(Column::name).toList())
          + ") values ("
          + String.join(", ", RUN_COLUMNS.stream().map(c -> "?").toList())
          + ")";
}
