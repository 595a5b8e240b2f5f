package io.parasol.server.compute;

import io.parasol.plugin.api.Allocation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Where runs execute. The local backend starts worker child processes; the Kubernetes and Slurm
 * backends start the same worker as a Job or a batch job, which fetches its inputs from the server
 * and reports back over HTTP with the run's token.
 */
public interface ComputeBackend {

  /** How a worker ended, as far as the backend knows. */
  enum Ending {
    /** The process exited by itself. */
    EXITED,
    /** The backend killed it at its wall-time limit. */
    TIMED_OUT,
    /** The backend killed it on request (cancellation). */
    STOPPED,
    /** The backend lost it: the job vanished, its node failed or it was preempted. */
    LOST
  }

  /**
   * One run handed to a backend.
   *
   * @param runId the run
   * @param attempt which attempt of the run this is, handed back to the listener
   * @param runDir its directory on the server, holding {@code spec.json}, {@code inputs/} and
   *     {@code work/}
   * @param allocation cores, memory, accelerators and wall time
   * @param partition the partition it was placed on
   * @param mapping the partition's backend mapping
   * @param token the run-scoped token remote workers call back with
   */
  record Launch(
      UUID runId,
      int attempt,
      Path runDir,
      Allocation allocation,
      String partition,
      ClusterViews.Mapping mapping,
      String token) {}

  /** Hears what happens to the workers a backend started. */
  interface Listener {
    /** The backend reports the run's job running (the worker reports the solver start itself). */
    default void onRunning(UUID runId, int attempt) {}

    /**
     * Called once when a run's worker has gone, however it went.
     *
     * @param runId the run
     * @param attempt the attempt whose worker ended
     * @param exitCode the worker's exit code, or -1 when unknown
     * @param ending how it ended
     * @param detail the last lines the worker printed, or the backend's reason
     */
    void onExit(UUID runId, int attempt, int exitCode, Ending ending, String detail);
  }

  /** A backend that cannot be reached or refused a request it should have taken. */
  class UnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    public UnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The backend's kind as recorded on runs. */
  String name();

  /** Reserves capacity for a run; false when the backend is full right now. */
  default boolean tryReserve(int cores) {
    return true;
  }

  /** Returns capacity reserved by {@link #tryReserve(int)} for a run that was not launched. */
  default void release(int cores) {}

  /** Starts a run's worker; returns the backend's reference to it (pid, Job name, job id). */
  String launch(Launch launch, Instant deadline, Listener listener) throws IOException;

  /** Stops a run's worker (cancellation); the listener then hears {@link Ending#STOPPED}. */
  void stop(UUID runId, String ref);

  /**
   * Takes over a worker started before the server restarted or while the backend was unreachable.
   * Idempotent for a worker the backend already follows.
   *
   * @return false when no such worker exists any more
   * @throws UnavailableException when the backend cannot be asked right now
   */
  boolean adopt(UUID runId, int attempt, String ref, int cores, Instant deadline, Listener listener)
      throws UnavailableException;

  /**
   * Checks that the backend answers.
   *
   * @throws UnavailableException with the reason when it does not
   */
  default void probe() throws UnavailableException {}

  /**
   * Work waiting in the backend's own queue that is not Parasol's, per backend partition (the Slurm
   * partition; {@link #ANY_PARTITION} where the backend has none): what placement adds to the queue
   * it predicts. Empty when the backend does not say.
   *
   * @throws UnavailableException when it cannot be asked
   */
  default Map<String, Pending> pending() throws UnavailableException {
    return Map.of();
  }

  /** The key of {@link #pending()} for a backend without partitions. */
  String ANY_PARTITION = "*";

  /**
   * Waiting work.
   *
   * @param jobs how many jobs (or pods) wait
   * @param coreSeconds their cores times their time limits
   */
  record Pending(int jobs, double coreSeconds) {

    /** This and another together. */
    public Pending plus(Pending other) {
      return new Pending(jobs + other.jobs, coreSeconds + other.coreSeconds);
    }
  }

  /**
   * Removes the backend's leftovers of runs that are no longer in flight.
   *
   * @param live the references of the workers of runs in flight on this backend
   * @return how many leftovers were removed
   */
  default int collectOrphans(Set<String> live) throws UnavailableException {
    return 0;
  }

  /** Releases the backend's connections and threads. */
  default void close() {}
}
