package io.parasol.protocol;

import io.parasol.plugin.api.Allocation;
import java.util.List;
import java.util.Map;

/**
 * Everything a worker needs to execute one run, written by the server as JSON.
 *
 * @param runId the run id
 * @param appId the app id (the extension to run)
 * @param pluginJar the plugin jar path, or the server URL to fetch it from
 * @param inputs the validated inputs as typed JSON values
 * @param files local file names of file inputs by field id, relative to the inputs directory
 * @param allocation the allocated resources
 * @param serverUrl the base URL of the server's worker API
 * @param token the run-scoped bearer token for callbacks
 * @param limits caps on what the run may produce
 * @param dependencyJars the jars of the plugins a derived app builds on, base first (or the names
 *     remote workers store them under); null or empty for other apps
 * @param monitoring how the worker samples the run; null for the defaults
 */
public record RunSpec(
    String runId,
    String appId,
    String pluginJar,
    Map<String, Object> inputs,
    Map<String, String> files,
    Allocation allocation,
    String serverUrl,
    String token,
    Limits limits,
    List<String> dependencyJars,
    Monitoring monitoring) {

  /** The dependency jars, never null. */
  public List<String> dependencies() {
    return dependencyJars == null ? List.of() : dependencyJars;
  }

  /** How the worker samples the run, never null. */
  public Monitoring sampling() {
    return monitoring == null ? Monitoring.DEFAULT : monitoring;
  }

  /**
   * How the worker samples a run.
   *
   * @param intervalSeconds seconds between samples, at least 1
   * @param nvidiaSmi the {@code nvidia-smi} command for GPU runs
   * @param fpgaCommand a command printing {@code NAME VALUE} lines for the run's FPGA cards, empty
   *     when the cluster has none
   * @param reportSeconds the worker sends its samples at most this often (the ones taken since the
   *     last report in one call); 0 sends each sample as it is taken
   */
  public record Monitoring(
      double intervalSeconds, String nvidiaSmi, List<String> fpgaCommand, double reportSeconds) {

    /** Every 5 s, {@code nvidia-smi} from the path, no FPGA sampler, reports every 2 s at most. */
    public static final Monitoring DEFAULT = new Monitoring(5, "nvidia-smi", List.of(), 2);
  }

  /**
   * Caps on a run's output.
   *
   * @param maxLogBytes the most log bytes the server keeps
   * @param maxOutputBytes the most bytes of output files
   * @param maxOutputFiles the most output files
   */
  public record Limits(long maxLogBytes, long maxOutputBytes, int maxOutputFiles) {}
}
