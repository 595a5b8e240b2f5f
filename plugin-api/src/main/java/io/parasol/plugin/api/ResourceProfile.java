package io.parasol.plugin.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The hardware an app wants for one run.
 *
 * @param minCores the fewest cores the solver can use
 * @param defaultCores the cores a run gets when the engineer does not choose
 * @param maxCores the most cores the solver can use
 * @param memoryPerCoreMb memory per core in MiB
 * @param accelerators accelerator cards per run, empty for CPU-only apps
 * @param expectedWallTime the wall time of a typical run, used until the platform has history
 */
public record ResourceProfile(
    int minCores,
    int defaultCores,
    int maxCores,
    long memoryPerCoreMb,
    List<Accelerator> accelerators,
    Duration expectedWallTime) {

  /** Checks that the core counts are ordered and the values positive. */
  public ResourceProfile {
    if (minCores < 1 || defaultCores < minCores || maxCores < defaultCores) {
      throw new IllegalArgumentException(
          "cores must satisfy 1 <= min <= default <= max, got "
              + minCores
              + "/"
              + defaultCores
              + "/"
              + maxCores);
    }
    if (memoryPerCoreMb < 1) {
      throw new IllegalArgumentException("memoryPerCoreMb must be at least 1");
    }
    accelerators = List.copyOf(accelerators == null ? List.of() : accelerators);
    Objects.requireNonNull(expectedWallTime, "expectedWallTime");
    if (expectedWallTime.isNegative() || expectedWallTime.isZero()) {
      throw new IllegalArgumentException("expectedWallTime must be positive");
    }
  }

  /**
   * A CPU-only profile.
   *
   * @param minCores fewest cores
   * @param defaultCores default cores
   * @param maxCores most cores
   * @param memoryPerCoreMb memory per core in MiB
   * @param expectedWallTime typical wall time
   * @return the profile
   */
  public static ResourceProfile cpu(
      int minCores,
      int defaultCores,
      int maxCores,
      long memoryPerCoreMb,
      Duration expectedWallTime) {
    return new ResourceProfile(
        minCores, defaultCores, maxCores, memoryPerCoreMb, List.of(), expectedWallTime);
  }
}
