package io.parasol.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parasol.plugin.api.Allocation;
import io.parasol.plugin.api.FormValidation;
import io.parasol.plugin.api.PluginApi;
import io.parasol.plugin.api.RunCancelledException;
import io.parasol.plugin.api.RunInputs;
import io.parasol.plugin.api.SimulationApp;
import io.parasol.protocol.AppDescriptor;
import io.parasol.protocol.Json;
import io.parasol.protocol.MetricFrame;
import io.parasol.protocol.RunEvent;
import io.parasol.protocol.RunSpec;
import io.parasol.protocol.VerificationReport;
import io.parasol.protocol.VerificationReport.Check;
import io.parasol.worker.monitor.CommandSampler;
import io.parasol.worker.monitor.DeviceSampler;
import io.parasol.worker.monitor.Monitor;
import io.parasol.worker.monitor.NvidiaSmiSampler;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
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
 * </pre>
 *
 * <p>{@code describe} verifies an uploaded plugin: it loads it, checks Plugin-Requires, extracts
 * the descriptor and runs the self-test on the sample inputs, writing the report after each stage.
 * {@code run} executes one run in {@code RUN_DIR/work} and reports to the server. {@code fetch} is
 * {@code run} on a Kubernetes or Slurm cluster: it first fetches the spec, the plugin jar and the
 * input files from the server into {@code RUN_DIR}.
 */
public final class WorkerMain {

  /** Exit codes the server maps to reasons. */
  static final int EXIT_OK = 0;

