package io.parasol.server.compute;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/** A run's job that a remote backend follows until it ends. */
class TrackedJob {
  final UUID runId;
  final int attempt;
  final ComputeBackend.Listener listener;

  /** Parasol asked for the job to stop (cancellation). */
  final AtomicBoolean stopped = new AtomicBoolean();

  /** The listener heard that the job runs. */
  final AtomicBoolean running = new AtomicBoolean();

  /** The listener heard that the job ended; it hears it once. */
  final AtomicBoolean ended = new AtomicBoolean();

  TrackedJob(UUID runId, int attempt, ComputeBackend.Listener listener) {
    this.runId = runId;
    this.attempt = attempt;
    this.listener = listener;
  }
}
