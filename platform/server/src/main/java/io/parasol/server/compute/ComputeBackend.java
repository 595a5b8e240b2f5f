package io.parasol.server.compute;

import io.parasol.plugin.api.Allocation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/**
 * Where runs execute. The local backend starts worker child processes; the Kubernetes and Slurm
 * backends start the same worker as a Job or a batch job.
 */
public interface ComputeBackend {

  /** How a worker ended, as far as the backend knows. */
  enum Ending {
    /** The process exited by itself. */
    EXITED,
    /** The backend killed it at its wall-time limit. */
    TIMED_OUT,
    /** The backend killed it on request (cancellation). */
    STOPPED
  }

  /**
   * One run handed to a backend.
   *
   * @param runId the run
   * @param attempt which attempt of the run this is, handed back to the exit listener
   * @param runDir its directory, holding {@code spec.json}, {@code inputs/} and {@code work/}
   * @param allocation cores, memory and wall time
   */
  record Launch(UUID runId, int attempt, Path runDir, Allocation allocation) {}

  /** Called once when a run's worker has gone, however it went. */
  @FunctionalInterface
  interface ExitListener {
    /**
     * @param runId the run
     * @param attempt the attempt whose worker ended
     * @param exitCode the worker's exit code, or -1 when unknown (adopted after a restart)
     * @param ending how it ended
     * @param consoleTail the last lines the worker printed
     */
    void onExit(UUID runId, int attempt, int exitCode, Ending ending, String consoleTail);
  }

  /** The backend's name as recorded on runs. */
  String name();

  /** Reserves capacity for a run; false when the backend is full right now. */
  boolean tryReserve(int cores);

  /** Returns capacity reserved by {@link #tryReserve(int)} for a run that was not launched. */
  void release(int cores);

  /** Starts a run's worker; returns its process id. */
  long launch(Launch launch, Instant deadline, ExitListener listener) throws IOException;

  /** Stops a run's worker (cancellation); the listener then hears {@link Ending#STOPPED}. */
  void stop(UUID runId);

  /**
   * Takes over a worker that was started before the server restarted.
   *
   * @return false when no such worker is alive any more
   */
  boolean adopt(
      UUID runId, int attempt, long pid, int cores, Instant deadline, ExitListener listener);
}
