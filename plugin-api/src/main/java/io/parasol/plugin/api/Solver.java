package io.parasol.plugin.api;

/**
 * The computation of a simulation app: runs once per run, in a work directory, with validated
 * inputs.
 *
 * <p>A solver writes what the engineer should download into {@link RunContext#outputDir()}, reports
 * progress and metrics through the context, and returns normally on success. Throwing fails the run
 * with the exception's message as the reason.
 */
@FunctionalInterface
public interface Solver {

  /**
   * Computes one run.
   *
   * @param context the run's inputs, directories, allocation and reporting channel
   * @throws Exception when the run cannot complete; the message becomes the failure reason
   */
  void run(RunContext context) throws Exception;
}
