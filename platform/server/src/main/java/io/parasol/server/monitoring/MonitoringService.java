package io.parasol.server.monitoring;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.parasol.protocol.MetricFrame;
import io.parasol.protocol.RunSpec;
import io.parasol.server.common.ProblemException;
import io.parasol.server.common.ProblemException.FieldProblem;
import io.parasol.server.run.RunService;
import io.parasol.server.run.RunViews.MonitoredRun;
import io.parasol.server.run.WorkerCallbackService;
import io.parasol.server.run.WorkerCallbackService.SampleGrant;
import io.parasol.server.tenancy.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Takes workers' samples (authenticated by the run token, checked once and then cached briefly),
 * stores them, keeps each running run's recent window and raises findings on it; answers what the
 * engineer sees of a run's monitoring.
 */
@ApplicationScoped
public class MonitoringService {

  private static final Logger LOG = Logger.getLogger(MonitoringService.class);

  /** Metric names: lower case, digits, underscores and dots; at most 64 characters. */
  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.]{0,63}");

  /** How far in the future (clock skew) or the past a sample may be. */
  static final Duration SKEW = Duration.ofMinutes(5);

  static final Duration OLDEST = Duration.ofDays(30);

  private final SampleStore store;
  private final FindingService findings;
  private final PerformanceModels models;
  private final WorkerCallbackService callbacks;
  private final RunService runs;
  private final MonitoringConfig config;
  private final FindingRules.Thresholds thresholds;
  private final Cache<UUID, SampleGrant> grants;
  private final Cache<UUID, RunWindow> windows =
      Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).maximumSize(50_000).build();

  MonitoringService(
      SampleStore store,
      FindingService findings,
      PerformanceModels models,
      WorkerCallbackService callbacks,
      RunService runs,
      MonitoringConfig config) {
    this.store = store;
    this.findings = findings;
    this.models = models;
    this.callbacks = callbacks;
    this.runs = runs;
    this.config = config;
    this.thresholds = FindingRules.Thresholds.of(config.findings());
    this.grants =
        Caffeine.newBuilder()
            .expireAfterWrite(config.ingest().tokenCache())
            .maximumSize(100_000)
            .build();
  }

  /** The sampling settings workers get in their run spec. */
  public RunSpec.Monitoring workerSettings() {
    double seconds = Math.max(1.0, config.sampleInterval().toMillis() / 1000.0);
    return new RunSpec.Monitoring(
        seconds,
        config.nvidiaSmi(),
        config.fpgaCommand().orElse(List.of()),
        config.reportInterval().toMillis() / 1000.0);
  }

  // ---------------------------------------------------------------- ingestion

  /**
   * Takes a batch of frames from a run's worker.
   *
   * @throws ProblemException 400 for a malformed batch, 401 for a bad token, 503 when the write
   *     buffer is full
   */
  public void ingest(UUID runId, String token, List<MetricFrame> frames) {
    validate(frames);
    SampleGrant grant = grants.getIfPresent(runId);
    if (grant == null || !grant.accepts(token)) {
      grant = callbacks.authorisedForSamples(runId, token);
      grants.put(runId, grant);
    }
    List<SampleStore.StoredFrame> stored = new ArrayList<>(frames.size());
    for (MetricFrame f : frames) {
      stored.add(stored(runId, f));
    }
    if (!store.offer(stored)) {
      throw new ProblemException(
          503,
          "Service Unavailable",
          "sample ingestion is behind; retry in a second",
          List.of(),
          Map.of("retryAfterSeconds", 1));
    }
    judge(grant.run(), frames);
  }

  /**
   * Whether {@code token} is the run's valid worker token, checked before a report's body is read;
   * a valid answer is remembered as long as a sample batch's would be. Blocking.
   */
  public boolean acceptsWorkerToken(UUID runId, String token) {
    if (token == null || token.isEmpty() || token.length() > 512) {
      return false;
    }
    SampleGrant grant = grants.getIfPresent(runId);
    if (grant != null && grant.accepts(token)) {
      return true;
    }
    try {
      grants.put(runId, callbacks.authorisedForSamples(runId, token));
      return true;
    } catch (ProblemException e) {
      if (e.status() == 401 || e.status() == 404) {
        return false;
      }
      throw e;
    }
  }

  /** Solver metrics sent as events by older workers: stored like samples. */
  void onLegacyMetrics(@Observes WorkerCallbackService.MetricsReported reported) {
    List<SampleStore.StoredFrame> stored = new ArrayList<>();
    for (MetricFrame f : reported.frames()) {
      if (f.values().keySet().stream().allMatch(n -> NAME.matcher(n).matches())) {
        stored.add(stored(reported.runId(), f));
      }
    }
    store.offer(stored);
  }

  /** A frame as stored: its values, then its unavailable metrics as NaN. */
  private static SampleStore.StoredFrame stored(UUID runId, MetricFrame f) {
    List<String> names = new ArrayList<>(f.values().keySet());
    if (f.unavailable() != null) {
      for (String name : f.unavailable()) {
        if (!f.values().containsKey(name) && !names.contains(name)) {
          names.add(name);
        }
      }
    }
    double[] values = new double[names.size()];
    for (int i = 0; i < values.length; i++) {
      Double v = f.values().get(names.get(i));
      values[i] = v == null ? Double.NaN : v;
    }
    return new SampleStore.StoredFrame(runId, f.at(), names, values);
  }

  private void validate(List<MetricFrame> frames) {
    if (frames == null) {
      throw ProblemException.invalid("frames", "must be a JSON array of frames");
    }
    if (frames.size() > config.ingest().maxFrames()) {
      throw ProblemException.invalid(
          "frames", "at most " + config.ingest().maxFrames() + " frames per call");
    }
    Instant now = Instant.now();
    List<FieldProblem> problems = new ArrayList<>();
    for (int i = 0; i < frames.size() && problems.size() < 20; i++) {
      MetricFrame f = frames.get(i);
      String at = "frames[" + i + "]";
      if (f == null) {
        problems.add(new FieldProblem(at, "must be a frame object"));
        continue;
      }
      if (f.at() == null) {
        problems.add(new FieldProblem(at + ".at", "is required (an ISO-8601 instant)"));
      } else if (f.at().isAfter(now.plus(SKEW)) || f.at().isBefore(now.minus(OLDEST))) {
        problems.add(
            new FieldProblem(at + ".at", "must be within the last 30 days and not in the future"));
      }
      if (f.values() == null) {
        problems.add(new FieldProblem(at + ".values", "is required (an object of numbers)"));
        continue;
      }
      int count = f.values().size() + (f.unavailable() == null ? 0 : f.unavailable().size());
      if (count > config.ingest().maxValues()) {
        problems.add(
            new FieldProblem(
                at + ".values", "at most " + config.ingest().maxValues() + " metrics per frame"));
        continue;
      }
      for (Map.Entry<String, Double> e : f.values().entrySet()) {
        if (!NAME.matcher(e.getKey()).matches()) {
          problems.add(
              new FieldProblem(
                  at + ".values",
                  "metric name '" + clip(e.getKey()) + "' must match [a-z][a-z0-9_.]{0,63}"));
        } else if (e.getValue() == null || !Double.isFinite(e.getValue())) {
          problems.add(
              new FieldProblem(
                  at + ".values." + e.getKey(),
                  "must be a finite number (list an unreadable metric in 'unavailable')"));
        }
      }
      if (f.unavailable() != null) {
        for (String name : f.unavailable()) {
          if (name == null || !NAME.matcher(name).matches()) {
            problems.add(
                new FieldProblem(
                    at + ".unavailable", "metric name '" + clip(name) + "' is not valid"));
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw ProblemException.invalid("the samples are not valid", problems);
    }
  }

  private static String clip(String s) {
    if (s == null) {
      return "null";
    }
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }

  // ---------------------------------------------------------------- findings

  private void judge(MonitoredRun run, List<MetricFrame> batch) {
    RunWindow window = windows.get(run.id(), id -> open(run));
    synchronized (window) {
      boolean added = false;
      for (MetricFrame f : batch) {
        added |= window.add(new Frame(f.at(), f.values()));
      }
      if (!added) {
        return;
      }
      if (window.problemSize != null && !window.problemSizeRecorded) {
        window.problemSizeRecorded = true;
        runs.recordProblemSize(run.id(), window.problemSize);
        expect(window);
      }
      Instant now = Instant.now();
      List<FindingRules.Condition> holding =
          FindingRules.evaluate(
              thresholds,
              new FindingRules.Facts(
                  run.cores(),
                  run.cards(),
                  run.cardKind(),
                  window.progressSince(),
                  window.expectedRate,
                  window.observedRate(config.model().rateSamples())),
              window.frames(),
              now);
      try {
        findings.apply(window, holding, now);
      } catch (RuntimeException e) {
        // A finding that cannot be written now is raised again with the next samples.
        LOG.warnf("could not record findings of run %s: %s", run.id(), e.getMessage());
      }
    }
  }

  private RunWindow open(MonitoredRun run) {
    int capacity =
        Math.max(
            thresholds.windowSamples(),
            Math.max(thresholds.leakSamples(), config.model().rateSamples()));
    RunWindow window = new RunWindow(run, capacity);
    Instant since =
        Instant.now().minus(config.sampleInterval().multipliedBy(capacity).multipliedBy(2));
    List<Frame> stored = store.frames(run.id(), since);
    window.warmUp = stored.isEmpty();
    for (Frame f : stored) {
      window.add(f);
    }
    window.open.addAll(findings.openRules(run.id()));
    expect(window);
    return window;
  }

  private void expect(RunWindow window) {
    try {
      Optional<PerformanceModels.Versioned> model = models.current(window.run.appId());
      if (model.isPresent()) {
        window.expectedRate =
            model
                .get()
                .model()
                .rate(window.problemSize == null ? 0 : window.problemSize, window.run.cores());
      }
    } catch (RuntimeException e) {
      LOG.warnf("no performance model for %s: %s", window.run.appId(), e.getMessage());
    }
  }

  // ---------------------------------------------------------------- reads

  /**
   * A series of a run.
   *
   * @param name the metric
   * @param available whether any sample had a value
   * @param points the points, oldest first
   */
  public record Series(String name, boolean available, List<SampleStore.Point> points) {}

  /**
   * A run's metrics over a range.
   *
   * @param runId the run
   * @param from the start
   * @param to the end
   * @param stepSeconds the step of the points
   * @param series the series asked for
   */
  public record Metrics(
      UUID runId, Instant from, Instant to, long stepSeconds, List<Series> series) {}

  /** The run's metrics: all series (or those named), over a range, at a step. */
  public Metrics metrics(
      Caller caller, UUID runId, List<String> names, Instant from, Instant to, Long step) {
    MonitoredRun run = runs.monitored(caller, runId);
    List<SampleStore.SeriesInfo> infos = store.series(runId);
    Map<String, SampleStore.SeriesInfo> byName = new HashMap<>();
    infos.forEach(i -> byName.put(i.name(), i));
    List<String> wanted =
        names == null || names.isEmpty()
            ? infos.stream().map(SampleStore.SeriesInfo::name).toList()
            : names;
    for (String n : wanted) {
      if (!NAME.matcher(n).matches()) {
        throw ProblemException.invalid("names", "metric name '" + clip(n) + "' is not valid");
      }
    }
    if (wanted.size() > 100) {
      throw ProblemException.invalid("names", "at most 100 metrics per query");
    }
    Instant first =
        infos.stream().map(SampleStore.SeriesInfo::first).min(Instant::compareTo).orElse(null);
    Instant last =
        infos.stream().map(SampleStore.SeriesInfo::last).max(Instant::compareTo).orElse(null);
    Instant start =
        from != null
            ? from
            : first != null ? first : run.startedAt() != null ? run.startedAt() : Instant.now();
    Instant end = to != null ? to : last != null ? last.plusMillis(1) : Instant.now();
    if (!end.isAfter(start)) {
      throw ProblemException.invalid("to", "must be after 'from'");
    }
    long span = Math.max(1, Duration.between(start, end).toSeconds());
    long minimum =
        Math.max(1, (span + config.storage().maxPoints() - 1) / config.storage().maxPoints());
    long stepSeconds;
    if (step == null) {
      stepSeconds = Math.max(minimum, config.sampleInterval().toSeconds());
    } else if (step < 1 || step > 86_400) {
      throw ProblemException.invalid("step", "must be 1 to 86400 seconds");
    } else if (step < minimum) {
      throw ProblemException.invalid(
          "step",
          "must be at least "
              + minimum
              + " s for this range (at most "
              + config.storage().maxPoints()
              + " points per series)");
    } else {
      stepSeconds = step;
    }
    Map<String, List<SampleStore.Point>> points =
        store.read(runId, wanted, start, end, stepSeconds);
    List<Series> series = new ArrayList<>();
    for (String n : wanted) {
      SampleStore.SeriesInfo info = byName.get(n);
      series.add(new Series(n, info != null && info.available(), points.get(n)));
    }
    return new Metrics(runId, start, end, stepSeconds, series);
  }

  /** The run's findings. */
  public List<FindingService.FindingView> findings(Caller caller, UUID runId) {
    runs.monitored(caller, runId);
    return findings.list(runId);
  }

  /**
   * How a run is doing against its app's performance model.
   *
   * @param runId the run
   * @param state the run's state
   * @param progress the last progress
   * @param problemSize the problem size the app reported, or null
   * @param modelVersion the model version used, or null without a model
   * @param modelRuns the runs the model learned from
   * @param expectedRate the expected progress per second, or null
   * @param observedRate the progress per second over the recent samples, or null
   * @param slowerByPercent how much slower than expected (negative: faster), or null
   * @param eta the predicted end at the observed rate, or null
   */
  public record Performance(
      UUID runId,
      String state,
      Double progress,
      Double problemSize,
      Integer modelVersion,
      Integer modelRuns,
      Double expectedRate,
      Double observedRate,
      Double slowerByPercent,
      Instant eta) {}

  /** Observed against expected progress for a run. */
  public Performance performance(Caller caller, UUID runId) {
    MonitoredRun run = runs.monitored(caller, runId);
    Optional<PerformanceModels.Versioned> model = models.current(run.appId());
    int capacity = Math.max(config.model().rateSamples(), 3);
    RunWindow window = new RunWindow(run, capacity);
    Instant since =
        Instant.now().minus(config.sampleInterval().multipliedBy(capacity).multipliedBy(2));
    window.warmUp = false;
    if (!run.state().isTerminal()) {
      store.frames(runId, since).forEach(window::add);
    }
    Double expected =
        model
            .map(
                m -> m.model().rate(run.problemSize() == null ? 0 : run.problemSize(), run.cores()))
            .orElse(null);
    Double observed = window.observedRate(config.model().rateSamples());
    Double progress = window.lastProgress();
    Double slower =
        expected != null && observed != null && expected > 0
            ? (1 - observed / expected) * 100
            : null;
    Instant eta =
        observed != null && observed > 0 && progress != null
            ? Instant.now().plusMillis((long) ((1 - progress) / observed * 1000))
            : null;
    return new Performance(
        runId,
        run.state().name(),
        progress,
        run.problemSize(),
        model.map(PerformanceModels.Versioned::version).orElse(null),
        model.map(m -> m.model().runs()).orElse(null),
        expected,
        observed,
        slower,
        eta);
  }

  /** The versions of an app's performance model, newest first. */
  public List<PerformanceModels.Versioned> models(String appId) {
    return models.versions(appId);
  }

  /** The run (checked readable), for the live stream. */
  public MonitoredRun run(Caller caller, UUID runId) {
    return runs.monitored(caller, runId);
  }

  /** The run's state now, for the live stream. */
  public Optional<MonitoredRun> run(UUID runId) {
    return runs.monitored(runId);
  }

  /** Points of every series after {@code after}, for the live stream. */
  public Map<String, List<SampleStore.Point>> since(UUID runId, Instant after) {
    return store.since(runId, after);
  }

  /** The run's findings, for the live stream. */
  public List<FindingService.FindingView> findings(UUID runId) {
    return findings.list(runId);
  }
}
