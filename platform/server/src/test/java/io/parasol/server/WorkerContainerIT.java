package io.parasol.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.parasol.protocol.PluginContainer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker as it runs in a Kubernetes pod: the supervisor talks to a plugin process in another
 * container over named pipes in the channel directory. The plugin container is played by bubblewrap
 * running {@link PluginContainer#command()} with the pod's mounts (code, inputs and channel
 * read-only, the work directory writable) and the pod's shared process namespace; the server by a
 * stub that records what the worker reports.
 */
class WorkerContainerIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path WORKER =
      Path.of("target/classes/parasol/parasol-worker.jar").toAbsolutePath();

  @TempDir Path tmp;

  private HttpServer stub;
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();
  private final List<JsonNode> samples = new CopyOnWriteArrayList<>();
  private final List<String> uploads = new CopyOnWriteArrayList<>();

  @BeforeEach
  void server() throws IOException {
    stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    stub.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          String path = exchange.getRequestURI().getPath();
          if ("PUT".equals(exchange.getRequestMethod())) {
            uploads.add(path.substring(path.lastIndexOf('/') + 1));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            return;
          }
          JsonNode json = JSON.readTree(body);
          List<JsonNode> into = path.endsWith("/samples") ? samples : events;
          if (json.isArray()) {
            json.forEach(into::add);
          } else {
            into.add(json);
          }
          byte[] answer = "{\"cancel\":false}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    stub.start();
  }

  @AfterEach
  void stop() {
    stub.stop(0);
  }

  @Test
  void aRunTalksToItsPluginContainerOverThePipes() throws Exception {
    assumeTrue(Files.isReadable(WORKER), "the server build holds no worker jar");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/bwrap")), "no bubblewrap here");
    Path run = spec(Map.of("nx", 31, "ny", 31, "duration", 20));
    Process container = pluginContainer(run);
    try {
      String console = supervise(run, List.of(), 0);
      JsonNode last = events.get(events.size() - 1);
      assertEquals("SUCCEEDED", last.path("type").asText(), console + events);
      assertTrue(events.stream().anyMatch(e -> "STARTED".equals(e.path("type").asText())));
      assertFalse(uploads.isEmpty(), "no outputs were uploaded");
      // the plugin JVM is another container's process: sampled through the shared namespace
      assertTrue(
          samples.stream().anyMatch(f -> f.path("values").has("cpu_utilisation")),
          samples.toString());
      // the supervisor unlinked the pipes once open: nothing to start a second plugin on
      assertFalse(Files.exists(tmp.resolve("channel/err")));
      assertTrue(container.waitFor(30, TimeUnit.SECONDS), "the plugin container did not end");
    } finally {
      container.destroyForcibly();
    }
  }

  @Test
  void aPluginContainerThatNeverComesFailsTheRunWithItsReason() throws Exception {
    assumeTrue(Files.isReadable(WORKER), "the server build holds no worker jar");
    Path run = spec(Map.of("nx", 11, "ny", 11, "duration", 1));
    String console =
        supervise(run, List.of("-Dparasol.worker.plugin-container-timeout-seconds=2"), 6);
    JsonNode last = events.get(events.size() - 1);
    assertEquals("FAILED", last.path("type").asText(), console);
    assertTrue(last.path("message").asText().contains("did not open its pipes"), last.toString());
  }

  private Path spec(Map<String, Object> inputs) throws IOException {
    Path run = tmp.resolve("run");
    Files.createDirectories(run.resolve("inputs"));
    Files.createDirectories(run.resolve("work"));
    Files.createDirectories(tmp.resolve("channel"));
    Files.createDirectories(tmp.resolve("code"));
    Map<String, Object> spec =
        Map.of(
            "runId",
            "11111111-2222-3333-4444-555555555555",
            "appId",
            "heat-transfer",
            "pluginJar",
            PluginJars.HEAT_TRANSFER.toAbsolutePath().toString(),
            "inputs",
            inputs,
            "files",
            Map.of(),
            "allocation",
            Map.of("cores", 1, "memoryMb", 256, "accelerators", List.of(), "wallTime", "PT5M"),
            "serverUrl",
            "http://127.0.0.1:" + stub.getAddress().getPort(),
            "token",
            "a-run-token",
            "limits",
            Map.of("maxLogBytes", 1_000_000, "maxOutputBytes", 100_000_000, "maxOutputFiles", 100),
            "monitoring",
            Map.of(
                "intervalSeconds",
                1,
                "nvidiaSmi",
                "nvidia-smi-absent",
                "fpgaCommand",
                List.of(),
                "reportSeconds",
                0));
    JSON.writeValue(run.resolve("spec.json").toFile(), spec);
    return run;
  }

  /** The plugin container: the pod's mounts, its own network, the supervisor's PID namespace. */
  private Process pluginContainer(Path run) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "bwrap",
                "--ro-bind",
                "/usr",
                "/usr",
                "--symlink",
                "usr/bin",
                "/bin",
                "--symlink",
                "usr/lib",
                "/lib",
                "--symlink",
                "usr/lib64",
                "/lib64",
                "--symlink",
                "usr/sbin",
                "/sbin",
                "--ro-bind",
                "/etc",
                "/etc",
                "--proc",
                "/proc",
                "--dev",
                "/dev",
                "--unshare-net",
                "--unshare-ipc",
                "--die-with-parent",
                "--ro-bind",
                WORKER.toString(),
                WORKER.toString(),
                "--ro-bind",
                tmp.resolve("code").toString(),
                PluginContainer.PLUGIN,
                "--ro-bind",
                run.resolve("inputs").toString(),
                PluginContainer.INPUTS,
                "--bind",
                run.resolve("work").toString(),
                PluginContainer.WORK,
                "--ro-bind",
                tmp.resolve("channel").toString(),
                PluginContainer.CHANNEL));
    command.addAll(PluginContainer.command());
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(tmp.resolve("container.txt").toFile())
        .start();
  }

  /** Runs the supervisor to its end; {@code exit} 6 is the worker's "no sandbox". */
  private String supervise(Path run, List<String> options, int exit) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-Dparasol.worker.plugin-container=" + tmp.resolve("channel"),
                "-Dparasol.worker.plugin-code=" + tmp.resolve("code")));
    command.addAll(options);
    command.addAll(List.of("-jar", WORKER.toString(), "run", run.resolve("spec.json").toString()));
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("supervisor.txt").toFile())
            .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the supervisor did not finish");
    String console = Files.readString(tmp.resolve("supervisor.txt"));
    assertEquals(exit, p.exitValue(), console);
    assertFalse(events.isEmpty(), console);
    return console;
  }
}
