package io.parasol.worker.monitor;

import io.parasol.protocol.MetricFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * GPU utilisation, memory and power of the run's devices from {@code nvidia-smi}'s CSV query
 * output. The devices are those in {@code CUDA_VISIBLE_DEVICES} when the worker was given it, all
 * devices otherwise.
 */
public final class NvidiaSmiSampler implements DeviceSampler {

  static final String QUERY = "index,utilization.gpu,memory.used,memory.total,power.draw";

  private final String executable;
  private final String devices;

  /**
   * @param executable the {@code nvidia-smi} command
   * @param devices a comma-separated device list, or null for all
   */
  public NvidiaSmiSampler(String executable, String devices) {
    this.executable = executable;
    this.devices = devices == null || devices.isBlank() ? null : devices.strip();
  }

  @Override
  public boolean applies(String acceleratorKind) {
    return "GPU".equalsIgnoreCase(acceleratorKind);
  }

  @Override
  public Set<String> names() {
    return Set.of(
        MetricFrame.GPU_UTILISATION,
        MetricFrame.GPU_UTILISATION_MIN,
        MetricFrame.GPU_MEMORY_USED,
        MetricFrame.GPU_MEMORY_TOTAL,
        MetricFrame.GPU_POWER);
  }

  @Override
  public Map<String, Double> sample() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(executable);
    command.add("--query-gpu=" + QUERY);
    command.add("--format=csv,noheader,nounits");
    if (devices != null) {
      command.add("--id=" + devices);
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("nvidia-smi did not answer within 10 s");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IOException("nvidia-smi exited with " + process.exitValue() + ": " + text.strip());
    }
    return parse(text);
  }

  /**
   * Parses the query output, one line per device. A field the driver cannot report ({@code [N/A]},
   * {@code [Not Supported]}) leaves its metric out.
   */
  static Map<String, Double> parse(String csv) {
    List<Double> util = new ArrayList<>();
    double memUsed = 0;
    double memTotal = 0;
    double power = 0;
    boolean memUsedKnown = true;
    boolean memTotalKnown = true;
    boolean powerKnown = true;
    int devices = 0;
    for (String line : csv.split("\\R")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",");
      if (f.length < 5) {
        throw new IllegalArgumentException("unexpected nvidia-smi line: " + line.strip());
      }
      devices++;
      Double u = number(f[1]);
      if (u != null) {
        util.add(u / 100.0);
      }
      Double used = number(f[2]);
      Double total = number(f[3]);
      Double watts = number(f[4]);
      memUsedKnown &= used != null;
      memTotalKnown &= total != null;
      powerKnown &= watts != null;
      memUsed += used == null ? 0 : used * 1024 * 1024;
      memTotal += total == null ? 0 : total * 1024 * 1024;
      power += watts == null ? 0 : watts;
    }
    Map<String, Double> values = new HashMap<>();
    if (devices == 0) {
      return values;
    }
    if (util.size() == devices) {
      values.put(
          MetricFrame.GPU_UTILISATION,
          util.stream().mapToDouble(Double::doubleValue).average().orElseThrow());
      values.put(
          MetricFrame.GPU_UTILISATION_MIN,
          util.stream().mapToDouble(Double::doubleValue).min().orElseThrow());
    }
    if (memUsedKnown) {
      values.put(MetricFrame.GPU_MEMORY_USED, memUsed);
    }
    if (memTotalKnown) {
      values.put(MetricFrame.GPU_MEMORY_TOTAL, memTotal);
    }
    if (powerKnown) {
      values.put(MetricFrame.GPU_POWER, power);
    }
    return values;
  }

  private static Double number(String field) {
    String s = field.strip();
    try {
      double v = Double.parseDouble(s);
      return Double.isFinite(v) ? v : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
