package io.parasol.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The worker's supervisor and sandboxed plugin process on every JDK the platform supports: this
 * build's (17) and Java 25, where no Security Manager exists (a Temurin 25 beside the default JDK,
 * or the JDKs {@code -Dparasol.test.jdks} names, comma-separated). Each hostile self-test is
 * verified with the worker jar the server ships, as the server starts it, and must end with its
 * reason; the attack report must show every attempt blocked.
 */
class WorkerSandboxIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path WORKER = Path.of("target/classes/parasol/parasol-worker.jar");

  @TempDir static Path tmp;

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (Path jdk : jdks()) {
      for (String[] c :
          new String[][] {
            {"ok", "true", "finished on the sample inputs"},
            {"attack", "true", "finished on the sample inputs"},
            {"env", "true", "finished on the sample inputs"},
            {"hold-shutdown", "true", "finished on the sample inputs"},
            {"exit", "false", "exited with code 3"},
            {"allocate", "false", "out of memory"},
            {"memorybomb", "false", "out of memory"},
            {"forkbomb", "false", "processes and threads"},
            {"threads", "false", "processes and threads"},
            {"flood", "false", "standard output"},
            {"fail", "false", "always fails"},
          }) {
        cases.add(Arguments.of(jdk, c[0], Boolean.parseBoolean(c[1]), c[2]));
      }
    }
    return cases.stream();
  }

  /** This JDK and every Java 25 installed beside it (or those the property names). */
  static List<Path> jdks() {
    List<Path> jdks = new ArrayList<>();
    String named = System.getProperty("parasol.test.jdks", "");
    if (!named.isBlank()) {
      for (String j : named.split(",")) {
        jdks.add(Path.of(j.strip()));
      }
      return jdks;
    }
    jdks.add(Path.of(System.getProperty("java.home")));
    try (var list = Files.list(Path.of("/usr/lib/jvm"))) {
      list.filter(d -> Files.isExecutable(d.resolve("bin/java")))
          .filter(d -> release(d).contains("JAVA_VERSION=\"25"))
          .findFirst()
          .ifPresent(jdks::add);
    } catch (IOException e) {
      // no other JDK here
    }
    return jdks;
  }

  private static String release(Path jdk) {
    try {
      return Files.readString(jdk.resolve("release"));
    } catch (IOException e) {
      return "";
    }
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("cases")
  void aSelfTestEndsWithItsReason(Path jdk, String behaviour, boolean passes, String says)
      throws Exception {
    assumeTrue(Files.isReadable(WORKER), "the server build holds no worker jar");
    Path jar = PluginJars.variant(tmp, behaviour, "9.0.0", Map.of());
    Path dir = tmp.resolve(behaviour + "-" + jdk.getFileName());
    Path report = dir.resolve("report.json");
    Files.createDirectories(dir);
    List<String> command =
        new ArrayList<>(
            List.of(
                jdk.resolve("bin/java").toString(),
                "-Xmx128m",
                "-Dparasol.worker.plugin-memory-mb=128",
                "-Dparasol.worker.console-cap=200000",
                "-jar",
                WORKER.toString(),
                "describe",
                jar.toString(),
                dir.toString(),
                report.toString()));
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("console.txt").toFile())
            .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the worker did not finish");
    String console = Files.readString(dir.resolve("console.txt"));
    assertEquals(0, p.exitValue(), console);
    JsonNode checks = JSON.readTree(report.toFile()).path("checks");
    JsonNode selfTest = null;
    for (JsonNode c : checks) {
      if ("self-test".equals(c.path("name").asText())) {
        selfTest = c;
      }
    }
    assertTrue(selfTest != null, checks.toString());
    assertEquals(passes, selfTest.path("passed").asBoolean(), checks.toString());
    assertTrue(selfTest.path("message").asText().contains(says), checks.toString());
    if ("attack".equals(behaviour)) {
      String attacks = Files.readString(dir.resolve("self-test/outputs/attacks.txt"));
      assertFalse(attacks.contains("OPEN"), attacks);
      assertTrue(attacks.contains("BLOCKED ptrace"), attacks);
    }
  }

  @org.junit.jupiter.api.Test
  void aClassDataArchiveIsTrainedOnceThenMapped() throws Exception {
    assumeTrue(Files.isReadable(WORKER), "the server build holds no worker jar");
    Path dir = tmp.resolve("class-data");
    Files.createDirectories(dir);
    Path supervisor = dir.resolve("supervisor.jsa");
    Path plugin = dir.resolve("plugin.jsa");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // training, as WorkerClassData does it
    describe(
        dir.resolve("train"),
        List.of(
            java,
            "-XX:ArchiveClassesAtExit=" + supervisor,
            "-Xlog:cds=off,cds+dynamic=off",
            "-Dparasol.worker.plugin-class-data=" + plugin,
            "-Dparasol.worker.plugin-class-data-train=true"));
    assertTrue(Files.size(supervisor) > 1_000_000, "no supervisor archive");
    assertTrue(Files.size(plugin) > 1_000_000, "no plugin archive");
    // mapped: with -Xshare:on both JVMs refuse to start unless they map their archive
    describe(
        dir.resolve("use"),
        List.of(
            java,
            "-XX:SharedArchiveFile=" + supervisor,
            "-Xshare:on",
            "-Dparasol.worker.plugin-class-data=" + plugin,
            "-Dparasol.worker.plugin-class-data-require=true"));
  }

  private String describe(Path dir, List<String> jvm) throws Exception {
    Files.createDirectories(dir);
    List<String> command = new ArrayList<>(jvm);
    command.addAll(
        List.of(
            "-jar",
            WORKER.toString(),
            "describe",
            PluginJars.HEAT_TRANSFER.toString(),
            dir.resolve("work").toString(),
            dir.resolve("report.json").toString()));
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("console.txt").toFile())
            .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the worker did not finish");
    String console = Files.readString(dir.resolve("console.txt"));
    assertEquals(0, p.exitValue(), console);
    assertTrue(
        JSON.readTree(dir.resolve("report.json").toFile()).path("passed").asBoolean(), console);
    return console;
  }
}
