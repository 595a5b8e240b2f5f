package io.parasol.server.run;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The runs not yet ended ({@code QUEUED}, {@code SCHEDULED}, {@code RUNNING}) counted by state and
 * partition, with their work, for the placement snapshot and the platform gauges.
 *
 * <p>On PostgreSQL the database keeps the tally itself (migration {@code V10_1__run_tally}: every
 * statement that changes runs appends its changes, which a reading folds in), so a reading costs a
 * few rows however long the queues; a queue of 200,000 runs took 0.2–0.5 s of the database's time
 * to count, every 10 s, and stalled the launches committing meanwhile (ADR 0013, third amendment).
 * On H2, the embedded default with short queues, a reading counts the runs.
 */
@ApplicationScoped
public class RunTally {

  /**
   * The runs of one state in one partition.
   *
   * @param runs how many
   * @param wallWork the core-seconds of those without a predicted run time, at their wall-time
   *     limit
   * @param predictedWork the core-seconds of those with one, at the speed of a reference core
   */
  public record Count(long runs, double wallWork, double predictedWork) {

    /** The work in core-seconds on a partition of this relative speed. */
    public double work(double speed) {
      return wallWork + predictedWork / speed;
    }
  }

  /** Whether the database is PostgreSQL (production) rather than the embedded H2. */
  private final boolean postgres;

  RunTally(@ConfigProperty(name = "quarkus.datasource.db-kind") String dbKind) {
    this.postgres = dbKind.startsWith("postgres");
  }

  /**
   * The tally now, by state, then by partition (partitions without such runs left out); in the
   * caller's transaction.
   */
  @SuppressWarnings("unchecked")
  public Map<RunState, Map<String, Count>> read() {
    var em = Run.getEntityManager();
    List<Object[]> rows;
    if (postgres) {
      // the changes appended since the last reading, folded in (in key order: two replicas folding
      // at once lock the tally's rows in the same order)
      em.createNativeQuery(
              "with folded as (delete from run_tally_change returning state, partition_name, runs,"
                  + " wall_work, predicted_work) insert into run_tally (state, partition_name,"
                  + " runs, wall_work, predicted_work) select state, partition_name, sum(runs),"
                  + " sum(wall_work), sum(predicted_work) from folded group by state,"
                  + " partition_name order by state, partition_name on conflict (state,"
                  + " partition_name) do update set runs = run_tally.runs + excluded.runs,"
                  + " wall_work = run_tally.wall_work + excluded.wall_work, predicted_work ="
                  + " run_tally.predicted_work + excluded.predicted_work")
          .executeUpdate();
      rows =
          em.createNativeQuery(
                  "select state, partition_name, runs, wall_work, predicted_work from run_tally"
                      + " where runs <> 0")
              .getResultList();
    } else {
      rows =
          em.createNativeQuery(
                  "select state, partition_name, count(*), sum(case when predicted_run_seconds is"
                      + " null then cores * wall_time_seconds else 0 end), sum(case when"
                      + " predicted_run_seconds is null then 0 else cores * predicted_run_seconds"
                      + " end) from run where state in ('QUEUED', 'SCHEDULED', 'RUNNING') group by"
                      + " state, partition_name")
              .getResultList();
    }
    Map<RunState, Map<String, Count>> tally = new EnumMap<>(RunState.class);
    for (RunState s : RunState.values()) {
      if (!s.isTerminal()) {
        tally.put(s, new TreeMap<>());
      }
    }
    for (Object[] r : rows) {
      Map<String, Count> byPartition = tally.get(RunState.valueOf((String) r[0]));
      if (byPartition != null) {
        byPartition.put(
            (String) r[1], new Count(((Number) r[2]).longValue(), number(r[3]), number(r[4])));
      }
    }
    return tally;
  }

  private static double number(Object value) {
    return value == null ? 0 : ((Number) value).doubleValue();
  }
}
