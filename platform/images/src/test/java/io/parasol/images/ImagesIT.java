package io.parasol.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image archives Jib wrote: their configuration is what the chart and the Kubernetes backend
 * expect, and each image's file system, unpacked and entered with chroot (no container engine
 * here), really runs: the server (the PostgreSQL build) starts on a fresh database, publishes the
 * example apps and runs one to the end, its workers started from the image's own Java; the worker
 * image verifies a plugin with the command a Job would give it.
 */
class ImagesIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
  private static final String DB = "parasol_images_it";
  private static final Path DIR = Path.of(System.getProperty("images.dir", "target"));
  private static final Path PLUGIN =
      Path.of(System.getProperty("images.plugin", "target/test-plugins/heat-transfer.jar"));

  private static Image server;
  private static Image worker;

  @BeforeAll
  static void unpack() throws Exception {
    server = Image.unpack(DIR.resolve("parasol-server-image.tar"), DIR.resolve("it/server"));
    worker = Image.unpack(DIR.resolve("parasol-worker-image.tar"), DIR.resolve("it/worker"));
  }

  @Test
  void serverImageIsConfiguredForTheChart() {
    JsonNode config = server.config.path("config");
    assertEquals("1000:1000", config.path("User").asText(), "non-root, as the chart's pod runs");
    assertEquals(
        List.of(
            "java",
            "-XX:MaxRAMPercentage=70",
            "-XX:+ExitOnOutOfMemoryError",
            "-jar",
            "/deployments/quarkus-run.jar"),
        strings(config.path("Entrypoint")));
    assertTrue(config.path("ExposedPorts").has("8080/tcp"), config.toString());
    assertTrue(env(config).contains("PARASOL_DATA_DIR=/var/lib/parasol"), config.toString());
    assertTrue(env(config).contains("QUARKUS_PROFILE=postgres"), config.toString());
    assertTrue(Files.isRegularFile(server.root.resolve("deployments/quarkus-run.jar")));
    assertTrue(Files.isDirectory(server.root.resolve("deployments/lib/main")));
  }

  @Test
  void workerImageHoldsTheJarWhereJobsStartIt() {
    JsonNode config = worker.config.path("config");
    assertEquals("1000:1000", config.path("User").asText());
    assertEquals(
        List.of("java", "-jar", "/opt/parasol/worker.jar"), strings(config.path("Entrypoint")));
    assertTrue(Files.isRegularFile(worker.root.resolve("opt/parasol/worker.jar")));
  }

  @Test
  void workerImageVerifiesAPlugin() throws Exception {
    assumeChroot();
    Path work = worker.root.resolve("work");
    Files.createDirectories(work);
    Files.copy(PLUGIN, work.resolve("heat-transfer.jar"));
    chown(work);
    List<String> command =
        new ArrayList<>(strings(worker.config.path("config").path("Entrypoint")));
    command.addAll(List.of("describe", "/work/heat-transfer.jar", "/work/describe", "-"));
    Path log = DIR.resolve("it/worker-describe.log");
    // chroot forbids new user namespaces, so the sandbox cannot start in here: the development
    // setting runs the plugin unconfined (the sandbox has tests of its own, WorkerSandboxIT)
    Process p =
        worker.start(command, List.of("JAVA_TOOL_OPTIONS=-Dparasol.worker.unconfined=true"), log);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the worker did not finish");
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), out);
    JsonNode report = JSON.readTree(out.substring(out.indexOf('{')));
    assertTrue(report.path("passed").asBoolean(), out);
    assertEquals("heat-transfer", report.path("descriptor").path("pluginId").asText(), out);
  }

  @Test
  void serverImageStartsPublishesTheExamplesAndRunsOne() throws Exception {
    assumeChroot();
    assumeTrue(
        !Boolean.getBoolean("skipPostgresTests"),
        "-DskipPostgresTests: the server image needs one");
    try (Connection c = DriverManager.getConnection(ADMIN_URL, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("drop database if exists " + DB + " with (force)");
      s.execute("create database " + DB);
    } catch (SQLException e) {
      assumeTrue(false, "no PostgreSQL at 127.0.0.1:5432 (" + e.getMessage() + ")");
    }
    Path data = server.root.resolve("var/lib/parasol");
    Files.createDirectories(data);
    chown(data);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = DIR.resolve("it/server.log");
    Process p =
        server.start(
            strings(server.config.path("config").path("Entrypoint")),
            List.of(
                // The demo users refuse a non-loopback address, so this server listens on loopback.
                "QUARKUS_HTTP_HOST=127.0.0.1",
                "QUARKUS_HTTP_PORT=" + port,
                "PARASOL_DB_URL=jdbc:postgresql://127.0.0.1:5432/" + DB,
                "PARASOL_DB_USER=postgres",
                "PARASOL_DB_PASSWORD=",
                "PARASOL_OIDC_ENABLED=false",
                "PARASOL_DEMO_USERS=true",
                "PARASOL_DEMO_MONEY=true",
                "PARASOL_PUBLISH_EXAMPLES=true",
                // chroot forbids the sandbox's user namespaces (see workerImageVerifiesAPlugin)
                "PARASOL_WORKER_UNCONFINED=true"),
            log);
    try {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + port;
      poll(
          Duration.ofSeconds(120),
          p,
          log,
          () -> get(http, base + "/api/v1/apps/heat-transfer", "alice").statusCode() == 200,
          "heat-transfer to be published");
      HttpResponse<String> launched =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/runs"))
                  .header("Authorization", basic("alice"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"appId\":\"heat-transfer\",\"inputs\":{\"nx\":21,\"ny\":21,"
                              + "\"duration\":10,\"cores\":1}}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(201, launched.statusCode(), launched.body());
      String run = JSON.readTree(launched.body()).path("id").asText();
      String[] state = new String[1];
      poll(
          Duration.ofSeconds(120),
          p,
          log,
          () -> {
            state[0] =
                JSON.readTree(get(http, base + "/api/v1/runs/" + run, "alice").body())
                    .path("state")
                    .asText();
            return List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(state[0]);
          },
          "the run to end");
      assertEquals("SUCCEEDED", state[0], Files.readString(log));
      HttpResponse<String> outputs = get(http, base + "/api/v1/runs/" + run + "/outputs", "alice");
      assertTrue(outputs.body().contains("heatmap.png"), outputs.body());
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Entering an image needs root (chroot) and util-linux's unshare (a private /proc mount). */
  private static void assumeChroot() {
    assumeTrue(
        "root".equals(System.getProperty("user.name")) && new File("/usr/bin/unshare").canExecute(),
        "running an image's file system needs root and unshare; only its contents were checked");
  }

  private static void chown(Path dir) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("chown", "-R", "1000:1000", dir.toString()).inheritIO().start();
    assertEquals(0, p.waitFor());
  }

  private static HttpResponse<String> get(HttpClient http, String url, String user)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).header("Authorization", basic(user)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user) {
    return "Basic "
        + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> env(JsonNode config) {
    return strings(config.path("Env"));
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void poll(Duration limit, Process p, Path log, Check check, String what)
      throws Exception {
    long end = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < end) {
      if (!p.isAlive()) {
        fail("the process exited while waiting for " + what + ":\n" + Files.readString(log));
      }
      try {
        if (check.holds()) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    fail("timed out waiting for " + what + ":\n" + Files.readString(log));
  }

  /** An image archive (docker save format, as Jib writes it) unpacked into a root file system. */
  private record Image(JsonNode config, Path root) {

    static Image unpack(Path archive, Path dir) throws IOException, InterruptedException {
      assertTrue(Files.isRegularFile(archive), archive + " was not built");
      deleteTree(dir);
      Path parts = dir.resolve("archive");
      Path root = dir.resolve("rootfs");
      Files.createDirectories(parts);
      Files.createDirectories(root);
      tar("-xf", archive.toString(), "-C", parts.toString());
      JsonNode manifest = JSON.readTree(parts.resolve("manifest.json").toFile()).get(0);
      JsonNode config = JSON.readTree(parts.resolve(manifest.path("Config").asText()).toFile());
      for (JsonNode layer : manifest.path("Layers")) {
        tar(
            "--numeric-owner",
            "-xf",
            parts.resolve(layer.asText()).toString(),
            "-C",
            root.toString());
      }
      return new Image(config, root);
    }

    /**
     * Starts {@code command} inside the image as its user, in its working directory, with its
     * environment plus {@code extraEnv}: a private mount namespace gives it /proc and /dev.
     */
    Process start(List<String> command, List<String> extraEnv, Path log) throws IOException {
      JsonNode c = config.path("config");
      for (String d : List.of("proc", "dev", "tmp")) {
        Files.createDirectories(root.resolve(d));
      }
      List<String> args =
          new ArrayList<>(
              List.of(
                  "/usr/bin/unshare",
                  "--mount",
                  "--fork",
                  "--kill-child",
                  "--",
                  "/bin/sh",
                  "-c",
                  "mount -t proc proc \"$0/proc\" && mount --rbind /dev \"$0/dev\""
                      + " && mount -t tmpfs -o mode=1777 tmpfs \"$0/tmp\" && exec chroot --userspec="
                      + c.path("User").asText()
                      + " \"$0\" \"$@\"",
                  root.toAbsolutePath().toString(),
                  "/usr/bin/env",
                  "-i",
                  "--chdir=" + c.path("WorkingDir").asText("/")));
      args.addAll(env(c));
      args.addAll(extraEnv);
      args.addAll(command);
      return new ProcessBuilder(args)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
          .start();
    }

    private static void tar(String... args) throws IOException, InterruptedException {
      List<String> command = new ArrayList<>(List.of("tar"));
      command.addAll(List.of(args));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), "tar " + String.join(" ", args) + ": " + out);
    }

    private static void deleteTree(Path dir) throws IOException, InterruptedException {
      if (Files.exists(dir)) {
        Process p = new ProcessBuilder("rm", "-rf", dir.toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
      }
    }
  }
}
