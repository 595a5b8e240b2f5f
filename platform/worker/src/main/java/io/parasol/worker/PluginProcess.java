package io.parasol.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parasol.protocol.Json;
import io.parasol.protocol.PluginContainer;
import io.parasol.protocol.PluginMessage;
import io.parasol.worker.sandbox.Cgroup;
import io.parasol.worker.sandbox.Sandbox;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The supervisor's side of the plugin process: starts it in the {@link Sandbox} and its {@link
 * Cgroup}, sends it instructions, reads what it says (bounded, on a thread of its own), copies its
 * console to the worker's own console up to the cap, watches the work directory's size, and ends
 * the whole sandbox, whatever plugin code left running.
 */
final class PluginProcess implements AutoCloseable {

  private static final ObjectMapper JSON = Json.mapper();

  /** Limits of one plugin process. */
  record Limits(
      long memoryMb,
      int cores,
      long maxFileBytes,
      long consoleCap,
      long maxWorkBytes,
      long maxWorkFiles) {

    /** Memory the plugin JVM needs beyond its heap (metaspace, code, threads, GC). */
    static final long JVM_OVERHEAD_MB = 128;

    /** Processes and threads the sandbox may hold. */
    int maxTasks() {
      return Math.max(512, 64 * cores);
    }
  }

  /** Why the supervisor ended a plugin process early. */
  enum Stop {
    FLOOD,
    DISK,
    TASKS,
    PROTOCOL
  }

  /** The plugin process when it is this supervisor's child; null when it runs in a container. */
  private final Process process;

  /** The plugin container's pipes, in its channel directory; null for a child process. */
  private final ContainerChannel container;

  private final Optional<Cgroup> cgroup;
  private final OutputStream toPlugin;
  private final Thread reader;
  private final Thread console;
  private final Thread diskWatch;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile Stop stopped;
  private volatile String stopReason;
  private volatile PluginMessage.Finished finished;

  /** Notified when the plugin process says it finished. */
  private final Object said = new Object();

  private PluginProcess(
      Process process,
      ContainerChannel container,
      Optional<Cgroup> cgroup,
      Consumer<PluginMessage> onMessage,
      Limits limits,
      Path work,
      OutputStream consoleOut) {
    this.process = process;
    this.container = container;
    this.cgroup = cgroup;
    this.toPlugin = process != null ? process.getOutputStream() : container.in();
    InputStream out = process != null ? process.getInputStream() : container.out();
    InputStream err = process != null ? process.getErrorStream() : container.err();
    this.consoleOut = consoleOut;
    this.consoleCap = limits.consoleCap();
    this.reader = daemon("parasol-plugin-reader", () -> read(out, onMessage));
    this.console =
        daemon("parasol-plugin-console", () -> copyConsole(err, consoleOut, limits.consoleCap()));
    this.diskWatch = daemon("parasol-disk-watch", () -> watchDisk(work, limits));
    reader.start();
    console.start();
    diskWatch.start();
  }

