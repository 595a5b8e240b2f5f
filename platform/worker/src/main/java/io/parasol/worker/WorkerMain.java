package io.parasol.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parasol.plugin.api.Allocation;
import io.parasol.protocol.AppDescriptor;
import io.parasol.protocol.Json;
import io.parasol.protocol.MetricFrame;
import io.parasol.protocol.PluginMessage;
import io.parasol.protocol.RunEvent;
import io.parasol.protocol.RunSpec;
import io.parasol.protocol.VerificationReport;
import io.parasol.protocol.VerificationReport.Check;
import io.parasol.worker.monitor.CommandSampler;
import io.parasol.worker.monitor.DeviceSampler;
import io.parasol.worker.monitor.Monitor;
import io.parasol.worker.monitor.NvidiaSmiSampler;
import io.parasol.worker.sandbox.Sandbox;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The worker's entry point. One binary for every backend:
 *
 * <pre>
 *   java -jar parasol-worker.jar describe PLUGIN.jar WORK_DIR REPORT.json [BASE.jar...]
 *                                            (REPORT "-": print it; BASE: a derived app's bases)
 *   java -jar parasol-worker.jar run RUN_DIR/spec.json
 *   java -jar parasol-worker.jar fetch SERVER_URL RUN_ID RUN_DIR   (token in PARASOL_RUN_TOKEN)
 *   java -jar parasol-worker.jar check-sandbox    (whether plugin code can be confined here)
 * </pre>
 *
 * <p>{@code describe} verifies an uploaded plugin: it loads it, checks Plugin-Requires, extracts
 * the descriptor and runs the self-test on the sample inputs, writing the report after each stage.
 * {@code run} executes one run in {@code RUN_DIR/work} and reports to the server. {@code fetch} is
 * {@code run} on a Kubernetes or Slurm cluster: it first fetches the spec, the plugin jar and the
 * input files from the server into {@code RUN_DIR}.
 *
 * <p>This process is the <em>supervisor</em>: Parasol's code only. It holds the run token, talks to
 * the server, samples, checks and uploads outputs and enforces the console cap and disk quota.
 * Plugin code runs only in the {@link PluginProcess} it starts inside the operating-system {@link
 * Sandbox} (ADR 0015).
 */
public final class WorkerMain {

  /** Exit codes the server maps to reasons. */
  static final int EXIT_OK = 0;

  static final int EXIT_USAGE = 2;
  static final int EXIT_FLOOD = 4;
  static final int EXIT_UNREPORTED = 5;
  static final int EXIT_NO_SANDBOX = 6;
  static final int EXIT_OUT_OF_MEMORY = 3;

  /** How many bytes of stdout and stderr together plugin code may write. */
  static final long CONSOLE_CAP = Long.getLong("parasol.worker.console-cap", 4L * 1024 * 1024);

  private static final ObjectMapper JSON = Json.mapper();

  private WorkerMain() {}

  /**
   * Runs the worker.
   *
   * @param args {@code describe JAR WORK REPORT} or {@code run SPEC}
   */
  public static void main(String[] args) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    if (args.length >= 4 && "describe".equals(args[0])) {
      List<Path> dependencies = new ArrayList<>();
      for (int i = 4; i < args.length; i++) {
        dependencies.add(Path.of(args[i]));
      }
      if ("-".equals(args[3])) {
        System.exit(describeToStdout(Path.of(args[1]), Path.of(args[2]), dependencies));
      }
      System.exit(describe(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), dependencies));
    } else if (args.length == 2 && "run".equals(args[0])) {
      System.exit(run(Path.of(args[1])));
    } else if (args.length == 1 && "check-sandbox".equals(args[0])) {
      Optional<String> unavailable = Sandbox.unavailable();
      System.out.println(unavailable.map(r -> "unavailable: " + r).orElse("bubblewrap"));
      System.exit(unavailable.isPresent() ? EXIT_NO_SANDBOX : EXIT_OK);
    } else if (args.length == 4 && "fetch".equals(args[0])) {
      System.exit(fetchAndRun(args[1], args[2], Path.of(args[3])));
    } else if (args.length == 2 && "fetch".equals(args[0])) {
      // the server's address and the run from the environment, off the command line (which
      // every process of a pod that shares its process namespace may read)
      String url = System.getenv("PARASOL_SERVER_URL");
      String run = System.getenv("PARASOL_RUN_ID");
      if (url == null || run == null) {
        System.err.println("parasol-worker: PARASOL_SERVER_URL and PARASOL_RUN_ID must be set");
        System.exit(EXIT_USAGE);
      }
      System.exit(fetchAndRun(url.strip(), run.strip(), Path.of(args[1])));
    }
    System.err.println(
        "usage: parasol-worker describe PLUGIN.jar WORK_DIR REPORT.json | run SPEC.json"
            + " | fetch SERVER_URL RUN_ID RUN_DIR | fetch RUN_DIR | check-sandbox");
    System.exit(EXIT_USAGE);
  }

  // ---------------------------------------------------------------- describe

  /** Describes a plugin and prints the report as JSON, for an ISV trying a jar by hand. */
  private static int describeToStdout(Path jar, Path workDir, List<Path> dependencies) {
    PrintStream stdout = System.out;
    try {
      Files.createDirectories(workDir);
      Path report = Files.createTempFile(workDir, "report-", ".json");
      int code = describe(jar, workDir, report, dependencies);
      stdout.println(
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(report.toFile())));
      return code;
    } catch (IOException e) {
      stdout.println("parasol-worker: " + e.getMessage());
      return EXIT_UNREPORTED;
    }
  }

  static int describe(Path jar, Path workDir, Path reportFile, List<Path> dependencies) {
    List<Check> checks = new ArrayList<>();
    try {
      Files.createDirectories(workDir);
      boolean unconfined = Boolean.getBoolean("parasol.worker.unconfined");
      Optional<String> noSandbox = unconfined ? Optional.empty() : Sandbox.unavailable();
      if (noSandbox.isPresent()) {
        checks.add(
            new Check(
                "sandbox", false, "the worker cannot confine plugin code: " + noSandbox.get(), 0));
        write(reportFile, new VerificationReport(false, checks, null));
        return EXIT_NO_SANDBOX;
      }
      if (unconfined) {
        System.out.println(UNCONFINED_WARNING);
      }
      // the manifest and Plugin-Requires are read here, by Parasol's code, before any plugin code
      long t0 = System.nanoTime();
      try {
        PluginHost.checkManifest(jar);
      } catch (PluginHost.LoadException e) {
        checks.add(new Check(e.check(), false, e.getMessage(), ms(t0)));
        write(reportFile, new VerificationReport(false, checks, null));
        return EXIT_OK;
      }
      Path selfTest = workDir.resolve("self-test");
      Path outputs = selfTest.resolve("outputs");
      Files.createDirectories(outputs);
      Sandbox.Layout layout =
          new Sandbox.Layout(
              jar.toAbsolutePath(),
              dependencies.stream().map(Path::toAbsolutePath).toList(),
              null,
              selfTest.toAbsolutePath(),
              workerJar(),
              pluginJavaHome(),
              workDir.resolve("sandbox").toAbsolutePath(),
              ClassData.forPlugin().orElse(null));
      long memoryMb = Long.getLong("parasol.worker.plugin-memory-mb", 256);
      long maxOutputBytes = Long.getLong("parasol.worker.max-output-bytes", 1L << 30);
      PluginProcess.Limits limits =
          new PluginProcess.Limits(
              memoryMb,
              1,
              Long.getLong("parasol.worker.max-file-bytes", 64L * 1024 * 1024),
              CONSOLE_CAP,
              Long.getLong("parasol.worker.max-work-bytes", Math.min(maxOutputBytes * 2, 1L << 30)),
              Long.getLong("parasol.worker.max-work-files", 10_000));
      AppDescriptor[] descriptor = new AppDescriptor[1];
      Set<String> expected = new java.util.LinkedHashSet<>(PLUGIN_CHECKS);
      Object lock = new Object();
      AtomicBoolean done = new AtomicBoolean();
      Consumer<PluginMessage> onMessage =
          message -> {
            synchronized (lock) {
              if (done.get()) {
                return; // the report is written
              }
              if (message instanceof PluginMessage.Described d && descriptor[0] == null) {
                descriptor[0] = d.descriptor();
              } else if (message instanceof PluginMessage.Checked c
                  && c.check() != null
                  && expected.remove(c.check().name())) {
                checks.add(clip(c.check()));
                try {
                  write(reportFile, new VerificationReport(false, checks, descriptor[0]));
                } catch (IOException e) {
                  // written again at the end
                }
              }
            }
          };
      long t2 = System.nanoTime();
      PluginMessage.Finished finished;
      PluginProcess plugin;
      try {
        plugin =
            PluginProcess.start(
                layout,
                limits,
                "verify-" + ProcessHandle.current().pid(),
                onMessage,
                warning -> System.out.println("parasol-worker: " + warning),
                unconfined,
                System.out);
      } catch (IOException e) {
        checks.add(
            new Check("sandbox", false, "the sandbox could not be started: " + e.getMessage(), 0));
        write(reportFile, new VerificationReport(false, checks, null));
        return EXIT_NO_SANDBOX;
      }
      try (plugin) {
        plugin.send(
            new PluginMessage.Describe(
                unconfined ? layout.pluginJar().toString() : layout.pluginInside(),
                unconfined
                    ? layout.dependencies().stream().map(Path::toString).toList()
                    : layout.dependenciesInside(),
                unconfined ? selfTest.toAbsolutePath().toString() : Sandbox.WORK,
                1024 * 1024));
        finished = plugin.awaitFinished(Duration.ofDays(1));
        ClassData.keepTrained(selfTest);
        synchronized (lock) {
          done.set(true);
          String mismatch = descriptor[0] == null ? null : mismatch(jar, descriptor[0]);
          boolean anyFailed = checks.stream().anyMatch(c -> !c.passed());
          if (mismatch != null && !anyFailed) {
            checks.add(new Check("descriptor", false, mismatch, 0));
          } else if (!anyFailed && expected.contains("sample-inputs")) {
            // the plugin process ended before its checks were done
            checks.add(
                new Check(
                    "descriptor",
                    false,
                    ended(plugin, finished, memoryMb, "the descriptor could not be read"),
                    ms(t2)));
          } else if (!anyFailed) {
            checks.add(selfTestCheck(plugin, finished, outputs, memoryMb, t2));
          }
          boolean passed = checks.stream().allMatch(Check::passed) && descriptor[0] != null;
          write(reportFile, new VerificationReport(passed, checks, descriptor[0]));
        }
      }
      return EXIT_OK;
    } catch (IOException e) {
      System.err.println("parasol-worker: " + e);
      return EXIT_UNREPORTED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return EXIT_UNREPORTED;
    }
  }

  /** The checks the plugin process reports, each at most once, in this order. */
  private static final List<String> PLUGIN_CHECKS =
      List.of("dependencies", "load", "extension", "compatibility", "descriptor", "sample-inputs");

  private static Check clip(Check check) {
    String message = check.message() == null ? "" : check.message();
    return new Check(
        check.name(),
        check.passed(),
        message.length() <= 4000 ? message : message.substring(0, 4000) + "\u2026",
        Math.max(0, check.durationMs()));
  }

  private static Check selfTestCheck(
      PluginProcess plugin, PluginMessage.Finished finished, Path outputs, long memoryMb, long t2)
      throws IOException {
    if (finished == null || finished.outcome() != PluginMessage.Outcome.COMPLETED) {
      if (finished != null && finished.outcome() == PluginMessage.Outcome.FAILED) {
        return new Check("self-test", false, clipText(finished.reason()), ms(t2));
      }
      return new Check(
          "self-test",
          false,
          ended(plugin, finished, memoryMb, "the solver did not finish on the sample inputs")
              .replace(
                  "the solver needed more than its " + memoryMb + " MiB limit",
                  "the solver ran out of memory on the sample inputs"),
          ms(t2));
    }
    if (plugin.outOfMemory() || plugin.tooManyTasks()) {
      return new Check(
          "self-test",
          false,
          plugin.tooManyTasks()
              ? "the solver started more processes and threads than its limit allows"
              : "a process of the self-test ran out of memory and was killed",
          ms(t2));
    }
    List<Path> files = outputFiles(outputs);
    Optional<String> problem =
        outputProblem(
            outputs,
            files,
            Long.getLong("parasol.worker.max-output-files", 1000),
            Long.getLong("parasol.worker.max-output-bytes", 1L << 30));
    if (files.isEmpty()) {
      return new Check("self-test", false, "the solver finished but wrote no output file", ms(t2));
    }
    if (problem.isPresent()) {
      return new Check("self-test", false, problem.get(), ms(t2));
    }
    return new Check(
        "self-test",
        true,
        "finished on the sample inputs with " + files.size() + " output file(s)",
        ms(t2));
  }

  /**
   * Why a plugin process ended without finishing normally, in words: the supervisor's own reasons
   * (console flood, disk quota, protocol) first, then the kernel's (memory, process limit), then
   * the exit code.
   */
  private static String ended(
      PluginProcess plugin, PluginMessage.Finished finished, long memoryMb, String otherwise) {
    if (plugin.stopped() != null) {
      return plugin.stopReason();
    }
    if (plugin.tooManyTasks()) {
      return "the solver started more processes and threads than its limit allows; it was stopped";
    }
    if (finished != null) {
      return switch (finished.outcome()) {
        case OUT_OF_MEMORY -> outOfMemory(memoryMb);
        case CANCELLED -> "cancelled";
        case FAILED -> clipText(finished.reason());
        case COMPLETED -> otherwise;
      };
    }
    int code = plugin.exitCode();
    if (plugin.tooManyTasks()) {
      return "the solver started more processes and threads than its limit allows; it was stopped";
    }
    if (plugin.outOfMemory()
        || (code == EXIT_OUT_OF_MEMORY || plugin.inContainer()) && plugin.saidOutOfMemory()) {
      return outOfMemory(memoryMb);
    }
    if (plugin.inContainer()) {
      // its exit is the platform's to see: a container killed at its memory limit says nothing
      return otherwise
          + ": the plugin container ended without an answer (at its memory limit of "
          + memoryMb
          + " MiB, the platform kills it without a word)";
    }
    return otherwise + ": the plugin process exited with code " + code;
  }

  private static String outOfMemory(long memoryMb) {
    return "out of memory: the solver needed more than its " + memoryMb + " MiB limit";
  }

  private static String clipText(String text) {
    if (text == null) {
      return "the solver failed";
    }
    return text.length() <= 4000 ? text : text.substring(0, 4000) + "\u2026";
  }

  /** The id and version the manifest gives, against those the app declares. */
  private static String mismatch(Path jar, AppDescriptor descriptor) {
    org.pf4j.PluginDescriptor manifest;
    try {
      manifest = PluginHost.checkManifest(jar);
    } catch (PluginHost.LoadException e) {
      return e.getMessage();
    }
    if (descriptor.manifest() == null
        || !manifest.getPluginId().equals(descriptor.manifest().id())) {
      return "the app id '"
          + (descriptor.manifest() == null ? null : descriptor.manifest().id())
          + "' differs from Plugin-Id '"
          + manifest.getPluginId()
          + "'";
    }
    if (!manifest.getVersion().equals(descriptor.manifest().version())) {
      return "the app version '"
          + descriptor.manifest().version()
          + "' differs from Plugin-Version '"
          + manifest.getVersion()
          + "'";
    }
    if (!manifest.getPluginId().equals(descriptor.pluginId())
        || !manifest.getVersion().equals(descriptor.pluginVersion())) {
      return "the descriptor does not match the jar's manifest";
    }
    return null;
  }

  // ---------------------------------------------------------------- run

  static int fetchAndRun(String serverUrl, String runId, Path runDir) {
    String token = System.getenv("PARASOL_RUN_TOKEN");
    if (token == null || token.isBlank()) {
      System.err.println("parasol-worker: PARASOL_RUN_TOKEN is not set");
      return EXIT_USAGE;
    }
    Path spec;
    try {
      spec = new RemoteRun(JSON, serverUrl, runId, token.strip()).fetch(runDir);
    } catch (IOException e) {
      System.err.println("parasol-worker: could not fetch run " + runId + ": " + e.getMessage());
      return EXIT_UNREPORTED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return EXIT_UNREPORTED;
    }
    return run(spec);
  }

  static int run(Path specFile) {
    RunSpec spec;
    try {
      spec = JSON.readValue(specFile.toFile(), RunSpec.class);
    } catch (IOException e) {
      System.err.println(
          "parasol-worker: cannot read run spec " + specFile + ": " + e.getMessage());
      return EXIT_USAGE;
    }
    Path runDir = specFile.toAbsolutePath().getParent();
    Path workDir = runDir.resolve("work");
    Path outputs = workDir.resolve("outputs");
    Path inputsDir = runDir.resolve("inputs");
    AtomicBoolean cancelled = new AtomicBoolean();
    EventReporter reporter =
        new EventReporter(JSON, spec.serverUrl(), spec.runId(), spec.token(), cancelled);
    try {
      Files.createDirectories(outputs);
      Files.createDirectories(workDir.resolve("tmp"));
      boolean unconfined = Boolean.getBoolean("parasol.worker.unconfined");
      // in a Kubernetes pod the plugin runs in a container of its own, which the platform confines
      Optional<Path> container =
          Optional.ofNullable(System.getProperty("parasol.worker.plugin-container")).map(Path::of);
      if (container.isPresent()) {
        unconfined = false;
      }
      if (unconfined && !loopback(spec.serverUrl())) {
        reporter.finish(
            RunEvent.of(
                RunEvent.Type.FAILED,
                "the worker runs plugin code unconfined only for a server on this machine's"
                    + " loopback (a development setting)"));
        return EXIT_NO_SANDBOX;
      }
      if (!unconfined && container.isEmpty() && Sandbox.bwrap().isEmpty()) {
        reporter.finish(
            RunEvent.of(
                RunEvent.Type.FAILED,
                "the worker cannot confine plugin code: "
                    + Sandbox.unavailable().orElse("no sandbox")));
        return EXIT_NO_SANDBOX;
      }
      if (unconfined) {
        System.out.println(UNCONFINED_WARNING);
        reporter.offer(RunEvent.log("WARN", UNCONFINED_WARNING));
      }
      List<Path> dependencies = spec.dependencies().stream().map(Path::of).toList();
      Sandbox.Layout layout =
          new Sandbox.Layout(
              Path.of(spec.pluginJar()).toAbsolutePath(),
              dependencies.stream().map(Path::toAbsolutePath).toList(),
              inputsDir,
              workDir,
              workerJar(),
              pluginJavaHome(),
              runDir.resolve("sandbox"),
              ClassData.forPlugin().orElse(null));
      Map<String, String> files = new HashMap<>();
      for (Map.Entry<String, String> file : spec.files().entrySet()) {
        Path inside =
            Path.of(unconfined ? inputsDir.toString() : Sandbox.INPUTS)
                .resolve(file.getValue())
                .normalize();
        if (!inside.startsWith(unconfined ? inputsDir.toString() : Sandbox.INPUTS)) {
          reporter.finish(
              RunEvent.of(
                  RunEvent.Type.FAILED, "an input file has a name the worker does not take"));
          return EXIT_OK;
        }
        files.put(file.getKey(), inside.toString());
      }
      Allocation allocation = spec.allocation();
      PluginProcess.Limits limits =
          new PluginProcess.Limits(
              Math.max(32, allocation.memoryMb()),
              Math.max(1, allocation.cores()),
              Long.getLong(
                  "parasol.worker.max-file-bytes",
                  Math.max(spec.limits().maxOutputBytes(), CONSOLE_CAP) + 1_048_576),
              CONSOLE_CAP,
              Long.getLong(
                  "parasol.worker.max-work-bytes",
                  Math.max(2 * spec.limits().maxOutputBytes(), 1L << 30)),
              Long.getLong(
                  "parasol.worker.max-work-files",
                  Math.max(100_000, 10L * spec.limits().maxOutputFiles())));
      AtomicLong heapHeld = new AtomicLong(-1);
      AtomicLong heapCapacity = new AtomicLong(allocation.memoryMb() * 1024 * 1024);
      Monitor[] monitor = new Monitor[1];
      AtomicBoolean started = new AtomicBoolean();
      AtomicLong logBytes = new AtomicLong();
      AtomicBoolean logCut = new AtomicBoolean();
      long maxLogBytes = spec.limits().maxLogBytes();
      Object monitorLock = new Object();
      Consumer<PluginMessage> onMessage =
          message -> {
            if (message instanceof PluginMessage.Heap h) {
              heapHeld.set(Math.max(0, h.held()));
              if (h.capacity() > 0) {
                heapCapacity.set(h.capacity());
              }
            } else if (message instanceof PluginMessage.ProblemSize p) {
              synchronized (monitorLock) {
                if (monitor[0] != null && Double.isFinite(p.size())) {
                  monitor[0].problemSize(p.size());
                }
              }
            } else if (message instanceof PluginMessage.Event e && e.event() != null) {
              forward(
                  e.event(),
                  reporter,
                  monitor,
                  monitorLock,
                  started,
                  logBytes,
                  logCut,
                  maxLogBytes);
            }
          };
      RunEvent outcome;
      PluginProcess plugin;
      try {
        plugin =
            container.isPresent()
                ? PluginProcess.startInContainer(
                    container.get(),
                    Path.of(
                        System.getProperty(
                            "parasol.worker.plugin-code",
                            container.get().resolveSibling("code").toString())),
                    layout,
                    limits,
                    onMessage,
                    System.out,
                    Duration.ofSeconds(
                        Long.getLong("parasol.worker.plugin-container-timeout-seconds", 300)))
                : PluginProcess.start(
                    layout,
                    limits,
                    spec.runId(),
                    onMessage,
                    warning -> {
                      System.out.println("parasol-worker: " + warning);
                      reporter.offer(RunEvent.log("WARN", "resource limits: " + warning));
                    },
                    unconfined,
                    System.out);
      } catch (IOException e) {
        reporter.finish(
            RunEvent.of(
                RunEvent.Type.FAILED, "the sandbox could not be started: " + e.getMessage()));
        return EXIT_NO_SANDBOX;
      }
      try (plugin) {
        synchronized (monitorLock) {
          monitor[0] = monitor(spec, reporter, plugin::handle, heapHeld::get, heapCapacity::get);
        }
        plugin.send(
            new PluginMessage.Run(
                unconfined ? layout.pluginJar().toString() : layout.pluginInside(),
                unconfined
                    ? layout.dependencies().stream().map(Path::toString).toList()
                    : layout.dependenciesInside(),
                spec.appId(),
                spec.inputs(),
                files,
                unconfined ? workDir.toString() : Sandbox.WORK,
                unconfined ? outputs.toString() : Sandbox.WORK + "/outputs",
                allocation,
                maxLogBytes));
        Thread canceller =
            new Thread(
                () -> {
                  try {
                    while (!cancelled.get()) {
                      Thread.sleep(100);
                    }
                    plugin.cancel();
                  } catch (InterruptedException e) {
                    // the run ended
                  }
                },
                "parasol-cancel-forwarder");
        canceller.setDaemon(true);
        canceller.start();
        PluginMessage.Finished finished;
        try (Monitor m = monitor[0]) {
          m.start();
          finished = plugin.awaitFinished(Duration.ofDays(30));
        }
        canceller.interrupt();
        if (finished != null
            && finished.outcome() == PluginMessage.Outcome.COMPLETED
            && plugin.stopped() == null
            && (plugin.outOfMemory() || plugin.tooManyTasks())) {
          // the solver returned, but a process of its run was killed for memory or could not
          // be started: its outputs cannot be trusted to be whole
          outcome =
              RunEvent.of(
                  RunEvent.Type.FAILED,
                  plugin.tooManyTasks()
                      ? "the solver started more processes and threads than its limit allows"
                      : "out of memory: a process of the run needed more than its "
                          + allocation.memoryMb()
                          + " MiB limit and was killed");
        } else if (finished != null
            && finished.outcome() == PluginMessage.Outcome.COMPLETED
            && plugin.stopped() == null) {
          outcome =
              cancelled.get()
                  ? RunEvent.of(RunEvent.Type.CANCELLED, "cancelled")
                  : uploadOutputs(reporter, outputs, spec.limits());
        } else if (finished != null && finished.outcome() == PluginMessage.Outcome.CANCELLED
            || plugin.stopped() == null && cancelled.get()) {
          outcome = RunEvent.of(RunEvent.Type.CANCELLED, "cancelled");
        } else {
          outcome =
              RunEvent.of(
                  RunEvent.Type.FAILED,
                  ended(plugin, finished, allocation.memoryMb(), "the solver did not finish"));
        }
      }
      if (!Boolean.getBoolean("parasol.worker.keep-work")) {
        deleteTree(workDir);
      }
      reporter.finish(outcome);
      return EXIT_OK;
    } catch (IOException | InterruptedException e) {
      System.err.println("parasol-worker: could not report to the server: " + e.getMessage());
      return EXIT_UNREPORTED;
    } finally {
      reporter.close();
    }
  }

  static final String UNCONFINED_WARNING =
      "WARNING: plugin code runs UNCONFINED (parasol.compute.unconfined, a development setting):"
          + " it can read and write whatever this user can";

  /**
   * Passes on what the plugin process reports: log lines (up to the run's log cap, which the
   * supervisor keeps, not plugin code), progress and metrics; {@code STARTED} once.
   */
  private static void forward(
      RunEvent event,
      EventReporter reporter,
      Monitor[] monitor,
      Object monitorLock,
      AtomicBoolean started,
      AtomicLong logBytes,
      AtomicBoolean logCut,
      long maxLogBytes) {
    switch (event.type() == null ? RunEvent.Type.FAILED : event.type()) {
      case STARTED -> {
        if (started.compareAndSet(false, true)) {
          reporter.offer(RunEvent.of(RunEvent.Type.STARTED, "solver started"));
        }
      }
      case LOG -> {
        String line = event.message() == null ? "" : event.message();
        if (line.length() > 4000) {
          line = line.substring(0, 4000) + "\u2026";
        }
        if (logBytes.addAndGet(line.length() + 1) > maxLogBytes) {
          if (logCut.compareAndSet(false, true)) {
            reporter.offer(
                RunEvent.log(
                    "WARN", "log truncated: the run wrote more than " + maxLogBytes + " bytes"));
          }
          return;
        }
        String level = event.level();
        if (level == null || !java.util.Set.of("DEBUG", "INFO", "WARN", "ERROR").contains(level)) {
          level = "INFO";
        }
        reporter.offer(RunEvent.log(level, line));
      }
      case PROGRESS -> {
        if (event.progress() != null && Double.isFinite(event.progress())) {
          double fraction = Math.max(0, Math.min(1, event.progress()));
          synchronized (monitorLock) {
            if (monitor[0] != null) {
              monitor[0].progress(fraction);
            }
          }
          String message = event.message() == null ? "" : event.message();
          reporter.offer(
              RunEvent.progress(
                  fraction,
                  message.length() <= 4000 ? message : message.substring(0, 4000) + "\u2026"));
        }
      }
      case METRIC -> {
        if (event.metric() != null
            && !event.metric().isBlank()
            && event.metric().length() <= 100
            && event.value() != null
            && Double.isFinite(event.value())) {
          synchronized (monitorLock) {
            if (monitor[0] != null) {
              monitor[0].solverMetric(event.metric(), event.value());
            }
          }
        }
      }
      default -> {
        // the outcome is the supervisor's to say
      }
    }
  }

  private static boolean loopback(String url) {
    try {
      String host = java.net.URI.create(url).getHost();
      return host != null && java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (IllegalArgumentException | IOException e) {
      return false;
    }
  }

  /** The worker's own jar: the plugin process's classes. */
  static Path workerJar() throws IOException {
    try {
      return Path.of(WorkerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException | RuntimeException e) {
      throw new IOException("cannot find the worker jar: " + e.getMessage());
    }
  }

  /**
   * The JDK that runs the plugin process: this one, unless {@code parasol.worker.plugin-java} says.
   */
  static Path pluginJavaHome() {
    String configured = System.getProperty("parasol.worker.plugin-java-home");
    return Path.of(configured != null ? configured : System.getProperty("java.home"));
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // left for the server's clean-up
                }
              });
    } catch (IOException | java.io.UncheckedIOException e) {
      // left for the server's clean-up
    }
  }

  /**
   * Why the platform would not take these outputs, if it would not: more files or bytes than the
   * limits allow, or a name that is not a relative path of plain names (what the server stores).
   * The self-test checks the same, so an app that passes verification does not fail every run.
   */
  static java.util.Optional<String> outputProblem(
      Path outputs, List<Path> files, long maxFiles, long maxBytes) throws IOException {
    if (files.size() > maxFiles) {
      return java.util.Optional.of(
          "the solver wrote " + files.size() + " output files; the limit is " + maxFiles);
    }
    long total = 0;
    for (Path file : files) {
      total += Files.size(file);
      String name = outputs.relativize(file).toString().replace('\\', '/');
      if (!OUTPUT_PATH.matcher(name).matches() || name.contains("..") || name.length() > 255) {
        return java.util.Optional.of(
            "the output '"
                + (name.length() > 100 ? name.substring(0, 100) + "\u2026" : name)
                + "' has a name the platform does not take: each part of its path must be letters,"
                + " digits, '.', '_' and '-', starting with a letter or digit");
      }
    }
    if (total > maxBytes) {
      return java.util.Optional.of(
          "the outputs total " + total + " bytes; the limit is " + maxBytes);
    }
    return java.util.Optional.empty();
  }

  private static final java.util.regex.Pattern OUTPUT_PATH =
      java.util.regex.Pattern.compile(
          "[A-Za-z0-9][A-Za-z0-9._-]{0,254}(/[A-Za-z0-9][A-Za-z0-9._-]{0,254})*");

  private static RunEvent uploadOutputs(EventReporter reporter, Path outputs, RunSpec.Limits limits)
      throws IOException, InterruptedException {
    List<Path> files = outputFiles(outputs);
    java.util.Optional<String> problem =
        outputProblem(outputs, files, limits.maxOutputFiles(), limits.maxOutputBytes());
    if (problem.isPresent()) {
      return RunEvent.of(RunEvent.Type.FAILED, problem.get());
    }
    for (Path file : files) {
      reporter.upload(outputs.relativize(file).toString().replace('\\', '/'), file);
    }
    return RunEvent.of(
        RunEvent.Type.SUCCEEDED, "finished with " + files.size() + " output file(s)");
  }

  /** The run's monitor: the sandbox's process tree, the GPU and FPGA samplers that apply. */
  private static Monitor monitor(
      RunSpec spec,
      EventReporter reporter,
      java.util.function.Supplier<Optional<ProcessHandle>> root,
      java.util.function.LongSupplier heapHeld,
      java.util.function.LongSupplier heapCapacity) {
    RunSpec.Monitoring settings = spec.sampling();
    List<DeviceSampler> samplers = new ArrayList<>();
    samplers.add(
        new NvidiaSmiSampler(
            settings.nvidiaSmi() == null ? "nvidia-smi" : settings.nvidiaSmi(),
            System.getenv("CUDA_VISIBLE_DEVICES")));
    if (settings.fpgaCommand() != null && !settings.fpgaCommand().isEmpty()) {
      samplers.add(
          new CommandSampler(
              "FPGA",
              settings.fpgaCommand(),
              Set.of(MetricFrame.FPGA_UTILISATION, MetricFrame.FPGA_UTILISATION_MIN)));
    }
    ServiceLoader.load(DeviceSampler.class, WorkerMain.class.getClassLoader())
        .forEach(samplers::add);
    Allocation allocation = spec.allocation();
    String kind =
        allocation.accelerators().isEmpty() ? null : allocation.accelerators().get(0).kind().name();
    long millis = Math.round(Math.max(1, settings.intervalSeconds()) * 1000);
    reporter.reportEvery(
        Duration.ofMillis(Math.round(Math.max(0, settings.reportSeconds()) * 1000)));
    return Monitor.forProcessTree(
        root,
        PluginProcess::isPluginJvm,
        allocation.cores(),
        heapHeld,
        heapCapacity,
        kind,
        samplers,
        Duration.ofMillis(millis),
        reporter::offerFrame);
  }

  // ---------------------------------------------------------------- helpers

  static List<Path> outputFiles(Path outputs) throws IOException {
    try (var stream = Files.walk(outputs)) {
      return stream
          .filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .sorted()
          .toList();
    }
  }

  static String floodMessage() {
    return "the solver wrote more than "
        + CONSOLE_CAP
        + " bytes to standard output and error; it was stopped";
  }

  static String describeFailure(Throwable e) {
    return "the solver failed: " + PluginHost.rootMessage(e);
  }

  private static void write(Path file, VerificationReport report) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    JSON.writeValue(tmp.toFile(), report);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static long ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
