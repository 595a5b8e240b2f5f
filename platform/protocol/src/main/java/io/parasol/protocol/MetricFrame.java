package io.parasol.protocol;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One sampling instant of a run, as the worker reports it: the value of each metric it could read,
 * and the names of those it could not (reported as unavailable, never invented).
 *
 * <p>The worker's own metrics are {@link #CPU_UTILISATION} and the other constants here; the
 * solver's metrics (reported through {@code RunContext.metric}) carry the prefix {@link #SOLVER}.
 *
 * @param at when the sample was taken
 * @param values metric values by name
 * @param unavailable names of metrics that could not be read at this instant; may be null
 */
public record MetricFrame(Instant at, Map<String, Double> values, List<String> unavailable) {

  /** CPU time of the solver's process tree over the interval, as a fraction of allocated cores. */
  public static final String CPU_UTILISATION = "cpu_utilisation";

  /**
   * The spread (max − min) of CPU utilisation over the busiest threads, one per allocated core,
   * counting only threads that are at least a quarter busy: the per-core load imbalance.
   */
  public static final String CORE_SPREAD = "core_spread";

  /**
   * Memory the solver holds, in bytes: the worker JVM's heap that survived a collection (outside
   * the nursery, where garbage is) plus child processes' RSS.
   */
  public static final String MEMORY_USED = "memory_used_bytes";

  /**
   * The most the solver can hold before it runs out of memory, in bytes: for the worker JVM, the
   * capacity of the heap outside the nursery under the run's memory limit.
   */
  public static final String MEMORY_LIMIT = "memory_limit_bytes";

  /** Resident set size of the solver's process tree, in bytes. */
  public static final String MEMORY_RSS = "memory_rss_bytes";

  /** Bytes read from storage per second. */
  public static final String IO_READ = "io_read_bytes_per_second";

  /** Bytes written to storage per second. */
  public static final String IO_WRITE = "io_write_bytes_per_second";

  /**
   * Threads blocked on I/O (uninterruptible sleep), on average, as a fraction of allocated cores.
   */
  public static final String IO_WAIT = "io_wait_fraction";

  /** Threads of the solver's process tree. */
  public static final String THREADS = "threads";

  /** The progress the solver last reported, 0 to 1. */
  public static final String PROGRESS = "progress";

  /** Mean utilisation of the run's GPUs, 0 to 1. */
  public static final String GPU_UTILISATION = "gpu_utilisation";

  /** Utilisation of the least busy of the run's GPUs, 0 to 1. */
  public static final String GPU_UTILISATION_MIN = "gpu_utilisation_min";

  /** GPU memory in use over the run's devices, in bytes. */
  public static final String GPU_MEMORY_USED = "gpu_memory_used_bytes";

  /** GPU memory of the run's devices, in bytes. */
  public static final String GPU_MEMORY_TOTAL = "gpu_memory_total_bytes";

  /** Power drawn by the run's GPUs, in watts. */
  public static final String GPU_POWER = "gpu_power_watts";

  /** Mean utilisation of the run's FPGA cards, 0 to 1, from a configured sampler. */
  public static final String FPGA_UTILISATION = "fpga_utilisation";

  /** Utilisation of the least busy of the run's FPGA cards, 0 to 1. */
  public static final String FPGA_UTILISATION_MIN = "fpga_utilisation_min";

  /** The size of the run's problem as the app measures it (cells × steps, elements...). */
  public static final String PROBLEM_SIZE = "problem_size";

  /** The prefix of metrics the solver reports itself. */
  public static final String SOLVER = "solver.";
}
