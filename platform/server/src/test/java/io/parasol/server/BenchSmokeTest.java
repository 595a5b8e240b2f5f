package io.parasol.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The benchmark scripts that run against a plain server still run: each gets a short smoke run
 * against the test server (a benchmark that no longer runs is a defect).
 */
@QuarkusTest
class BenchSmokeTest {

  @TestHTTPResource("/")
  URI base;

  @Test
  void hostileBodies() throws Exception {
    String url = base.toString().replaceAll("/$", "");
    Path script = Path.of("../../bench/hostile_bodies.py");
    assumeTrue(Files.exists(script) && python(), "python3 is not installed");
    Process p =
        new ProcessBuilder("python3", script.toString(), "--smoke", "--url", url)
            .redirectErrorStream(true)
            .start();
    boolean done = p.waitFor(120, TimeUnit.SECONDS);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!done) {
      p.destroyForcibly();
    }
    assertEquals(0, done ? p.exitValue() : -1, out);
  }

  private static boolean python() {
    try {
      return new ProcessBuilder("python3", "--version").start().waitFor(10, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
