package io.parasol.worker.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Samples a kind of card through a command the cluster's operator configures: the command prints
 * one {@code NAME VALUE} line per metric (for example {@code fpga_utilisation 0.42}), typically a
 * short script around the vendor's tool ({@code xrt-smi}, {@code xbutil}, {@code opae}). Lines
 * whose name is not one of {@link #names()} are ignored.
 */
public final class CommandSampler implements DeviceSampler {

  private static final Pattern LINE = Pattern.compile("([a-z][a-z0-9_]{0,63})\\s+(\\S+)");

  private final String kind;
  private final List<String> command;
  private final Set<String> names;

  /**
   * @param kind the accelerator kind the command reads ({@code FPGA})
   * @param command the command and its arguments
   * @param names the metric names it reports
   */
  public CommandSampler(String kind, List<String> command, Set<String> names) {
    this.kind = kind;
    this.command = List.copyOf(command);
    this.names = Set.copyOf(names);
  }

  @Override
  public boolean applies(String acceleratorKind) {
    return kind.equalsIgnoreCase(acceleratorKind) && !command.isEmpty();
  }

  @Override
  public Set<String> names() {
    return names;
  }

  @Override
  public Map<String, Double> sample() throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(command.get(0) + " did not answer within 10 s");
    }
    if (process.exitValue() != 0) {
      throw new IOException(command.get(0) + " exited with " + process.exitValue());
    }
    return parse(new String(out, StandardCharsets.UTF_8), names);
  }

  static Map<String, Double> parse(String text, Set<String> names) {
    Map<String, Double> values = new HashMap<>();
    for (String line : text.split("\\R")) {
      var m = LINE.matcher(line.strip());
      if (m.matches() && names.contains(m.group(1))) {
        try {
          double v = Double.parseDouble(m.group(2));
          if (Double.isFinite(v)) {
            values.put(m.group(1), v);
          }
        } catch (NumberFormatException e) {
          // not a number: the metric stays unavailable
        }
      }
    }
    return values;
  }
}
