package io.parasol.server.monitoring;

import java.time.Instant;
import java.util.Map;

/**
 * One sampling instant of a run on the server: the values that were read (an unavailable metric is
 * absent).
 *
 * @param at when it was sampled
 * @param values values by metric name
 */
public record Frame(Instant at, Map<String, Double> values) {

  /** A value, or null when it was not read. */
  public Double get(String name) {
    return values.get(name);
  }
}
