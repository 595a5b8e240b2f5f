package io.parasol.server.run;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parasol.plugin.api.Allocation;
import io.parasol.protocol.RunSpec;
import io.parasol.server.common.Hashing;
import io.parasol.server.common.WakeableLoop;
import io.parasol.server.compute.ComputeBackend;
import io.parasol.server.compute.ComputeConfig;
import io.parasol.server.publishing.PublishingService;
import io.parasol.server.storage.DataDirectory;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Moves queued runs onto the compute backend, oldest first, as capacity allows; and on start
 * reconciles the runs a previous server process left in flight.
 */
@ApplicationScoped
public class RunDispatcher {

  private static final Logger LOG = Logger.getLogger(RunDispatcher.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_ATTEMPTS = 3;

  /** How long a worker token outlives the run's wall time: time to upload outputs. */
  static final Duration TOKEN_GRACE = Duration.ofMinutes(15);

  @Inject ComputeBackend backend;
  @Inject PublishingService publishing;
  @Inject WorkerCallbackService callbacks;
  @Inject DataDirectory data;
  @Inject ComputeConfig config;
  @Inject ObjectMapper json;

  @ConfigProperty(name = "quarkus.http.port")
  int httpPort;

  private final WakeableLoop loop =
      new WakeableLoop("parasol-dispatcher", Duration.ofSeconds(1), this::dispatchQueued);

  /** Asks the dispatcher to look at the queue now. */
  public void wake() {
    loop.wake();
  }

  void start(@Observes @Priority(50) StartupEvent event) {
    reconcile();
    loop.start();
  }

  void stop(@Observes ShutdownEvent event) {
    loop.stop();
  }

  private record Queued(UUID id, int cores) {}

  void dispatchQueued() {
    List<Queued> queued =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    Run.<Run>find("state = ?1 order by createdAt", RunState.QUEUED)
                        .page(0, 100)
                        .list()
                        .stream()
                        .map(r -> new Queued(r.id, r.cores))
                        .toList());
    for (Queued q : queued) {
      if (!backend.tryReserve(q.cores())) {
        return; // first come, first served: nothing overtakes the oldest queued run
      }
      try {
        if (!dispatch(q.id())) {
          backend.release(q.cores());
        }
      } catch (RuntimeException e) {
        backend.release(q.cores());
        LOG.errorf(e, "could not dispatch run %s", q.id());
        fail(q.id(), "could not start the worker: " + e.getMessage());
      }
    }
  }

  /** Starts one queued run; false when it was no longer queued. */
  private boolean dispatch(UUID runId) {
    String token = newToken();
    Optional<ComputeBackend.Launch> launch =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  Run run = Run.findById(runId, LockModeType.PESSIMISTIC_WRITE);
                  if (run == null || run.state != RunState.QUEUED) {
                    return Optional.empty();
                  }
                  Path runDir = data.runDir(run.id);
                  Allocation allocation =
                      new Allocation(
                          run.cores,
                          run.memoryMb,
                          List.of(),
                          Duration.ofSeconds(run.wallTimeSeconds));
                  writeSpec(run, runDir, allocation, token);
                  run.tokenHash = Hashing.sha256Hex(token);
                  run.tokenExpiresAt =
                      Instant.now().plusSeconds(run.wallTimeSeconds).plus(TOKEN_GRACE);
                  run.attempt++;
                  run.scheduledAt = Instant.now();
                  run.progress = 0;
                  RunStore.move(
                      run,
                      RunState.SCHEDULED,
                      "placed on " + backend.name() + "; starting the worker");
                  return Optional.of(
                      new ComputeBackend.Launch(run.id, run.attempt, runDir, allocation));
                });
    if (launch.isEmpty()) {
      return false;
    }
    Instant deadline = Instant.now().plus(launch.get().allocation().wallTime());
    long pid;
    try {
      pid = backend.launch(launch.get(), deadline, callbacks::onWorkerExit);
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Run run = Run.findById(runId, LockModeType.PESSIMISTIC_WRITE);
              if (run != null) {
                run.workerPid = pid;
              }
            });
    return true;
  }

  private void writeSpec(Run run, Path runDir, Allocation allocation, String token) {
    try {
      Files.createDirectories(runDir.resolve("work"));
      Map<String, Object> inputs = json.readValue(run.inputs, new TypeReference<>() {});
      Map<String, String> files = json.readValue(run.inputFiles, new TypeReference<>() {});
      RunSpec spec =
          new RunSpec(
              run.id.toString(),
              run.appId,
              publishing.jarPath(run.jarSha256).toString(),
              inputs,
              files,
              allocation,
              config.callbackUrl().orElse("http://127.0.0.1:" + httpPort),
              token,
              new RunSpec.Limits(
                  config.maxLogBytes().asLongValue(),
                  config.maxOutputBytes().asLongValue(),
                  config.maxOutputFiles()));
      json.writeValue(runDir.resolve("spec.json").toFile(), spec);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the run spec: " + e.getMessage(), e);
    }
  }

  private void fail(UUID runId, String reason) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Run run = Run.findById(runId, LockModeType.PESSIMISTIC_WRITE);
              if (run != null && !run.state.isTerminal()) {
                RunStore.finish(run, RunState.FAILED, reason);
              }
            });
  }

  /**
   * Runs left SCHEDULED or RUNNING by a previous server process: a worker that is still alive is
   * adopted; a run whose worker is gone is queued again (up to {@value #MAX_ATTEMPTS} attempts).
   */
  void reconcile() {
    List<Run> inFlight =
        QuarkusTransaction.requiringNew()
            .call(
                () -> Run.<Run>list("state in ?1", List.of(RunState.SCHEDULED, RunState.RUNNING)));
    for (Run run : inFlight) {
      Instant started = run.scheduledAt == null ? Instant.now() : run.scheduledAt;
      Instant deadline = started.plusSeconds(run.wallTimeSeconds);
      if (run.workerPid != null
          && backend.adopt(
              run.id, run.attempt, run.workerPid, run.cores, deadline, callbacks::onWorkerExit)) {
        continue;
      }
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                Run r = Run.findById(run.id, LockModeType.PESSIMISTIC_WRITE);
                if (r == null || !r.state.isInFlight()) {
                  return;
                }
                if (r.attempt >= MAX_ATTEMPTS) {
                  RunStore.finish(
                      r,
                      RunState.FAILED,
                      "the worker was lost in a server restart " + r.attempt + " times");
                  return;
                }
                r.tokenHash = null;
                r.workerPid = null;
                r.startedAt = null;
                r.progress = 0;
                r.progressMessage = null;
                RunStore.move(
                    r,
                    RunState.QUEUED,
                    "queued again: the server restarted and the run's worker was gone");
              });
      LOG.infof("run %s queued again after a restart", run.id);
    }
  }

  private static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
