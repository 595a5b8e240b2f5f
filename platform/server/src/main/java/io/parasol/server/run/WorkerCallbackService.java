package io.parasol.server.run;

import io.parasol.protocol.Json;
import io.parasol.protocol.MetricFrame;
import io.parasol.protocol.RunEvent;
import io.parasol.protocol.RunSpec;
import io.parasol.server.common.Hashing;
import io.parasol.server.common.ProblemException;
import io.parasol.server.compute.ComputeBackend;
import io.parasol.server.compute.ComputeConfig;
import io.parasol.server.compute.SandboxedWorker;
import io.parasol.server.publishing.PublishingService;
import io.parasol.server.storage.DataDirectory;
import io.parasol.server.storage.FileNames;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * What workers tell the server about their runs, authenticated by the run-scoped token: events
 * (state, progress, logs, metrics), output files, and how the worker process ended.
 */
@ApplicationScoped
public class WorkerCallbackService implements ComputeBackend.Listener {

  static final int MAX_EVENTS_PER_CALL = 1000;

  private final DataDirectory data;
  private final ComputeConfig config;
  private final RunSettlement settlement;
  private final PublishingService publishing;
  private final jakarta.enterprise.event.Event<MetricsReported> metricsReported;

  WorkerCallbackService(
      DataDirectory data,
      ComputeConfig config,
      RunSettlement settlement,
      PublishingService publishing,
      jakarta.enterprise.event.Event<MetricsReported> metricsReported) {
    this.publishing = publishing;
    this.metricsReported = metricsReported;
    this.data = data;
    this.config = config;
    this.settlement = settlement;
  }

  /**
   * Applies a batch of events in order.
   *
   * @return true when the run has been cancelled and the worker should stop
   */
  public boolean ingest(UUID runId, String token, List<RunEvent> events) {
    RunState state = apply(runId, token, events);
    if (state.isTerminal()) {
      settlement.wake();
    }
    return state == RunState.CANCELLED;
  }

