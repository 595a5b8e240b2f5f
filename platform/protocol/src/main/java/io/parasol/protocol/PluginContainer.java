package io.parasol.protocol;

import java.util.List;

/**
 * How a run's plugin process runs in a container of its own beside the worker's supervisor, in one
 * Kubernetes pod (ADR 0015): the paths the plugin container mounts, and the command it runs. The
 * supervisor writes the plugin JVM's options to {@link #ARGFILE} and makes the named pipes {@code
 * in}, {@code out} and {@code err} in {@link #CHANNEL} ({@code err} last); the container waits for
 * them and runs the plugin JVM on them, so that the two talk the {@link PluginMessage} protocol
 * exactly as over a child process's pipes.
 */
public final class PluginContainer {

  /** The directory both containers mount: the argument file and the pipes. */
  public static final String CHANNEL = "/parasol/channel";

  /** The plugin JVM's options, one per line, written by the supervisor. */
  public static final String ARGFILE = CHANNEL + "/argfile";

  /** The plugin jars (read-only in the plugin container). */
  public static final String PLUGIN = "/parasol/plugin";

  /** The run's input files (read-only in the plugin container). */
  public static final String INPUTS = "/parasol/inputs";

  /** The run's work directory, the plugin container's only writable path besides the pipes. */
  public static final String WORK = "/parasol/work";

  /** The plugin process's main class. */
  public static final String MAIN = "io.parasol.worker.PluginProcessMain";

  /**
   * The plugin container's command: wait for the pipes, then run the plugin JVM on them with a
   * clean environment (the platform's variables, such as the service addresses a pod is given, stay
   * out). A restarted container finds no writer on {@code in} and waits there until the pod ends.
   */
  public static List<String> command() {
    return List.of(
        "/bin/sh",
        "-c",
        "c="
            + CHANNEL
            + "; while [ ! -p \"$c/err\" ]; do sleep 0.1; done; j=$(command -v java);"
            + " exec env -i PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 HOME="
            + WORK
            + " TMPDIR="
            + WORK
            + "/tmp USER=parasol \"$j\" @\"$c/argfile\" "
            + MAIN
            + " <\"$c/in\" >\"$c/out\" 2>\"$c/err\"");
  }

  private PluginContainer() {}
}
