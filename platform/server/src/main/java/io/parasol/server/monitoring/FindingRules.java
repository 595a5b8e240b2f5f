package io.parasol.server.monitoring;

import io.parasol.protocol.MetricFrame;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * The bottleneck rules, judged on a run's recent samples. Pure: the same samples and thresholds
 * always give the same conditions. Level rules look at the last {@link Thresholds#windowSamples()}
 * samples, so a condition is raised within two sampling intervals of holding; the leak rule looks
 * at a longer window, the stall rule at how long progress has stood still. When the cores sit idle
 * because the run waits on I/O or on its slowest thread, only that cause is raised.
 */
public final class FindingRules {

  /** The rules, by the name findings carry. */
  public static final String IDLE_CORES = "idle_cores";

  public static final String IDLE_ACCELERATOR = "idle_accelerator";
  public static final String MEMORY_NEAR_LIMIT = "memory_near_limit";
  public static final String MEMORY_LEAK = "memory_leak";
  public static final String IO_BOUND = "io_bound";
  public static final String STALLED = "stalled_progress";
  public static final String LOAD_IMBALANCE = "load_imbalance";
  public static final String SLOWER_THAN_MODEL = "slower_than_model";

  /** Every rule. */
  public static final List<String> RULES =
      List.of(
          IDLE_CORES,
          IDLE_ACCELERATOR,
          MEMORY_NEAR_LIMIT,
          MEMORY_LEAK,
          IO_BOUND,
          STALLED,
          LOAD_IMBALANCE,
          SLOWER_THAN_MODEL);

  private FindingRules() {}

  /**
   * The thresholds (see {@link MonitoringConfig.Findings}).
   *
   * @param windowSamples samples in the evidence window of the level rules
   * @param idleCores idle cores below this mean utilisation
   * @param idleAccelerator idle accelerator below this mean utilisation
   * @param memoryNearLimit memory near the limit above this fraction
   * @param leakSamples samples in the leak window
   * @param leakGrowth growth over the leak window, fraction of the limit
   * @param leakFit R² of the growth
   * @param ioWait I/O-bound at this fraction of cores blocked
   * @param stalledAfter stalled after this long without progress
   * @param imbalance load imbalance above this spread
   * @param slowerThanModel slower than the model by more than this fraction
   */
  public record Thresholds(
      int windowSamples,
      double idleCores,
      double idleAccelerator,
      double memoryNearLimit,
      int leakSamples,
      double leakGrowth,
      double leakFit,
      double ioWait,
      Duration stalledAfter,
      double imbalance,
      double slowerThanModel) {

    /** The configured thresholds. */
    public static Thresholds of(MonitoringConfig.Findings f) {
      return new Thresholds(
          Math.max(1, f.windowSamples()),
          f.idleCores(),
          f.idleAccelerator(),
          f.memoryNearLimit(),
          Math.max(3, f.leakSamples()),
          f.leakGrowth(),
          f.leakFit(),
          f.ioWait(),
          f.stalledAfter(),
          f.imbalance(),
          f.slowerThanModel());
    }
  }

  /**
   * What the rules know of the run besides its samples.
   *
   * @param cores allocated cores
   * @param cards allocated accelerator cards
   * @param cardKind {@code GPU} or {@code FPGA}, or null
   * @param progressSince when the progress last changed (null when the solver never reported any)
   * @param expectedRate the model's expected progress per second, or null without a model
   * @param observedRate the measured progress per second over the recent samples, or null
   */
  public record Facts(
      int cores,
      int cards,
      String cardKind,
      Instant progressSince,
      Double expectedRate,
      Double observedRate) {}

  /**
   * A rule that holds.
   *
   * @param rule the rule name
   * @param severity {@code high}, {@code medium} or {@code low}
   * @param message what holds, in words
   * @param evidence the measured values behind it
   * @param from the start of the evidence window
   * @param to the end of the evidence window
   * @param rightCores the cores a right-sized run would take, or null when the cores are right
   * @param rightCards the cards a right-sized run would take, or null when the cards are right
   */
  public record Condition(
      String rule,
      String severity,
      String message,
      Map<String, Object> evidence,
      Instant from,
      Instant to,
      Integer rightCores,
      Integer rightCards) {}

  /**
   * Judges the run.
   *
   * @param t the thresholds
   * @param facts what is known besides the samples
   * @param frames the recent samples, oldest first
   * @param now the time of judgement
   * @return the conditions that hold, in the order of {@link #RULES}
   */
  public static List<Condition> evaluate(
      Thresholds t, Facts facts, List<Frame> frames, Instant now) {
    List<Condition> out = new ArrayList<>();
    if (frames.isEmpty()) {
      return out;
    }
    List<Frame> window =
        frames.subList(Math.max(0, frames.size() - t.windowSamples()), frames.size());
    boolean full = window.size() >= t.windowSamples();
    Instant from = window.get(0).at();
    Instant to = window.get(window.size() - 1).at();

    Double cpu = full ? mean(window, MetricFrame.CPU_UTILISATION) : null;
    Double spread = full ? mean(window, MetricFrame.CORE_SPREAD) : null;
    Double ioWait = full ? mean(window, MetricFrame.IO_WAIT) : null;

    boolean imbalanced = facts.cores() >= 2 && spread != null && spread > t.imbalance();
    boolean ioBound = ioWait != null && ioWait >= t.ioWait();

    if (cpu != null && cpu < t.idleCores() && !imbalanced && !ioBound) {
      int right = Math.max(1, (int) Math.ceil(cpu * facts.cores() - 1e-9));
      out.add(
          new Condition(
              IDLE_CORES,
              cpu < 0.5 ? "high" : "medium",
              String.format(
                  Locale.ROOT,
                  "cores idle: the run used %.0f%% of its %d core(s) over %s",
                  cpu * 100,
                  facts.cores(),
                  span(from, to)),
              evidence("cpu_utilisation_mean", cpu, "cores", facts.cores()),
              from,
              to,
              right < facts.cores() ? right : null,
              null));
    }

    if (facts.cards() > 0 && full) {
      String prefix = "FPGA".equalsIgnoreCase(facts.cardKind()) ? "fpga" : "gpu";
      Double util = mean(window, prefix + "_utilisation");
      boolean deviceAtZero = allZero(window, prefix + "_utilisation_min");
      if (util != null && (util < t.idleAccelerator() || deviceAtZero)) {
        int right = (int) Math.ceil(util * facts.cards() - 1e-9);
        out.add(
            new Condition(
                IDLE_ACCELERATOR,
                util < 0.05 ? "high" : "medium",
                String.format(
                    Locale.ROOT,
                    "%s under-used: %.0f%% mean utilisation of %d card(s)%s over %s",
                    prefix.toUpperCase(Locale.ROOT),
                    util * 100,
                    facts.cards(),
                    deviceAtZero ? ", a device at 0%" : "",
                    span(from, to)),
                evidence(prefix + "_utilisation_mean", util, "device_at_zero", deviceAtZero),
                from,
                to,
                null,
                right < facts.cards() ? right : null));
      }
    }

    Double lowest = full ? min(window, FindingRules::memoryFraction) : null;
    if (lowest != null && lowest > t.memoryNearLimit()) {
      out.add(
          new Condition(
              MEMORY_NEAR_LIMIT,
              "high",
              String.format(
                  Locale.ROOT,
                  "memory near the limit: at least %.0f%% of the limit in use over %s",
                  lowest * 100,
                  span(from, to)),
              evidence("memory_fraction_min", lowest),
              from,
              to,
              null,
              null));
    }

    Condition leak = leak(t, frames);
    if (leak != null) {
      out.add(leak);
    }

    if (ioBound) {
      out.add(
          new Condition(
              IO_BOUND,
              "medium",
              String.format(
                  Locale.ROOT,
                  "I/O-bound: on average %.2f thread(s) per core blocked on I/O over %s",
                  ioWait,
                  span(from, to)),
              evidence(
                  "io_wait_fraction_mean",
                  ioWait,
                  "io_read_bytes_per_second",
                  mean(window, MetricFrame.IO_READ),
                  "io_write_bytes_per_second",
                  mean(window, MetricFrame.IO_WRITE)),
              from,
              to,
              null,
              null));
    }

    Double progress = frames.get(frames.size() - 1).get(MetricFrame.PROGRESS);
    if (facts.progressSince() != null
        && progress != null
        && progress < 1.0
        && !Duration.between(facts.progressSince(), now).minus(t.stalledAfter()).isNegative()) {
      out.add(
          new Condition(
              STALLED,
              "high",
              String.format(
                  Locale.ROOT,
                  "stalled: progress has stayed at %.1f%% for %s",
                  progress * 100,
                  span(facts.progressSince(), now)),
              evidence("progress", progress, "since", facts.progressSince().toString()),
              facts.progressSince(),
              now,
              null,
              null));
    }

    if (imbalanced) {
      out.add(
          new Condition(
              LOAD_IMBALANCE,
              "medium",
              String.format(
                  Locale.ROOT,
                  "load imbalance: busy cores differ by %.0f points of utilisation over %s",
                  spread * 100,
                  span(from, to)),
              evidence("core_spread_mean", spread, "cpu_utilisation_mean", cpu),
              from,
              to,
              null,
              null));
    }

    boolean stalled = out.stream().anyMatch(c -> c.rule().equals(STALLED));
    if (!stalled
        && facts.expectedRate() != null
        && facts.observedRate() != null
        && facts.expectedRate() > 0
        && facts.observedRate() < (1 - t.slowerThanModel()) * facts.expectedRate()) {
      double slower = 1 - facts.observedRate() / facts.expectedRate();
      out.add(
          new Condition(
              SLOWER_THAN_MODEL,
              slower > 0.5 ? "high" : "medium",
              String.format(
                  Locale.ROOT,
                  "slower than expected by %.0f%%: progress %.4g/s against %.4g/s for this app,"
                      + " size and cores",
                  slower * 100,
                  facts.observedRate(),
                  facts.expectedRate()),
              evidence(
                  "observed_rate",
                  facts.observedRate(),
                  "expected_rate",
                  facts.expectedRate(),
                  "slower_by",
                  slower),
              from,
              to,
              null,
              null));
    }
    return out;
  }

  /** Steady growth of memory in use over the leak window: a straight, rising line. */
  private static Condition leak(Thresholds t, List<Frame> frames) {
    if (frames.size() < t.leakSamples()) {
      return null;
    }
    List<Frame> window = frames.subList(frames.size() - t.leakSamples(), frames.size());
    SimpleRegression line = new SimpleRegression();
    Instant origin = window.get(0).at();
    Double limit = null;
    for (Frame f : window) {
      Double used = f.get(MetricFrame.MEMORY_USED);
      Double l = f.get(MetricFrame.MEMORY_LIMIT);
      if (used == null || l == null || l <= 0) {
        return null;
      }
      limit = l;
      line.addData(Duration.between(origin, f.at()).toMillis() / 1000.0, used);
    }
    double seconds =
        Duration.between(origin, window.get(window.size() - 1).at()).toMillis() / 1000.0;
    double slope = line.getSlope();
    double r2 = line.getRSquare();
    if (!(seconds > 0
        && slope > 0
        && r2 >= t.leakFit()
        && slope * seconds >= t.leakGrowth() * limit)) {
      return null;
    }
    double now = window.get(window.size() - 1).get(MetricFrame.MEMORY_USED);
    double toLimit = Math.max(0, (limit - now) / slope);
    return new Condition(
        MEMORY_LEAK,
        toLimit < 600 ? "high" : "medium",
        String.format(
            Locale.ROOT,
            "memory grows steadily: %.1f MiB/s over %s (R² %.2f); at this rate the limit is reached"
                + " in %s",
            slope / (1024 * 1024),
            span(origin, window.get(window.size() - 1).at()),
            r2,
            span(Duration.ofSeconds((long) Math.min(toLimit, 1e9)))),
        evidence("bytes_per_second", slope, "r_squared", r2, "seconds_to_limit", toLimit),
        origin,
        window.get(window.size() - 1).at(),
        null,
        null);
  }

  private static Double memoryFraction(Frame f) {
    Double used = f.get(MetricFrame.MEMORY_USED);
    Double limit = f.get(MetricFrame.MEMORY_LIMIT);
    return used == null || limit == null || limit <= 0 ? null : used / limit;
  }

  private static Double mean(List<Frame> window, String name) {
    double sum = 0;
    for (Frame f : window) {
      Double v = f.get(name);
      if (v == null) {
        return null;
      }
      sum += v;
    }
    return sum / window.size();
  }

  private static Double min(List<Frame> window, java.util.function.Function<Frame, Double> value) {
    double min = Double.POSITIVE_INFINITY;
    for (Frame f : window) {
      Double v = value.apply(f);
      if (v == null) {
        return null;
      }
      min = Math.min(min, v);
    }
    return min;
  }

  private static boolean allZero(List<Frame> window, String name) {
    for (Frame f : window) {
      Double v = f.get(name);
      if (v == null || v > 0) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, Object> evidence(Object... pairs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      if (pairs[i + 1] != null) {
        m.put((String) pairs[i], pairs[i + 1]);
      }
    }
    return m;
  }

  private static String span(Instant from, Instant to) {
    return span(Duration.between(from, to));
  }

  static String span(Duration d) {
    long s = Math.max(0, Math.round(d.toMillis() / 1000.0));
    if (s < 120) {
      return s + " s";
    }
    if (s < 7200) {
      return (s / 60) + " min";
    }
    return String.format(Locale.ROOT, "%.1f h", s / 3600.0);
  }
}
