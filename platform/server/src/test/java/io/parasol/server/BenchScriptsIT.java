package io.parasol.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Short runs of the benchmark scripts that start a packaged server of their own, so that a script
 * that no longer runs fails the build (the ones that run against the test server are {@code
 * BenchSmokeTest}'s).
 */
class BenchScriptsIT {

  private static final Path SERVER = Path.of("target/quarkus-app/quarkus-run.jar");

  @Test
  void launchLatency() throws Exception {
    assumeTrue(Files.isReadable(SERVER), "no packaged server");
    assumeTrue(python(), "python3 is not installed");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process p =
        new ProcessBuilder(
                List.of(
                    "python3",
                    "../../bench/launch_latency.py",
                    "--smoke",
                    "--port",
                    Integer.toString(port),
                    "--server-jar",
                    SERVER.toString()))
            .redirectErrorStream(true)
            .start();
    boolean done = p.waitFor(240, TimeUnit.SECONDS);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!done) {
      p.destroyForcibly();
    }
    assertEquals(0, done ? p.exitValue() : -1, out);
    assertTrue(out.contains("Parasol: launch -> solver start"), out);
  }

  private static boolean python() {
    try {
      return new ProcessBuilder("python3", "--version").start().waitFor(10, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
