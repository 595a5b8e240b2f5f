package io.parasol.server.compute;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Starts worker processes inside the process-level sandbox: a scrubbed environment (no database or
 * identity secrets), a private working directory, a heap limit with exit on out-of-memory, a
 * processor count, a file-size limit when {@code prlimit} is available, and stdout/stderr to a
 * file. Callers enforce wall time with {@link #kill(Process)}.
 */
@ApplicationScoped
public class SandboxedWorker {

  private static final Logger LOG = Logger.getLogger(SandboxedWorker.class);
  private static final Path PRLIMIT = Path.of("/usr/bin/prlimit");

  /** Exit code of a JVM stopped by -XX:+ExitOnOutOfMemoryError. */
  public static final int EXIT_OUT_OF_MEMORY = 3;

  /** Exit code of a worker whose plugin flooded stdout/stderr. */
  public static final int EXIT_FLOOD = 4;

  /** Exit code of a worker that could not report to the server. */
  public static final int EXIT_UNREPORTED = 5;

  private final ComputeConfig config;
  private final WorkerBinary binary;
  private final WorkerClassData classData;

  SandboxedWorker(ComputeConfig config, WorkerBinary binary, WorkerClassData classData) {
    this.config = config;
    this.binary = binary;
    this.classData = classData;
  }

  /**
   * Limits of one worker process.
   *
   * @param heapMb the Java heap limit
   * @param cores the processor count the JVM sees
   * @param maxFileBytes the largest file the process may write (console and outputs)
   */
  public record Limits(long heapMb, int cores, long maxFileBytes) {}

  /** Starts {@code java -jar worker.jar ARGS} in {@code workingDir}. */
  public Process start(Path workingDir, Path consoleFile, Limits limits, List<String> args)
      throws IOException {
    Files.createDirectories(workingDir.resolve("tmp"));
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(PRLIMIT)) {
      command.add(PRLIMIT.toString());
      command.add("--fsize=" + limits.maxFileBytes());
      command.add("--core=0");
      command.add("--");
    }
    command.add(javaExecutable());
    command.addAll(jvmOptions(limits, workingDir.resolve("tmp").toString(), config));
    command.addAll(classData.options());
    // the run-time output limits, which a self-test is held to as a run would be
    command.add("-Dparasol.worker.max-output-files=" + config.maxOutputFiles());
    command.add("-Dparasol.worker.max-output-bytes=" + config.maxOutputBytes().asLongValue());
    command.add("-jar");
    command.add(binary.jar().toString());
    command.addAll(args);

    ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile());
    Map<String, String> env = builder.environment();
    env.clear();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("LANG", "C.UTF-8");
    env.put("HOME", workingDir.toString());
    env.put("TMPDIR", workingDir.resolve("tmp").toString());
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(consoleFile.toFile()));
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process = builder.start();
    LOG.debugf("started worker pid %d: %s", process.pid(), args);
    return process;
  }

  /** The worker's (the supervisor's) own heap: it holds queues and uploads, not the solver. */
  public static final int SUPERVISOR_HEAP_MB = 128;

  /**
   * The JVM options of a worker, on every backend: the supervisor's own small heap and exit on
   * out-of-memory, the memory and cores of the sandboxed plugin process it starts, the console cap
   * and the run's disk quota. The sandbox itself is the worker's (ADR 0015).
   */
  public static List<String> jvmOptions(Limits limits, String tmpDir, ComputeConfig config) {
    List<String> options =
        new ArrayList<>(
            List.of(
                "-Xmx" + SUPERVISOR_HEAP_MB + "m",
                "-Xms16m",
                "-XX:MaxMetaspaceSize=96m",
                "-XX:MaxDirectMemorySize=64m",
                "-XX:+ExitOnOutOfMemoryError",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-XX:ActiveProcessorCount=" + Math.max(1, Math.min(2, limits.cores())),
                "-Djava.awt.headless=true",
                "-Djava.io.tmpdir=" + tmpDir,
                "-Dparasol.worker.console-cap=" + config.consoleCapBytes().asLongValue(),
                "-Dparasol.worker.plugin-memory-mb=" + Math.max(32, limits.heapMb()),
                "-Dparasol.worker.max-work-bytes=" + config.maxWorkBytes().asLongValue(),
                "-Dparasol.worker.max-work-files=" + config.maxWorkFiles()));
    if (limits.maxFileBytes() > 0) {
      options.add("-Dparasol.worker.max-file-bytes=" + limits.maxFileBytes());
    }
    if (config.keepWork()) {
      options.add("-Dparasol.worker.keep-work=true");
    }
    if (config.unconfined()) {
      options.add("-Dparasol.worker.unconfined=true");
    }
    return options;
  }

  /** Kills a worker and everything it started. */
  public void kill(ProcessHandle process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /** Kills a worker and everything it started. */
  public void kill(Process process) {
    kill(process.toHandle());
  }

  /** The last bytes of a console file, for failure reasons. */
  public static String tail(Path consoleFile, int maxChars) {
    try {
      if (!Files.exists(consoleFile)) {
        return "";
      }
      long size = Files.size(consoleFile);
      try (var channel = Files.newByteChannel(consoleFile)) {
        long from = Math.max(0, size - Math.max(65_536L, maxChars * 2L));
        channel.position(from);
        var buffer = java.nio.ByteBuffer.allocate((int) (size - from));
        while (buffer.hasRemaining() && channel.read(buffer) > 0) {
          // keep reading
        }
        String text =
            new String(
                buffer.array(), 0, buffer.position(), java.nio.charset.StandardCharsets.UTF_8);
        StringBuilder kept = new StringBuilder();
        for (String line : text.split("\n")) {
          if (!line.startsWith("WARNING: ") && !line.isBlank()) {
            kept.append(line.strip()).append('\n');
          }
        }
        String result = summary(kept.toString().strip());
        return result.length() <= maxChars ? result : result.substring(0, maxChars - 1) + "\u2026";
      }
    } catch (IOException e) {
      return "";
    }
  }

  private static final java.util.regex.Pattern FRAME =
      java.util.regex.Pattern.compile("^(at |\\.\\.\\. \\d+ (more|common frames omitted))");

  private static final java.util.regex.Pattern THROWABLE =
      java.util.regex.Pattern.compile(
          "^(?:Exception in thread \"[^\"]*\" )?(?:Caused by: )?((?:[a-zA-Z_$][\\w$]*\\.)*"
              + "([A-Z][\\w$]*(?:Exception|Error)))(:.*)?$");

  private static final java.util.regex.Pattern PATH =
      java.util.regex.Pattern.compile("(?<![\\w.:])/(?:[\\w.@+=-]+/)+[\\w.@+=-]*");

  /**
   * What a console says, for the person reading a run's or a verification's reason: the root cause
   * first, in one sentence (the last {@code Caused by}, or the exception that was thrown), then the
   * last lines without stack frames, with no path of the server's file system in it (the full
   * console is the admins', in the data directory and the server log).
   */
  static String summary(String console) {
    String root = null;
    List<String> lines = new ArrayList<>();
    for (String line : console.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || FRAME.matcher(l).find()) {
        continue;
      }
      java.util.regex.Matcher m = THROWABLE.matcher(l);
      if (m.matches()) {
        String cause = m.group(2) + (m.group(3) == null ? "" : m.group(3));
        if (root == null || l.startsWith("Caused by: ")) {
          root = cause;
        }
        continue;
      }
      lines.add(l);
    }
    StringBuilder out = new StringBuilder();
    if (root != null) {
      out.append("root cause: ").append(root.strip());
    }
    int from = Math.max(0, lines.size() - 5);
    for (String l : lines.subList(from, lines.size())) {
      out.append(out.length() == 0 ? "" : " | ").append(l);
    }
    return PATH.matcher(out.toString()).replaceAll("[path]");
  }

  private String javaExecutable() {
    return config.java().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
