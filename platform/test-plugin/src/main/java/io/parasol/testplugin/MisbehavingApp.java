package io.parasol.testplugin;

import io.parasol.plugin.api.AppManifest;
import io.parasol.plugin.api.ChoiceField;
import io.parasol.plugin.api.ChoiceField.Option;
import io.parasol.plugin.api.FileField;
import io.parasol.plugin.api.FormSpec;
import io.parasol.plugin.api.Industry;
import io.parasol.plugin.api.NumberField;
import io.parasol.plugin.api.ResourceProfile;
import io.parasol.plugin.api.RunContext;
import io.parasol.plugin.api.Section;
import io.parasol.plugin.api.SimulationApp;
import io.parasol.plugin.api.Solver;
import io.parasol.plugin.api.TextField;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * An app that misbehaves on request, to prove the sandbox contains it. The {@code behaviour} input
 * picks what the solver does; a {@code behaviour.txt} resource, which tests add to a copy of the
 * jar, makes the self-test misbehave too; {@code summary.txt} and {@code pattern.txt} (the label
 * field's pattern) let tests try the platform's descriptor limits.
 */
@Extension
public class MisbehavingApp implements SimulationApp {

  @Override
  public AppManifest manifest() {
    return new AppManifest(
        "misbehaving-app",
        "Misbehaving app",
        resource("version.txt", "1.0.0"),
        "Parasol tests",
        Industry.OTHER,
        resource("summary.txt", "Behaves well or badly on request."),
        "",
        List.of("test"),
        "");
  }

  @Override
  public FormSpec form() {
    return FormSpec.of(
        Section.of(
            "behaviour",
            "Behaviour",
            ChoiceField.of(
                    "behaviour",
                    "What the solver does",
                    new Option("ok", "Write one output and finish"),
                    new Option("sleep", "Sleep, checking for cancellation"),
                    new Option("exit", "Call System.exit"),
                    new Option("loop", "Loop forever, ignoring cancellation"),
                    new Option("allocate", "Allocate memory without bound"),
                    new Option("flood", "Print without end"),
                    new Option("env", "Read environment variables"),
                    new Option("escape", "Write outside the work directory"),
                    new Option("fail", "Throw an exception"),
                    new Option("forkbomb", "Start processes without end"),
                    new Option("memorybomb", "Start a child process that allocates without bound"),
                    new Option("threads", "Start 2,000 threads"),
                    new Option("outlive", "Leave a child process behind and finish"),
                    new Option("hold-shutdown", "Hold the JVM's shutdown lock and finish"),
                    new Option("attack", "Try to get out of the sandbox; report what worked"))
                .withDefault("ok"),
            NumberField.of("seconds", "Seconds to sleep").withRange(0, 3600).withDefault(1),
            TextField.of("target", "Where escape writes")
                .withDefault("/tmp/parasol-escape.txt")
                .withMaxLength(500),
            TextField.of("ports", "Ports attack tries on 127.0.0.1, comma-separated")
                .withDefault("")
                .withMaxLength(500),
            FileField.of("data", "A file to copy to the outputs", ".txt", ".csv").optional(),
            TextField.of("label", "A label for the result")
                .withPattern(resource("pattern.txt", ""))
                .withMaxLength(10_000)
                .optional()));
  }

  @Override
  public ResourceProfile resources() {
    return ResourceProfile.cpu(1, 1, 2, 64, Duration.ofMinutes(1));
  }

  @Override
  public Map<String, Object> sampleInputs() {
    Map<String, Object> inputs = new LinkedHashMap<>(form().defaults());
    inputs.put("behaviour", resource("behaviour.txt", "ok"));
    return inputs;
  }

  private static String resource(String name, String fallback) {
    try (InputStream in = MisbehavingApp.class.getResourceAsStream(name)) {
      return in == null ? fallback : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Solver solver() {
    return MisbehavingApp::solve;
  }

  private static void solve(RunContext context) throws Exception {
    String behaviour = context.inputs().text("behaviour");
    context.info("behaviour: " + behaviour);
    switch (behaviour) {
      case "ok" -> {
        if (context.inputs().has("data")) {
          Files.copy(context.inputs().file("data"), context.outputDir().resolve("data-copy.txt"));
        }
        context.metric("answer", 42);
        context.progress(1.0, "done");
      }
      case "sleep" -> {
        long end = System.nanoTime() + (long) (context.inputs().number("seconds") * 1e9);
        while (System.nanoTime() < end) {
          context.checkCancelled();
          context.progress(0.5, "sleeping");
          Thread.sleep(50);
        }
      }
      case "exit" -> System.exit(3);
      case "loop" -> {
        long spins = 0;
        while (spins >= 0) {
          spins++;
        }
      }
      case "allocate" -> {
        List<long[]> hoard = new ArrayList<>();
        while (true) {
          hoard.add(new long[1 << 20]);
        }
      }
      case "flood" -> {
        String line = "x".repeat(1000);
        while (true) {
          System.out.println(line);
        }
      }
      case "env" -> {
        Map<String, String> env = System.getenv();
        Files.writeString(context.outputDir().resolve("env.txt"), env.toString());
        List<String> unexpected =
            env.keySet().stream()
                .filter(k -> !List.of("PATH", "LANG", "HOME", "TMPDIR", "USER", "PWD").contains(k))
                .sorted()
                .toList();
        if (!unexpected.isEmpty()) {
          throw new IllegalStateException("the environment holds " + unexpected);
        }
      }
      case "escape" -> Files.writeString(Path.of(context.inputs().text("target")), "escaped");
      case "fail" -> throw new IllegalStateException("this solver always fails");
      case "forkbomb" -> {
        // each shell starts two more, for ever; the process limit stops them
        Process bomb = new ProcessBuilder("/bin/sh", "-c", "f() { f | f & }; f; sleep 600").start();
        bomb.waitFor();
        Thread.sleep(600_000);
      }
      case "memorybomb" -> {
        // tail keeps the last "line" of an endless stream without newlines: all of it
        Process bomb = new ProcessBuilder("/usr/bin/tail", "/dev/zero").start();
        context.info("memory bomb exited with " + bomb.waitFor());
      }
      case "threads" -> {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
          Thread t = new Thread(() -> sleepQuietly(600_000));
          t.setDaemon(true);
          t.start();
          threads.add(t);
        }
        context.info("started " + threads.size() + " threads");
      }
      case "outlive" -> {
        new ProcessBuilder(
                "/bin/sh",
                "-c",
                "sleep 300; echo parasol-outlive-" + context.inputs().text("target"))
            .start();
        Thread.sleep(200);
      }
      case "hold-shutdown" -> {
        Thread holder =
            new Thread(
                () -> {
                  try {
                    synchronized (Class.forName("java.lang.Shutdown")) {
                      sleepQuietly(600_000);
                    }
                  } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(e);
                  }
                });
        holder.start(); // not a daemon: the JVM would wait for it
        Runtime.getRuntime().addShutdownHook(new Thread(() -> sleepQuietly(600_000)));
        Thread.sleep(200);
      }
      case "attack" ->
          Files.writeString(context.outputDir().resolve("attacks.txt"), Attacks.run(context));
      default -> throw new IllegalArgumentException("unknown behaviour " + behaviour);
    }
    Files.writeString(context.outputDir().resolve("result.txt"), "done: " + behaviour + "\n");
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
