package io.parasol.simulator;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The comparison of strategies: a table for people, CSV for tools. */
public final class Report {

  private Report() {}

  /**
   * The comparison table; the last two columns compare each strategy's mean bounded slowdown and
   * cost with the first one's (Parasol's, by convention).
   */
  public static String table(List<Simulator.Summary> rows) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "%-17s %6s %11s %11s %9s %7s %11s %12s %10s %10s%n",
            "strategy",
            "jobs",
            "mean wait s",
            "p95 wait s",
            "mean bsld",
            "util",
            "makespan h",
            "cost",
            "bsld vs 1st",
            "cost vs 1st"));
    Simulator.Summary first = rows.get(0);
    for (Simulator.Summary r : rows) {
      s.append(
          String.format(
              Locale.ROOT,
              "%-17s %6d %11.0f %11.0f %9.2f %7.3f %11.1f %12.2f %10s %10s%n",
              r.strategy(),
              r.jobs(),
              r.meanWait(),
              r.p95Wait(),
              r.meanBoundedSlowdown(),
              r.utilisation(),
              r.makespan() / 3600,
              r.totalCost(),
              percent(first.meanBoundedSlowdown(), r.meanBoundedSlowdown()),
              percent(first.totalCost(), r.totalCost())));
    }
    return s.toString();
  }

  /** How the first value differs from the other, in percent of the other. */
  private static String percent(double first, double other) {
    if (other == 0) {
      return "-";
    }
    return String.format(Locale.ROOT, "%+.1f%%", (first - other) / other * 100);
  }

  /** Writes the summary rows as CSV. */
  public static void summaryCsv(List<Simulator.Summary> rows, Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(
          "strategy,jobs,mean_wait_s,p95_wait_s,mean_bounded_slowdown,utilisation,makespan_s,total_cost\n");
      for (Simulator.Summary r : rows) {
        w.write(
            String.format(
                Locale.ROOT,
                "%s,%d,%.3f,%.3f,%.5f,%.5f,%.1f,%.4f%n",
                r.strategy(),
                r.jobs(),
                r.meanWait(),
                r.p95Wait(),
                r.meanBoundedSlowdown(),
                r.utilisation(),
                r.makespan(),
                r.totalCost()));
      }
    }
  }

  /** Writes every job's outcome under every strategy as CSV. */
  public static void jobsCsv(List<Simulator.Result> results, Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(
          "strategy,job,org,home,partition,cores,submit_s,start_s,end_s,wait_s,bounded_slowdown,cost\n");
      for (Simulator.Result result : results) {
        for (Simulator.Outcome o : result.outcomes()) {
          w.write(
              String.format(
                  Locale.ROOT,
                  "%s,%d,%s,%s,%s,%d,%.0f,%.3f,%.3f,%.3f,%.4f,%.6f%n",
                  result.strategy().id(),
                  o.jobId(),
                  o.org(),
                  o.home(),
                  o.partition(),
                  o.cores(),
                  o.submit(),
                  o.start(),
                  o.end(),
                  o.waitSeconds(),
                  o.boundedSlowdown(),
                  o.cost()));
        }
      }
    }
  }
}
