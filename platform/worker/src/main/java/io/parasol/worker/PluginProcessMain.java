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
import io.parasol.protocol.PluginMessage;
import io.parasol.protocol.PluginMessage.Outcome;
import io.parasol.protocol.RunEvent;
import io.parasol.protocol.VerificationReport.Check;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The plugin process: the only place plugin code runs, started by the worker's supervisor inside
 * the sandbox ({@code java -cp worker.jar io.parasol.worker.PluginProcessMain}). It reads one
 * {@link PluginMessage.Describe} or {@link PluginMessage.Run} from standard input, loads the plugin
 * with PF4J, runs it and writes what happens as {@link PluginMessage}s to standard output, one per
 * line. Plugin code's own {@code System.out} goes to standard error, the run's console.
 *
 * <p>It holds no credential and cannot reach the server: whatever it says, the supervisor checks.
 */
public final class PluginProcessMain {

  private static final ObjectMapper JSON = Json.mapper();

  private final OutputStream protocol;
  private final AtomicBoolean cancelled = new AtomicBoolean();

  private PluginProcessMain(OutputStream protocol) {
    this.protocol = protocol;
  }

  /**
   * Runs the plugin process.
   *
   * @param args none
   */
  public static void main(String[] args) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    OutputStream protocol = new FileOutputStream(FileDescriptor.out);
    // from here on, whatever prints (PF4J, plugin code) prints to the console
    System.setOut(
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 65_536);
    int code;
    try {
      String first = in.readLine();
      if (first == null) {
        System.err.println("parasol-plugin: no instruction from the supervisor");
        Runtime.getRuntime().halt(WorkerMain.EXIT_USAGE);
      }
      PluginMessage message = JSON.readValue(first, PluginMessage.class);
      PluginProcessMain process = new PluginProcessMain(protocol);
      process.listen(in);
      process.reportHeap();
      if (message instanceof PluginMessage.Describe describe) {
        process.describe(describe);
      } else if (message instanceof PluginMessage.Run run) {
        process.run(run);
      } else {
        System.err.println("parasol-plugin: unexpected first message " + first);
        Runtime.getRuntime().halt(WorkerMain.EXIT_USAGE);
      }
      code = WorkerMain.EXIT_OK;
    } catch (IOException e) {
      System.err.println("parasol-plugin: " + e.getMessage());
      code = WorkerMain.EXIT_UNREPORTED;
    }
    // halt, not exit: plugin code may hold the shutdown lock or have left threads and hooks
    // behind; the supervisor ends the whole sandbox anyway
    Runtime.getRuntime().halt(code);
  }

  /** Reads the supervisor's later messages (a cancellation) on a thread of its own. */
  private void listen(BufferedReader in) {
    Thread listener =
        new Thread(
            () -> {
              try {
                String line;
                while ((line = in.readLine()) != null) {
                  if (JSON.readValue(line, PluginMessage.class) instanceof PluginMessage.Cancel) {
                    cancelled.set(true);
                  }
                }
              } catch (IOException e) {
                // the supervisor went away; the sandbox dies with it
              }
              cancelled.set(true);
            },
            "parasol-supervisor-listener");
    listener.setDaemon(true);
    listener.start();
  }

  /** Tells the supervisor how full the heap is, every second, for the run's samples. */
  private void reportHeap() {
    Thread heap =
        new Thread(
            () -> {
              try {
                while (true) {
                  send(
                      new PluginMessage.Heap(
                          io.parasol.worker.monitor.Monitor.heapHeld(),
                          io.parasol.worker.monitor.Monitor.heapCapacity()));
                  Thread.sleep(1000);
                }
              } catch (InterruptedException | IOException e) {
                // stop reporting
              }
            },
            "parasol-heap-reporter");
    heap.setDaemon(true);
    heap.start();
  }

  synchronized void send(PluginMessage message) throws IOException {
    byte[] line = JSON.writeValueAsBytes(message);
    protocol.write(line);
    protocol.write('\n');
    protocol.flush();
  }

  private void sendQuietly(PluginMessage message) {
    try {
      send(message);
    } catch (IOException e) {
      // the supervisor is gone
    }
  }

  private Consumer<RunEvent> sink() {
    return event -> sendQuietly(new PluginMessage.Event(event));
  }

  // ---------------------------------------------------------------- describe

  private void describe(PluginMessage.Describe describe) throws IOException {
    List<Path> dependencies = describe.dependencies().stream().map(Path::of).toList();
    long t0 = System.nanoTime();
    PluginHost.Loaded loaded;
    try {
      loaded = PluginHost.load(Path.of(describe.pluginJar()), null, dependencies);
    } catch (PluginHost.LoadException e) {
      send(new PluginMessage.Checked(new Check(e.check(), false, e.getMessage(), ms(t0))));
      send(new PluginMessage.Finished(Outcome.FAILED, e.getMessage()));
      return;
    }
    send(
        new PluginMessage.Checked(
            new Check(
                "compatibility",
                true,
                "Plugin-Requires '"
                    + loaded.descriptor().getRequires()
                    + "' accepts plugin API "
                    + PluginApi.version(),
                ms(t0))));

    long t1 = System.nanoTime();
    AppDescriptor descriptor;
    try {
      descriptor = extract(loaded);
    } catch (RuntimeException | LinkageError e) {
      fail("descriptor", WorkerMain.describeFailure(e), t1);
      return;
    }
    String mismatch = mismatch(loaded, descriptor);
    if (mismatch != null) {
      send(new PluginMessage.Described(descriptor));
      fail("descriptor", mismatch, t1);
      return;
    }
    send(new PluginMessage.Described(descriptor));
    send(
        new PluginMessage.Checked(
            new Check(
                "descriptor",
                true,
                "app " + descriptor.manifest().id() + " " + descriptor.manifest().version(),
                ms(t1))));

    FormValidation sample = descriptor.form().validate(descriptor.sampleInputs());
    if (!sample.isValid()) {
      fail("sample-inputs", "the sample inputs do not fit the form: " + sample.errors(), t1);
      return;
    }
    send(new PluginMessage.Checked(new Check("sample-inputs", true, "valid for the form", 0)));

    Path selfTest = Path.of(describe.selfTestDir());
    Path outputs = selfTest.resolve("outputs");
    Files.createDirectories(outputs);
    Allocation allocation =
        new Allocation(
            descriptor.resources().minCores(),
            descriptor.resources().minCores() * descriptor.resources().memoryPerCoreMb(),
            descriptor.resources().accelerators(),
            descriptor.resources().expectedWallTime());
    WorkerRunContext context =
        new WorkerRunContext(
            new RunInputs(sample.values(), Map.of()),
            selfTest,
            outputs,
            allocation,
            sink(),
            cancelled,
            describe.maxLogBytes(),
            null);
    solve(loaded.app(), context, allocation);
  }

  private void fail(String check, String reason, long startNanos) throws IOException {
    send(new PluginMessage.Checked(new Check(check, false, reason, ms(startNanos))));
    send(new PluginMessage.Finished(Outcome.FAILED, reason));
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

  private void run(PluginMessage.Run run) throws IOException {
    List<Path> dependencies = run.dependencies().stream().map(Path::of).toList();
    PluginHost.Loaded loaded;
    try {
      loaded = PluginHost.load(Path.of(run.pluginJar()), run.appId(), dependencies);
    } catch (PluginHost.LoadException e) {
      send(
          new PluginMessage.Finished(
              Outcome.FAILED, "the plugin could not be loaded: " + e.getMessage()));
      return;
    }
    FormValidation validation = loaded.app().form().validate(run.inputs());
    if (!validation.isValid()) {
      send(
          new PluginMessage.Finished(
              Outcome.FAILED, "inputs do not fit the form: " + validation.errors()));
      return;
    }
    Map<String, Path> files = new HashMap<>();
    run.files().forEach((field, path) -> files.put(field, Path.of(path)));
    RunInputs inputs = new RunInputs(validation.values(), files);
    try {
      send(new PluginMessage.ProblemSize(loaded.app().problemSize(inputs)));
    } catch (RuntimeException | LinkageError e) {
      send(
          new PluginMessage.Event(
              RunEvent.log("WARN", "the app's problemSize failed: " + PluginHost.rootMessage(e))));
    }
    WorkerRunContext context =
        new WorkerRunContext(
            inputs,
            Path.of(run.workDir()),
            Path.of(run.outputDir()),
            run.allocation(),
            sink(),
            cancelled,
            run.maxLogBytes(),
            null);
    solve(loaded.app(), context, run.allocation());
  }

  private void solve(SimulationApp app, WorkerRunContext context, Allocation allocation)
      throws IOException {
    PluginMessage.Finished finished;
    try {
      send(new PluginMessage.Event(RunEvent.of(RunEvent.Type.STARTED, "solver started")));
      app.solver().run(context);
      finished =
          cancelled.get()
              ? new PluginMessage.Finished(Outcome.CANCELLED, "cancelled")
              : new PluginMessage.Finished(Outcome.COMPLETED, null);
    } catch (RunCancelledException e) {
      finished = new PluginMessage.Finished(Outcome.CANCELLED, "cancelled");
    } catch (OutOfMemoryError e) {
      finished = new PluginMessage.Finished(Outcome.OUT_OF_MEMORY, null);
    } catch (Exception | LinkageError e) {
      finished = new PluginMessage.Finished(Outcome.FAILED, WorkerMain.describeFailure(e));
    }
    send(finished);
  }

  private static long ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
