package io.parasol.plugin.api;

import java.nio.file.Path;

/**
 * What a {@link Solver} receives for one run: its inputs, its directories, its allocated resources,
 * and the channel through which it reports progress, metrics and log lines.
 *
 * <p>The platform implements this interface; apps only call it. Reporting methods are cheap and may
 * be called from any thread.
 */
public interface RunContext {

  /**
   * The validated inputs of this run, with defaults filled in.
   *
   * @return the inputs
   */
  RunInputs inputs();

  /**
   * A private directory the solver may use for scratch files. The solver may not write elsewhere.
   *
   * @return the work directory
   */
  Path workDir();

  /**
   * The directory whose files become the run's downloadable outputs.
   *
   * @return the output directory, inside the work directory
   */
  Path outputDir();

  /**
   * The resources the platform allocated to this run.
   *
   * @return the allocation
   */
  Allocation allocation();

  /**
   * Reports how far the run has come.
   *
   * @param fraction between 0 and 1 inclusive
   * @param message a short human-readable status, may be empty
   */
  void progress(double fraction, String message);

  /**
   * Reports one sample of a solver metric, such as a residual or iterations per second.
   *
   * @param name a metric name such as {@code residual} or {@code iterations_per_second}
   * @param value the sample value
   */
  void metric(String name, double value);

  /**
   * Writes a line to the run's log, which the engineer sees while the run goes.
   *
   * @param level the severity
   * @param message the line
   */
  void log(LogLevel level, String message);

  /**
   * Writes an {@link LogLevel#INFO} line to the run's log.
   *
   * @param message the line
   */
  default void info(String message) {
    log(LogLevel.INFO, message);
  }

  /**
   * Whether the run has been cancelled or has run out of time. A long solver should check this
   * between steps and return promptly when it is true.
   *
   * @return true once the run should stop
   */
  boolean isCancelled();

  /**
   * Throws {@link RunCancelledException} when {@link #isCancelled()} is true.
   *
   * @throws RunCancelledException when the run should stop
   */
  default void checkCancelled() {
    if (isCancelled()) {
      throw new RunCancelledException();
    }
  }
}
