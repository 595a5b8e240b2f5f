package io.parasol.plugin.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The resources the platform allocated to one run.
 *
 * @param cores the number of CPU cores
 * @param memoryMb the memory limit in MiB
 * @param accelerators the accelerator cards, empty when none
 * @param wallTime the wall-time limit after which the run is stopped
 */
public record Allocation(
    int cores, long memoryMb, List<Accelerator> accelerators, Duration wallTime) {

  /** Checks the allocation and copies the accelerator list. */
  public Allocation {
    if (cores < 1) {
      throw new IllegalArgumentException("cores must be at least 1");
    }
    if (memoryMb < 1) {
      throw new IllegalArgumentException("memoryMb must be at least 1");
    }
    accelerators = List.copyOf(Objects.requireNonNull(accelerators, "accelerators"));
    Objects.requireNonNull(wallTime, "wallTime");
  }
}
