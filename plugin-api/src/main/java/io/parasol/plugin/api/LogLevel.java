package io.parasol.plugin.api;

/** The severity of a line in a run's log. */
public enum LogLevel {
  /** Detail useful when diagnosing a problem. */
  DEBUG,
  /** Ordinary progress information. */
  INFO,
  /** Something the engineer should look at, though the run goes on. */
  WARN,
  /** Something went wrong. */
  ERROR
}
