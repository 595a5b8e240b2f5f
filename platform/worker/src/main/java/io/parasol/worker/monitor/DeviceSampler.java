package io.parasol.worker.monitor;

import java.util.Map;
import java.util.Set;

/**
 * Reads the utilisation of a kind of accelerator card. The worker finds implementations with {@link
 * java.util.ServiceLoader}; {@link NvidiaSmiSampler} (GPUs) and {@link CommandSampler} (any card
 * whose vendor tool can be wrapped in a command, such as FPGA cards) come with it.
 */
public interface DeviceSampler extends AutoCloseable {

  /**
   * Whether this sampler applies to the run: its card kind was allocated and its tool is present.
   *
   * @param acceleratorKind the allocated accelerator kind ({@code GPU}, {@code FPGA}), or null
   * @return true to sample
   */
  boolean applies(String acceleratorKind);

  /**
   * The metric names this sampler reports when it works, so that a failing read names them as
   * unavailable.
   *
   * @return the names
   */
  Set<String> names();

  /**
   * Reads the cards once.
   *
   * @return metric values by name; a name left out is reported as unavailable
   * @throws Exception when the cards cannot be read at all (every name is then unavailable)
   */
  Map<String, Double> sample() throws Exception;

  @Override
  default void close() {}
}