  /**
   * Starts the plugin process.
   *
   * @param layout what the sandbox binds
   * @param limits the limits
   * @param name a name for the cgroup, unique on the machine
   * @param onMessage receives what the plugin process says, on the reader's thread
   * @param warn told about a limit that cannot be applied here
   * @param unconfined run without the sandbox (development only: the caller checked that this is
   *     allowed and warns on every run)
   * @param consoleOut where the plugin's console goes (the worker's own console)
   */
  static PluginProcess start(
      Sandbox.Layout layout,
      Limits limits,
      String name,
      Consumer<PluginMessage> onMessage,
      Consumer<String> warn,
      boolean unconfined,
      OutputStream consoleOut)
      throws IOException {
    Files.createDirectories(layout.work().resolve("tmp"));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("LANG", "C.UTF-8");
    env.put("HOME", unconfined ? layout.work().toString() : Sandbox.WORK);
    env.put("TMPDIR", unconfined ? layout.work().resolve("tmp").toString() : "/tmp");
    env.put("USER", "parasol");
    String java = layout.javaHome().resolve("bin").resolve("java").toString();
    List<String> inner = new ArrayList<>();
    inner.add(java);
    inner.addAll(jvmOptions(limits, unconfined ? layout.work().resolve("tmp").toString() : "/tmp"));
    if (!unconfined) {
      inner.addAll(ClassData.pluginOptions(layout));
    }
    inner.add("-cp");
    inner.add(unconfined ? layout.workerJar().toString() : Sandbox.WORKER_JAR);
    inner.add(PluginProcessMain.class.getName());

    Optional<Cgroup> cgroup = Optional.empty();
    List<String> command;
    if (unconfined) {
      command = inner;
    } else {
      cgroup =
          Cgroup.create(
              name,
              new Cgroup.Limits(
                  (limits.memoryMb() + Limits.JVM_OVERHEAD_MB) * 1024 * 1024,
                  limits.maxTasks(),
                  limits.cores()),
              warn);
      command =
          Sandbox.command(
              layout,
              cgroup.map(Cgroup::procsFiles).orElse(List.of()),
              new Sandbox.Rlimits(limits.maxFileBytes(), 4096),
              env,
              inner);
    }
    ProcessBuilder builder = new ProcessBuilder(command).directory(layout.work().toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      cgroup.ifPresent(Cgroup::close);
      throw e;
    }
    return new PluginProcess(process, null, cgroup, onMessage, limits, layout.work(), consoleOut);
  }