  static final int EXIT_USAGE = 2;
  static final int EXIT_FLOOD = 4;
  static final int EXIT_UNREPORTED = 5;
  static final int EXIT_NO_SANDBOX = 6;

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
    } else if (args.length == 4 && "fetch".equals(args[0])) {
      System.exit(fetchAndRun(args[1], args[2], Path.of(args[3])));
    }
    System.err.println(
        "usage: parasol-worker describe PLUGIN.jar WORK_DIR REPORT.json | run SPEC.json"
            + " | fetch SERVER_URL RUN_ID RUN_DIR");
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
    AtomicBoolean flooded = new AtomicBoolean();
    try {
      Files.createDirectories(workDir);
      if (!Sandbox.supported()) {
        checks.add(
            new Check(
                "sandbox", false, "this worker needs Java 17 to 23 to sandbox plugin code", 0));
        write(reportFile, new VerificationReport(false, checks, null));
        return EXIT_NO_SANDBOX;
      }
      capConsole(flooded, () -> Runtime.getRuntime().halt(EXIT_FLOOD));
      Sandbox.install(jar, workDir, dependencies);

      long t0 = System.nanoTime();
      PluginHost.Loaded loaded;
      try {
        loaded = PluginHost.load(jar, null, dependencies);
      } catch (PluginHost.LoadException e) {
        checks.add(new Check(e.check(), false, e.getMessage(), ms(t0)));
        write(reportFile, new VerificationReport(false, checks, null));
        return EXIT_OK;
      }
      checks.add(
          new Check(
              "compatibility",
              true,
              "Plugin-Requires '"
                  + loaded.descriptor().getRequires()
                  + "' accepts plugin API "
                  + PluginApi.version(),
              ms(t0)));

      long t1 = System.nanoTime();
      AppDescriptor descriptor;
      try {
        descriptor = extract(loaded);
      } catch (RuntimeException | LinkageError e) {
        checks.add(new Check("descriptor", false, describeFailure(e), ms(t1)));
        write(reportFile, new VerificationReport(false, checks, null));
        return EXIT_OK;
      }
      String mismatch = mismatch(loaded, descriptor);
      if (mismatch != null) {
        checks.add(new Check("descriptor", false, mismatch, ms(t1)));
        write(reportFile, new VerificationReport(false, checks, descriptor));
        return EXIT_OK;
      }
      checks.add(
          new Check(
              "descriptor",
              true,
              "app " + descriptor.manifest().id() + " " + descriptor.manifest().version(),
              ms(t1)));

      FormValidation sample = descriptor.form().validate(descriptor.sampleInputs());
      if (!sample.isValid()) {
        checks.add(
            new Check(
                "sample-inputs",
                false,
                "the sample inputs do not fit the form: " + sample.errors(),
                0));
        write(reportFile, new VerificationReport(false, checks, descriptor));
        return EXIT_OK;
      }
      checks.add(new Check("sample-inputs", true, "valid for the form", 0));
      // Written before the self-test so that a server that has to kill a hung self-test still has
      // the descriptor and the checks so far.
      write(reportFile, new VerificationReport(false, checks, descriptor));

      long t2 = System.nanoTime();
      Path selfTest = workDir.resolve("self-test");
      Path outputs = selfTest.resolve("outputs");
      Files.createDirectories(outputs);
      Allocation allocation =
          new Allocation(
              descriptor.resources().minCores(),
              descriptor.resources().minCores() * descriptor.resources().memoryPerCoreMb(),
              descriptor.resources().accelerators(),
              descriptor.resources().expectedWallTime());
      List<RunEvent> events = new ArrayList<>();
      WorkerRunContext context =
          new WorkerRunContext(
              new RunInputs(sample.values(), Map.of()),
              selfTest,
              outputs,
              allocation,
              synchronizedSink(events),
              new AtomicBoolean(),
              1024 * 1024,
              null);
      Check selfTestCheck;
      try {
        loaded.app().solver().run(context);
        if (flooded.get()) {
          selfTestCheck = new Check("self-test", false, floodMessage(), ms(t2));
        } else {
          List<Path> files = outputFiles(outputs);
          java.util.Optional<String> problem =
              outputProblem(
                  outputs,
                  files,
                  Long.getLong("parasol.worker.max-output-files", 1000),
                  Long.getLong("parasol.worker.max-output-bytes", 1L << 30));
          selfTestCheck =
              files.isEmpty()
                  ? new Check(
                      "self-test", false, "the solver finished but wrote no output file", ms(t2))
                  : problem.isPresent()
                      ? new Check("self-test", false, problem.get(), ms(t2))
                      : new Check(
                          "self-test",
                          true,
                          "finished on the sample inputs with " + files.size() + " output file(s)",
                          ms(t2));
        }
      } catch (OutOfMemoryError e) {
        selfTestCheck =
            new Check(
                "self-test", false, "the solver ran out of memory on the sample inputs", ms(t2));
      } catch (Exception | LinkageError e) {
        selfTestCheck = new Check("self-test", false, describeFailure(e), ms(t2));
      }
      checks.add(selfTestCheck);
      boolean passed = checks.stream().allMatch(Check::passed);
      write(reportFile, new VerificationReport(passed, checks, descriptor));
      return EXIT_OK;
    } catch (IOException e) {
      System.err.println("parasol-worker: " + e);
      return EXIT_UNREPORTED;
    }
  }

  private static AppDescriptor extract(PluginHost.Loaded loaded) {
    SimulationApp app = loaded.app();
    return new AppDescriptor(
        loaded.descriptor().getPluginId(),
        loaded.descriptor().getVersion(),
        loaded.descriptor().getRequires(),
        PluginApi.version(),
        app.manifest(),
        app.form(),
        app.resources(),
        new HashMap<>(app.sampleInputs()),
        app.resubmittable());
  }

  private static String mismatch(PluginHost.Loaded loaded, AppDescriptor descriptor) {
    if (!descriptor.manifest().id().equals(loaded.descriptor().getPluginId())) {
      return "the app id '"
          + descriptor.manifest().id()
          + "' differs from Plugin-Id '"
          + loaded.descriptor().getPluginId()
          + "'";
    }
    if (!descriptor.manifest().version().equals(loaded.descriptor().getVersion())) {
      return "the app version '"
          + descriptor.manifest().version()
          + "' differs from Plugin-Version '"
          + loaded.descriptor().getVersion()
          + "'";
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
      if (!Sandbox.supported()) {
        reporter.finish(
            RunEvent.of(
                RunEvent.Type.FAILED, "the worker needs Java 17 to 23 to sandbox plugin code"));
        return EXIT_NO_SANDBOX;
      }
      capConsole(
          new AtomicBoolean(),
          () -> {
            try {
              reporter.finish(RunEvent.of(RunEvent.Type.FAILED, floodMessage()));
            } catch (IOException | InterruptedException e) {
              // the exit code tells the server the same
            }
            Runtime.getRuntime().halt(EXIT_FLOOD);
          });
      List<Path> dependencies = spec.dependencies().stream().map(Path::of).toList();
      List<Path> readable = new ArrayList<>(dependencies);
      readable.add(inputsDir);
      Sandbox.install(Path.of(spec.pluginJar()), workDir, readable);

      PluginHost.Loaded loaded;
      try {
        loaded = PluginHost.load(Path.of(spec.pluginJar()), spec.appId(), dependencies);
      } catch (PluginHost.LoadException e) {
        reporter.finish(
            RunEvent.of(RunEvent.Type.FAILED, "the plugin could not be loaded: " + e.getMessage()));
        return EXIT_OK;
      }
      FormValidation validation = loaded.app().form().validate(spec.inputs());
      if (!validation.isValid()) {
        reporter.finish(
            RunEvent.of(
                RunEvent.Type.FAILED, "inputs do not fit the form: " + validation.errors()));
        return EXIT_OK;
      }
      Map<String, Path> files = new HashMap<>();
      spec.files().forEach((field, name) -> files.put(field, inputsDir.resolve(name)));
      Consumer<RunEvent> sink = reporter::offer;
      RunInputs inputs = new RunInputs(validation.values(), files);
      Monitor monitor = monitor(spec, reporter);
      WorkerRunContext context =
          new WorkerRunContext(
              inputs,
              workDir,
              outputs,
              spec.allocation(),
              sink,
              cancelled,
              spec.limits().maxLogBytes(),
              monitor);
      try {
        monitor.problemSize(loaded.app().problemSize(inputs));
      } catch (RuntimeException | LinkageError e) {
        reporter.offer(
            RunEvent.log("WARN", "the app's problemSize failed: " + PluginHost.rootMessage(e)));
      }
      reporter.offer(RunEvent.of(RunEvent.Type.STARTED, "solver started"));
      monitor.start();
      RunEvent outcome;
      try (monitor) {
        loaded.app().solver().run(context);
        outcome = cancelled.get() ? RunEvent.of(RunEvent.Type.CANCELLED, "cancelled") : null;
      } catch (RunCancelledException e) {
        outcome = RunEvent.of(RunEvent.Type.CANCELLED, "cancelled");
      } catch (OutOfMemoryError e) {
        outcome =
            RunEvent.of(
                RunEvent.Type.FAILED,
                "out of memory: the solver needed more than its "
                    + spec.allocation().memoryMb()
                    + " MiB limit");
      } catch (Exception | LinkageError e) {
        outcome = RunEvent.of(RunEvent.Type.FAILED, describeFailure(e));
      }
      if (outcome == null) {
        outcome = uploadOutputs(reporter, outputs, spec.limits());
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

  /** The run's monitor: the process tree, the GPU and FPGA samplers that apply, every interval. */
  private static Monitor monitor(RunSpec spec, EventReporter reporter) {
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
    return Monitor.forThisProcess(
        allocation.cores(),
        allocation.memoryMb(),
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

  /**
   * Caps what plugin code may print. The reaction to a flood runs on a thread the worker starts
   * now, before any plugin code: a thread started from the plugin's printing call would inherit the
   * plugin's (sandboxed) permissions.
   */
  private static void capConsole(AtomicBoolean flooded, Runnable onOverflow) {
    AtomicLong written = new AtomicLong();
    java.util.concurrent.CountDownLatch overflowed = new java.util.concurrent.CountDownLatch(1);
    Thread watchdog =
        new Thread(
            () -> {
              try {
                overflowed.await();
                onOverflow.run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "parasol-flood-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    Runnable overflow =
        () -> {
          flooded.set(true);
          overflowed.countDown();
        };
    System.setOut(
        new CappedPrintStream(
            new FileOutputStream(FileDescriptor.out), written, CONSOLE_CAP, overflow));
    System.setErr(
        new CappedPrintStream(
            new FileOutputStream(FileDescriptor.err), written, CONSOLE_CAP, overflow));
  }

  private static String floodMessage() {
    return "the solver wrote more than "
        + CONSOLE_CAP
        + " bytes to standard output and error; it was stopped";
  }

  static String describeFailure(Throwable e) {
    java.util.Set<Throwable> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    Throwable root = e;
    seen.add(root);
    while (root.getCause() != null && seen.size() < 64 && seen.add(root.getCause())) {
      if (root instanceof SecurityException) {
        break;
      }
      root = root.getCause();
    }
    if (root instanceof SecurityException) {
      return "the plugin attempted an operation the sandbox forbids: " + root.getMessage();
    }
    return "the solver failed: " + PluginHost.rootMessage(e);
  }

  private static Consumer<RunEvent> synchronizedSink(List<RunEvent> events) {
    return event -> {
      synchronized (events) {
        if (events.size() < 10_000) {
          events.add(event);
        }
      }
    };
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
