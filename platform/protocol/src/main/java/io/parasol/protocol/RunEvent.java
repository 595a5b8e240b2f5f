package io.parasol.protocol;

import java.time.Instant;

/**
 * One thing a worker reports about its run. Which fields are set depends on the {@link #type()}.
 *
 * @param type the kind of event
 * @param at when it happened
 * @param progress the fraction done, for {@link Type#PROGRESS}
 * @param message the log line, progress message or failure reason
 * @param level the log level name, for {@link Type#LOG}
 * @param metric the metric name, for {@link Type#METRIC}
 * @param value the metric value, for {@link Type#METRIC}
 */
public record RunEvent(
    Type type,
    Instant at,
    Double progress,
    String message,
    String level,
    String metric,
    Double value) {

  /** The kinds of event. */
  public enum Type {
    /** The solver started. */
    STARTED,
    /** The solver reported progress. */
    PROGRESS,
    /** The solver wrote a log line. */
    LOG,
    /** The solver reported a metric sample. */
    METRIC,
    /** The solver finished and every output was uploaded. */
    SUCCEEDED,
    /** The solver failed; the message says why. */
    FAILED,
    /** The solver stopped after a cancellation. */
    CANCELLED
  }

  /**
   * @param type the type
   * @param message the message
   * @return an event of that type now
   */
  public static RunEvent of(Type type, String message) {
    return new RunEvent(type, Instant.now(), null, message, null, null, null);
  }

  /**
   * @param fraction the fraction done
   * @param message the progress message
   * @return a progress event now
   */
  public static RunEvent progress(double fraction, String message) {
    return new RunEvent(Type.PROGRESS, Instant.now(), fraction, message, null, null, null);
  }

  /**
   * @param level the level name
   * @param message the line
   * @return a log event now
   */
  public static RunEvent log(String level, String message) {
    return new RunEvent(Type.LOG, Instant.now(), null, message, level, null, null);
  }

  /**
   * @param name the metric name
   * @param value the value
   * @return a metric event now
   */
  public static RunEvent metric(String name, double value) {
    return new RunEvent(Type.METRIC, Instant.now(), null, null, null, name, value);
  }
}