  /**
   * Starts the plugin process in the plugin container of a Kubernetes pod, which the platform
   * confines (its own user, no capabilities, read-only root, the pod's limits and network policy):
   * the plugin's jars go to the code volume that container mounts read-only, its JVM options to an
   * argument file, and the two talk over named pipes in the channel directory both mount. The
   * container waits for the pipes, then runs {@code java @channel/argfile PluginProcessMain}.
   *
   * @param channel the channel directory, shared with the plugin container
   * @param code the code volume, seen by the plugin container as {@link Sandbox#PLUGIN}
   * @param layout the run's files (the inside paths are the sandbox's)
   * @param limits the limits (the pod's own limits enforce memory, cores and processes)
   * @param onMessage receives what the plugin process says, on the reader's thread
   * @param consoleOut where the plugin's console goes (the worker's own console)
   * @param connectTimeout how long to wait for the plugin container to open the pipes
   */
  static PluginProcess startInContainer(
      Path channel,
      Path code,
      Sandbox.Layout layout,
      Limits limits,
      Consumer<PluginMessage> onMessage,
      OutputStream consoleOut,
      Duration connectTimeout)
      throws IOException {
    Files.createDirectories(code);
    Files.copy(
        layout.pluginJar(),
        code.resolve("app.jar"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    for (int i = 0; i < layout.dependencies().size(); i++) {
      Files.copy(
          layout.dependencies().get(i),
          code.resolve("base-" + (i + 1) + ".jar"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    // the plugin container runs as a user of its own: it writes in the work directory only
    Path work = layout.work();
    for (Path dir : List.of(work, work.resolve("tmp"), work.resolve("outputs"))) {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(
          dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    }
    List<String> args = new ArrayList<>(jvmOptions(limits, Sandbox.WORK + "/tmp"));
    args.add("-cp");
    args.add(layout.workerJar().toString());
    Path argfile = channel.resolve(Path.of(PluginContainer.ARGFILE).getFileName().toString());
    Files.write(argfile.resolveSibling("argfile.tmp"), args, StandardCharsets.UTF_8);
    Files.move(
        argfile.resolveSibling("argfile.tmp"),
        argfile,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    ContainerChannel pipes = ContainerChannel.open(channel, connectTimeout);
    return new PluginProcess(null, pipes, Optional.empty(), onMessage, limits, work, consoleOut);
  }

  /**
   * The named pipes to a plugin container: its standard input, output and error, made here and
   * opened in the order the container's shell opens them ({@code <in >out 2>err}).
   */
  record ContainerChannel(OutputStream in, InputStream out, InputStream err) {

    static final List<String> PIPES = List.of("in", "out", "err");

    static ContainerChannel open(Path channel, Duration timeout) throws IOException {
      for (String pipe : PIPES) {
        Path fifo = channel.resolve(pipe);
        Files.deleteIfExists(fifo);
        Process mkfifo =
            new ProcessBuilder("mkfifo", "-m", "0666", fifo.toString())
                .redirectErrorStream(true)
                .start();
        try {
          if (!mkfifo.waitFor(10, TimeUnit.SECONDS) || mkfifo.exitValue() != 0) {
            throw new IOException(
                "cannot make the pipe "
                    + pipe
                    + ": "
                    + new String(mkfifo.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                        .strip());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while making the pipes", e);
        }
      }
      java.util.concurrent.CompletableFuture<ContainerChannel> opened =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  OutputStream in = new java.io.FileOutputStream(channel.resolve("in").toFile());
                  InputStream out = new java.io.FileInputStream(channel.resolve("out").toFile());
                  InputStream err = new java.io.FileInputStream(channel.resolve("err").toFile());
                  // open here, gone there: a restarted plugin container waits for pipes that
                  // never come again instead of starting a second plugin process on these
                  for (String pipe : PIPES) {
                    Files.deleteIfExists(channel.resolve(pipe));
                  }
                  return new ContainerChannel(in, out, err);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              },
              r -> daemon("parasol-plugin-connect", r).start());
      try {
        return opened.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        unblock(channel);
        throw new IOException(
            "the plugin container did not open its pipes within " + timeout.toSeconds() + " s");
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IOException("cannot open the plugin container's pipes: " + e.getCause(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        unblock(channel);
        throw new IOException("interrupted while waiting for the plugin container", e);
      }
    }

    /** Opens the other ends, so that an open still waiting for the container returns. */
    private static void unblock(Path channel) {
      for (String pipe : PIPES) {
        try {
          java.nio.channels.FileChannel.open(
                  channel.resolve(pipe),
                  java.nio.file.StandardOpenOption.READ,
                  java.nio.file.StandardOpenOption.WRITE)
              .close();
        } catch (IOException e) {
          // gone already
        }
      }
    }

    void close() {
      for (java.io.Closeable c : List.<java.io.Closeable>of(in, out, err)) {
        try {
          c.close();
        } catch (IOException e) {
          // closed already
        }
      }
    }
  }

  /** The plugin JVM's options: heap at the run's memory, exit on running out of it, cores. */
  static List<String> jvmOptions(Limits limits, String tmp) {
    return List.of(
        "-Xmx" + Math.max(32, limits.memoryMb()) + "m",
        "-Xms16m",
        "-Xss1m",
        "-XX:MaxMetaspaceSize=96m",
        "-XX:ReservedCodeCacheSize=32m",
        "-XX:MaxDirectMemorySize=64m",
        "-XX:+ExitOnOutOfMemoryError",
        // the JVM's own messages ("Terminating due to java.lang.OutOfMemoryError") to the
        // console, not into the protocol
        "-XX:+DisplayVMOutputToStderr",
        "-XX:+UseSerialGC",
        "-XX:ActiveProcessorCount=" + Math.max(1, limits.cores()),
        "-Xshare:auto",
        "-Djava.awt.headless=true",
        "-Djava.io.tmpdir=" + tmp);
  }

  /** Sends an instruction. */
  synchronized void send(PluginMessage message) throws IOException {
    toPlugin.write(JSON.writeValueAsBytes(message));
    toPlugin.write('\n');
    toPlugin.flush();
  }

  /** Tells the plugin process to stop, without waiting; false when it is gone already. */
  boolean cancel() {
    try {
      send(new PluginMessage.Cancel());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Waits for the plugin process to say it finished (or to exit, or for the timeout), then ends the
   * whole sandbox: plugin code may have left threads, hooks or processes behind.
   *
   * @return what it said last, or null when it exited or was stopped without finishing
   */
  PluginMessage.Finished awaitFinished(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (finished == null
        && stopped == null
        && (process == null || process.isAlive())
        && System.nanoTime() < deadline) {
      synchronized (said) {
        if (finished == null) {
          said.wait(50);
        }
      }
      if (!reader.isAlive()) {
        break;
      }
    }
    if (finished != null && process != null && ClassData.training()) {
      // the archive is written as the JVM exits: let it; otherwise the end of everything in the
      // sandbox at once (a JVM's own exit waits up to 300 ms for threads blocked in native code,
      // such as the one reading instructions)
      process.waitFor(30, TimeUnit.SECONDS);
    } else if (finished != null && process == null) {
      reader.join(2000);
    }
    end();
    // what it said before it ended is still to be read: the pipe ends now that every process of
    // the sandbox is gone, so this waits only for the parsing (a plugin container ends with the
    // pod, after this supervisor: what it holds open does not end the pipe)
    reader.join(process != null ? 30_000 : 2000);
    console.join(2000);
    return finished;
  }

  /** The exit code, once ended. */
  int exitCode() {
    if (process == null) {
      return -1; // a plugin container's exit is the platform's to see
    }
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return process.isAlive() ? -1 : process.exitValue();
  }

  /** Why the supervisor stopped the plugin process, or null. */
  Stop stopped() {
    return stopped;
  }

  /** The reason for {@link #stopped()}, in words. */
  String stopReason() {
    return stopReason;
  }

  /** Whether the kernel killed a process of the sandbox for memory. */
  boolean outOfMemory() {
    return cgroup.map(Cgroup::outOfMemory).orElse(false);
  }

  /** Whether the sandbox hit its process limit. */
  boolean tooManyTasks() {
    return cgroup.map(Cgroup::tooManyTasks).orElse(false);
  }

  /**
   * The process whose tree is sampled: the sandbox's root, or in a plugin container (whose
   * processes this supervisor sees through the pod's shared process namespace) the plugin JVM.
   */
  Optional<ProcessHandle> handle() {
    if (process != null) {
      return Optional.of(process.toHandle());
    }
    ProcessHandle found = containerJvm;
    if (found != null && found.isAlive()) {
      return Optional.of(found);
    }
    Optional<ProcessHandle> jvm =
        ProcessHandle.allProcesses().filter(PluginProcess::isPluginJvm).findFirst();
    jvm.ifPresent(p -> containerJvm = p);
    return jvm;
  }

  private volatile ProcessHandle containerJvm;

  /**
   * Whether a process is a plugin JVM: the java process itself, not the bwrap and shell that carry
   * its command line too (a plugin container's JVM, another user's, may not show its executable).
   */
  static boolean isPluginJvm(ProcessHandle p) {
    String main = PluginProcessMain.class.getName();
    return p.info().command().map(c -> c.endsWith("/java")).orElse(true)
        && p.info().arguments().map(a -> java.util.Arrays.asList(a).contains(main)).orElse(false);
  }

  /** Whether the plugin process runs in a container of its own rather than as a child. */
  boolean inContainer() {
    return container != null;
  }

  /** The cgroup, if the run has one. */
  Optional<Cgroup> cgroup() {
    return cgroup;
  }

  /** Kills every process of the sandbox. */
  void end() {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    if (container != null) {
      // the plugin container ends with the pod when this supervisor exits: the platform kills
      // whatever it left running; its pipes close now
      try {
        toPlugin.close();
      } catch (IOException e) {
        // closed already
      }
      diskWatch.interrupt();
      return;
    }
    cgroup.ifPresent(Cgroup::killAll);
    process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
    // through the handle: Process.destroyForcibly would also close the pipe that may still hold
    // the plugin's last messages
    process.toHandle().destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    diskWatch.interrupt();
  }

  @Override
  public void close() {
    end();
    cgroup.ifPresent(Cgroup::close);
    if (container != null) {
      container.close();
    }
  }

  private void stop(Stop why, String reason) {
    if (stopped == null) {
      stopReason = reason;
      stopped = why;
    }
    end();
  }

  // ---------------------------------------------------------------- threads

  private void read(InputStream in, Consumer<PluginMessage> onMessage) {
    try (Reader r = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
      StringBuilder line = new StringBuilder();
      char[] buffer = new char[8192];
      int n;
      while ((n = r.read(buffer)) >= 0) {
        for (int i = 0; i < n; i++) {
          char c = buffer[i];
          if (c != '\n') {
            line.append(c);
            if (line.length() > PluginMessage.MAX_LINE_CHARS) {
              stop(
                  Stop.PROTOCOL,
                  "the plugin process sent a message over "
                      + PluginMessage.MAX_LINE_CHARS
                      + " characters");
              return;
            }
            continue;
          }
          PluginMessage message;
          try {
            message = JSON.readValue(line.toString(), PluginMessage.class);
          } catch (IOException e) {
            // not a message: native code printing to its standard output; console text
            consoleLine(line.append('\n').toString());
            line.setLength(0);
            continue;
          }
          line.setLength(0);
          if (message instanceof PluginMessage.Finished f) {
            finished = f;
            synchronized (said) {
              said.notifyAll();
            }
          } else {
            onMessage.accept(message);
          }
        }
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  private void copyConsole(InputStream in, OutputStream out, long cap) {
    byte[] buffer = new byte[16_384];
    try (in) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (!console(buffer, n)) {
          return;
        }
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  private OutputStream consoleOut;
  private long consoleCap;
  private long consoleWritten;
  private final StringBuilder consoleTail = new StringBuilder();

  private void consoleLine(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    console(bytes, bytes.length);
  }

  /** Copies console bytes up to the cap; false (and the sandbox stopped) past it. */
  private synchronized boolean console(byte[] buffer, int n) {
    if (consoleOut == null) {
      return true;
    }
    try {
      long room = consoleCap - consoleWritten;
      if (room > 0) {
        consoleOut.write(buffer, 0, (int) Math.min(n, room));
        consoleOut.flush();
      }
    } catch (IOException e) {
      // the worker's own console is gone; keep counting
    }
    consoleWritten += n;
    consoleTail.append(new String(buffer, 0, Math.min(n, 8192), StandardCharsets.UTF_8));
    if (consoleTail.length() > 8192) {
      consoleTail.delete(0, consoleTail.length() - 8192);
    }
    if (consoleWritten > consoleCap) {
      stop(Stop.FLOOD, WorkerMain.floodMessage());
      return false;
    }
    return true;
  }

  /** Whether the plugin JVM said it stopped for want of heap (-XX:+ExitOnOutOfMemoryError). */
  synchronized boolean saidOutOfMemory() {
    return consoleTail.indexOf("Terminating due to java.lang.OutOfMemoryError") >= 0;
  }

  /**
   * Every second: the process limit (a fork bomb fills it and waits), and the work directory's size
   * and file count against the run's quota.
   */
  private void watchDisk(Path work, Limits limits) {
    AtomicLong bytes = new AtomicLong();
    AtomicLong files = new AtomicLong();
    while (!Thread.currentThread().isInterrupted() && !ended.get()) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
      if (cgroup.map(Cgroup::tooManyTasks).orElse(false)) {
        stop(
            Stop.TASKS,
            "the solver started more processes and threads than its limit of "
                + limits.maxTasks()
                + " allows; it was stopped");
        return;
      }
      bytes.set(0);
      files.set(0);
      try (var walk = Files.walk(work)) {
        walk.forEach(
            p -> {
              files.incrementAndGet();
              try {
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                  bytes.addAndGet(Files.size(p));
                }
              } catch (IOException e) {
                // removed meanwhile
              }
            });
      } catch (IOException | java.io.UncheckedIOException e) {
        continue; // a file vanished while walking; next round
      }
      if (bytes.get() > limits.maxWorkBytes()) {
        stop(
            Stop.DISK,
            "the run's work directory grew past its disk quota of "
                + limits.maxWorkBytes()
                + " bytes; it was stopped");
        return;
      }
      if (files.get() > limits.maxWorkFiles()) {
        stop(
            Stop.DISK,
            "the run's work directory holds more than "
                + limits.maxWorkFiles()
                + " files, its quota; it was stopped");
        return;
      }
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }
}