  private RunState apply(UUID runId, String token, List<RunEvent> events) {
    if (events == null || events.size() > MAX_EVENTS_PER_CALL) {
      throw ProblemException.invalid(
          "events", "must be a list of at most " + MAX_EVENTS_PER_CALL + " events");
    }
    List<MetricFrame> legacyMetrics = new java.util.ArrayList<>();
    RunState state =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  Run run = authorised(runId, token, true);
                  StringBuilder log = new StringBuilder();
                  for (RunEvent event : events) {
                    if (event == null || event.type() == null) {
                      continue;
                    }
                    switch (event.type()) {
                      case STARTED -> {
                        if (run.state == RunState.SCHEDULED) {
                          run.startedAt = Instant.now();
                          RunStore.move(run, RunState.RUNNING, "solver started");
                        }
                      }
                      case PROGRESS -> {
                        if (event.progress() != null && Double.isFinite(event.progress())) {
                          run.progress = Math.max(0, Math.min(1, event.progress()));
                          run.progressMessage = clip(event.message(), 500);
                        }
                      }
                      case LOG ->
                          log.append(event.at() == null ? Instant.now() : event.at())
                              .append(' ')
                              .append(clip(event.level(), 8).toUpperCase(Locale.ROOT))
                              .append(' ')
                              .append(clip(event.message(), 4000).replace('\n', ' '))
                              .append('\n');
                      case METRIC -> {
                        if (event.metric() != null
                            && event.value() != null
                            && Double.isFinite(event.value())) {
                          legacyMetrics.add(
                              new MetricFrame(
                                  event.at() == null ? Instant.now() : event.at(),
                                  java.util.Map.of(
                                      MetricFrame.SOLVER + clip(event.metric(), 50), event.value()),
                                  null));
                        }
                      }
                      case SUCCEEDED ->
                          finish(run, RunState.SUCCEEDED, event.message(), "finished");
                      case FAILED ->
                          finish(run, RunState.FAILED, event.message(), "the solver failed");
                      case CANCELLED ->
                          finish(run, RunState.CANCELLED, event.message(), "cancelled");
                      default -> {}
                    }
                    if (run.state.isTerminal()) {
                      break;
                    }
                  }
                  appendLog(run.id, log);
                  return run.state;
                });
    if (!legacyMetrics.isEmpty()) {
      metricsReported.fire(new MetricsReported(runId, legacyMetrics));
    }
    return state;
  }

  /**
   * Solver metrics a worker sent as events (workers before sampling did); monitoring stores them.
   *
   * @param runId the run
   * @param frames one frame per metric event
   */
  public record MetricsReported(UUID runId, List<MetricFrame> frames) {}

  /**
   * The spec of a run for a worker on a remote backend: as the local worker gets it, with the
   * plugin jar named {@code plugin.jar}, to be fetched next to it.
   */
  public RunSpec remoteSpec(UUID runId, String token) {
    QuarkusTransaction.requiringNew().call(() -> authorised(runId, token, false));
    try {
      RunSpec spec =
          Json.mapper().readValue(data.runDir(runId).resolve("spec.json").toFile(), RunSpec.class);
      return new RunSpec(
          spec.runId(),
          spec.appId(),
          REMOTE_JAR,
          spec.inputs(),
          spec.files(),
          spec.allocation(),
          spec.serverUrl(),
          spec.token(),
          spec.limits(),
          java.util.stream.IntStream.range(0, spec.dependencies().size())
              .mapToObj(i -> "dependency-" + i + ".jar")
              .toList(),
          spec.monitoring());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The run a worker reports samples for, when its token is valid (401 otherwise), with the token's
   * hash so that the caller may cache the check. Read without a lock: samples change nothing on the
   * run.
   */
  public SampleGrant authorisedForSamples(UUID runId, String token) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Run run = authorised(runId, token, false);
              return new SampleGrant(
                  RunViews.MonitoredRun.of(run), run.tokenHash, run.tokenExpiresAt);
            });
  }

  /**
   * A checked run token.
   *
   * @param run the run
   * @param tokenHash the SHA-256 of its token
   * @param expiresAt when the token expires
   */
  public record SampleGrant(RunViews.MonitoredRun run, String tokenHash, Instant expiresAt) {

    /** Whether {@code token} is this run's and has not expired. */
    public boolean accepts(String token) {
      return token != null
          && expiresAt.isAfter(Instant.now())
          && MessageDigest.isEqual(
              tokenHash.getBytes(StandardCharsets.US_ASCII),
              Hashing.sha256Hex(token).getBytes(StandardCharsets.US_ASCII));
    }
  }

  /** The name remote workers store the plugin jar under. */
  public static final String REMOTE_JAR = "plugin.jar";

  /** The plugin jar of a run, for a worker on a remote backend. */
  public Path pluginJar(UUID runId, String token) {
    Run run = QuarkusTransaction.requiringNew().call(() -> authorised(runId, token, false));
    return publishing.jarPath(run.jarSha256);
  }

  /** The n-th base jar of a derived app's run, for a worker on a remote backend. */
  public Path dependencyJar(UUID runId, String token, int n) {
    Run run = QuarkusTransaction.requiringNew().call(() -> authorised(runId, token, false));
    List<String> shas = RunStore.dependencyShas(run);
    if (n < 0 || n >= shas.size()) {
      throw ProblemException.notFound("dependency " + n);
    }
    return publishing.jarPath(shas.get(n));
  }

  /** One input file of a run, for a worker on a remote backend. */
  public Path input(UUID runId, String token, String name) {
    QuarkusTransaction.requiringNew().call(() -> authorised(runId, token, false));
    Path file = data.runDir(runId).resolve("inputs").resolve(name);
    if (!FileNames.isValidRelativePath(name) || name.contains("/") || !Files.isRegularFile(file)) {
      throw ProblemException.notFound("input file " + name);
    }
    return file;
  }

  /** Stores one output file of a run, within the run's output caps. */
  public void storeOutput(UUID runId, String token, String name, InputStream body) {
    if (!FileNames.isValidRelativePath(name)) {
      throw ProblemException.invalid("name", "must be a relative path of plain file names");
    }
    long used =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  Run run = authorised(runId, token, false);
                  List<RunOutput> existing = RunOutput.list("key.runId", run.id);
                  if (existing.size() >= config.maxOutputFiles()) {
                    throw ProblemException.tooLarge(
                        "the run may store at most " + config.maxOutputFiles() + " output files");
                  }
                  return existing.stream().mapToLong(o -> o.sizeBytes).sum();
                });
    long remaining = config.maxOutputBytes().asLongValue() - used;
    Path target = RunStore.outputsDir(data, runId).resolve(name);
    String sha;
    long size;
    try {
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(data.tmp(), "output-", ".part");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        sha = Hashing.copyAndHash(body, out, Math.max(0, remaining));
      } catch (Hashing.LimitExceededException e) {
        Files.deleteIfExists(tmp);
        throw ProblemException.tooLarge(
            "the run's outputs exceed " + config.maxOutputBytes().asLongValue() + " bytes");
      }
      size = Files.size(tmp);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              authorised(runId, token, false);
              RunOutput output = RunOutput.findById(new RunOutput.Key(runId, name));
              if (output == null) {
                output = new RunOutput();
                output.key = new RunOutput.Key(runId, name);
              }
              output.sizeBytes = size;
              output.sha256 = sha;
              output.createdAt = Instant.now();
              output.persist();
            });
  }

  /** The backend reports the job of a run's current attempt running. */
  @Override
  public void onRunning(UUID runId, int attempt) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Run run = Run.findById(runId, LockModeType.PESSIMISTIC_WRITE);
              if (run != null && run.attempt == attempt && run.state == RunState.SCHEDULED) {
                run.startedAt = Instant.now();
                RunStore.move(run, RunState.RUNNING, "its job started on " + run.clusterName);
              }
            });
  }

  /**
   * The current attempt's job is gone without an end: queued again when the app allows it and
   * attempts are left, otherwise FAILED with the reason.
   */
  public void lost(UUID runId, int attempt, String why) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Run run = Run.findById(runId, LockModeType.PESSIMISTIC_WRITE);
              if (run == null || run.attempt != attempt || !run.state.isInFlight()) {
                return;
              }
              String reason = "attempt " + run.attempt + " was lost: " + why;
              if (!publishing.mayResubmit(run.pluginId)) {
                RunStore.finish(
                    run, RunState.FAILED, reason + "; the app does not allow resubmission");
                return;
              }
              if (run.attempt >= RunDispatcher.MAX_ATTEMPTS) {
                RunStore.finish(
                    run, RunState.FAILED, reason + "; gave up after " + run.attempt + " attempts");
                return;
              }
              run.tokenHash = null;
              run.workerPid = null;
              run.jobRef = null;
              run.startedAt = null;
              run.progress = 0;
              run.progressMessage = null;
              RunStore.move(run, RunState.QUEUED, reason + "; resubmitted");
            });
    settlement.wake();
  }

  /**
   * Ends a run whose worker is gone without saying how it ended, and records the exit code. The end
   * of an earlier attempt's worker changes nothing.
   */
  @Override
  public void onExit(
      UUID runId, int attempt, int exitCode, ComputeBackend.Ending ending, String consoleTail) {
    if (ending == ComputeBackend.Ending.LOST) {
      lost(runId, attempt, consoleTail);
      return;
    }
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Run run = Run.findById(runId, LockModeType.PESSIMISTIC_WRITE);
              if (run == null || run.attempt != attempt) {
                return;
              }
              if (exitCode >= 0) {
                run.exitCode = exitCode;
              }
              if (run.state.isTerminal()) {
                return;
              }
              switch (ending) {
                case TIMED_OUT ->
                    RunStore.finish(
                        run,
                        RunState.TIMED_OUT,
                        "exceeded its wall-time limit of "
                            + minutes(run.wallTimeSeconds)
                            + " min; the worker was stopped");
                case STOPPED -> RunStore.finish(run, RunState.CANCELLED, "the worker was stopped");
                case EXITED ->
                    RunStore.finish(run, RunState.FAILED, exitReason(run, exitCode, consoleTail));
                case LOST -> throw new IllegalStateException("handled above");
              }
            });
    settlement.wake();
  }

  private String exitReason(Run run, int exitCode, String tail) {
    return switch (exitCode) {
      case SandboxedWorker.EXIT_OUT_OF_MEMORY ->
          "out of memory: the solver needed more than its "
              + run.memoryMb
              + " MiB limit; the worker stopped";
      case SandboxedWorker.EXIT_FLOOD ->
          "the solver wrote more than "
              + config.consoleCapBytes().asLongValue()
              + " bytes to its console; it was stopped";
      case SandboxedWorker.EXIT_UNREPORTED -> "the worker could not report to the server";
      case -1 -> "the worker ended while the server was restarting, without reporting a result";
      default ->
          "the worker exited with code "
              + exitCode
              + " before reporting a result"
              + (tail.isBlank() ? "" : ": " + tail);
    };
  }

  private Run authorised(UUID runId, String token, boolean lock) {
    Run run = lock ? Run.findById(runId, LockModeType.PESSIMISTIC_WRITE) : Run.findById(runId);
    if (run == null
        || token == null
        || run.tokenHash == null
        || !run.state.isInFlight()
        || run.tokenExpiresAt == null
        || run.tokenExpiresAt.isBefore(Instant.now())
        || !MessageDigest.isEqual(
            run.tokenHash.getBytes(StandardCharsets.US_ASCII),
            Hashing.sha256Hex(token).getBytes(StandardCharsets.US_ASCII))) {
      throw new ProblemException(
          401, "Unauthorized", "the run token is not valid for this run (or the run has ended)");
    }
    return run;
  }

  private static void finish(Run run, RunState state, String message, String fallback) {
    RunStore.finish(run, state, message == null || message.isBlank() ? fallback : message);
  }

  private void appendLog(UUID runId, StringBuilder lines) {
    if (lines.isEmpty()) {
      return;
    }
    Path log = data.runDir(runId).resolve("log.txt");
    try {
      long size = Files.exists(log) ? Files.size(log) : 0;
      long cap = config.maxLogBytes().asLongValue();
      if (size >= cap) {
        return;
      }
      byte[] bytes = lines.toString().getBytes(StandardCharsets.UTF_8);
      if (size + bytes.length > cap) {
        String note = "... log truncated at " + cap + " bytes\n";
        byte[] head = new byte[(int) Math.max(0, cap - size - note.length())];
        System.arraycopy(bytes, 0, head, 0, head.length);
        bytes =
            (new String(head, StandardCharsets.UTF_8) + "\n" + note)
                .getBytes(StandardCharsets.UTF_8);
      }
      Files.write(log, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String clip(String s, int max) {
    if (s == null) {
      return "";
    }
    String kept = s.length() <= max ? s : s.substring(0, max);
    return kept.replace('\0', '\uFFFD'); // a solver's NUL bytes: no text column can hold them
  }

  private static String minutes(long seconds) {
    double m = seconds / 60.0;
    return m == Math.rint(m) ? Long.toString((long) m) : String.format(Locale.ROOT, "%.2f", m);
  }
}
