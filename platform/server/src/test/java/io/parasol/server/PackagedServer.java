package io.parasol.server;

import static io.restassured.RestAssured.given;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** Starts and kills the packaged server (target/quarkus-app) for the integration tests. */
public final class PackagedServer {

  static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

  private PackagedServer() {}

  /**
   * Starts the server on {@code port} with {@code dataDir} and extra environment; waits until
   * ready.
   */
  public static Process start(int port, Path dataDir, Map<String, String> env, String log)
      throws IOException {
    return start(JAR, port, dataDir, env, log);
  }

  /** Starts a server from another build of it ({@code jar}), as {@link #start} does. */
  public static Process start(Path jar, int port, Path dataDir, Map<String, String> env, String log)
      throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(log)));
    builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
    builder.environment().put("PARASOL_DATA_DIR", dataDir.toAbsolutePath().toString());
    builder.environment().putAll(env);
    Process process = builder.start();
    try {
      Api.poll(
          Duration.ofSeconds(60),
          () -> {
            if (!process.isAlive()) {
              throw new IllegalStateException("the server exited; see " + log);
            }
            try {
              return given().port(port).get("/q/health/ready").statusCode();
            } catch (Exception e) { // connection refused while it starts
              return -1;
            }
          },
          code -> code == 200,
          "the server to be ready");
    } catch (RuntimeException | AssertionError e) {
      process.destroyForcibly();
      throw e;
    }
    return process;
  }

  /** Kills the server (SIGKILL), and its workers too when asked. */
  public static void kill(Process process, boolean withWorkers) throws InterruptedException {
    if (withWorkers) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
    }
    process.destroyForcibly();
    process.waitFor();
  }

  public static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
