package io.parasol.server.compute;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/** Runs each worker as a sandboxed child process of the server, within a core budget. */
@ApplicationScoped
public class LocalBackend implements ComputeBackend {

  private static final Logger LOG = Logger.getLogger(LocalBackend.class);

  private final SandboxedWorker workers;
  private final ComputeConfig config;
  private final int capacity;
  private int coresInUse;
  private final Map<UUID, Handle> running = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "parasol-local-timers");
            t.setDaemon(true);
            return t;
          });

  private static final class Handle {
    final ProcessHandle process;
    final int cores;
    final AtomicReference<Ending> ending = new AtomicReference<>(Ending.EXITED);
    volatile ScheduledFuture<?> deadline;

    Handle(ProcessHandle process, int cores) {
      this.process = process;
      this.cores = cores;
    }
  }

  LocalBackend(SandboxedWorker workers, ComputeConfig config) {
    this.workers = workers;
    this.config = config;
    this.capacity =
        config.local().maxCores() > 0
            ? config.local().maxCores()
            : Runtime.getRuntime().availableProcessors();
  }

  @Override
  public String name() {
    return "local";
  }

  /** The cores this backend may hand out at once. */
  public int capacity() {
    return capacity;
  }

  @Override
  public synchronized boolean tryReserve(int cores) {
    // A run wider than the machine still runs, alone, rather than waiting forever.
    int needed = Math.min(cores, capacity);
    if (coresInUse + needed > capacity) {
      return false;
    }
    coresInUse += needed;
    return true;
  }

  @Override
  public synchronized void release(int cores) {
    coresInUse = Math.max(0, coresInUse - Math.min(cores, capacity));
  }

  @Override
  public String launch(Launch launch, Instant deadline, Listener listener) throws IOException {
    Path runDir = launch.runDir();
    long heapMb = Math.max(32, launch.allocation().memoryMb());
    long maxFile =
        Math.max(config.maxOutputBytes().asLongValue(), config.consoleCapBytes().asLongValue())
            + 1_048_576;
    Process process =
        workers.start(
            runDir.resolve("work"),
            runDir.resolve("console.txt"),
            new SandboxedWorker.Limits(heapMb, launch.allocation().cores(), maxFile),
            List.of("run", runDir.resolve("spec.json").toString()));
    Handle handle = new Handle(process.toHandle(), launch.allocation().cores());
    track(
        launch.runId(), launch.attempt(), handle, deadline, listener, runDir, Optional.of(process));
    return Long.toString(process.pid());
  }

  @Override
  public boolean adopt(
      UUID runId, int attempt, String ref, int cores, Instant deadline, Listener listener) {
    if (running.containsKey(runId)) {
      return true;
    }
    long pid;
    try {
      pid = Long.parseLong(ref);
    } catch (NumberFormatException | NullPointerException e) {
      return false;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    boolean ours =
        process
            .flatMap(p -> p.info().commandLine())
            .map(c -> c.contains(runId.toString()))
            .orElse(false);
    if (!ours) {
      return false;
    }
    synchronized (this) {
      coresInUse += Math.min(cores, capacity);
    }
    track(
        runId,
        attempt,
        new Handle(process.get(), cores),
        deadline,
        listener,
        null,
        Optional.empty());
    LOG.infof("adopted worker pid %d of run %s after a restart", pid, runId);
    return true;
  }

  private void track(
      UUID runId,
      int attempt,
      Handle handle,
      Instant deadline,
      Listener listener,
      Path runDir,
      Optional<Process> child) {
    running.put(runId, handle);
    long delay = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
    handle.deadline =
        timers.schedule(
            () -> {
              if (handle.ending.compareAndSet(Ending.EXITED, Ending.TIMED_OUT)) {
                workers.kill(handle.process);
              }
            },
            delay,
            TimeUnit.MILLISECONDS);
    handle
        .process
        .onExit()
        .whenComplete(
            (p, error) -> {
              handle.deadline.cancel(false);
              release(handle.cores);
              int exit = child.map(Process::exitValue).orElse(-1);
              String tail =
                  runDir == null ? "" : SandboxedWorker.tail(runDir.resolve("console.txt"), 600);
              try {
                listener.onExit(runId, attempt, exit, handle.ending.get(), tail);
              } catch (RuntimeException e) {
                LOG.errorf(e, "handling the end of run %s failed", runId);
              } finally {
                // Only now: isRunning(runId) false means the end has been fully recorded.
                running.remove(runId);
              }
            });
  }

  @Override
  public void stop(UUID runId, String ref) {
    Handle handle = running.get(runId);
    if (handle != null && handle.ending.compareAndSet(Ending.EXITED, Ending.STOPPED)) {
      handle.process.destroy();
      timers.schedule(
          () -> workers.kill(handle.process), config.killGrace().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Whether a run's worker is alive under this backend. */
  public boolean isRunning(UUID runId) {
    return running.containsKey(runId);
  }

  @PreDestroy
  void shutdown() {
    // Workers outlive a server restart on purpose: the next start adopts them.
    timers.shutdownNow();
  }
}
