package io.parasol.probe;

import io.parasol.plugin.api.AppManifest;
import io.parasol.plugin.api.ChoiceField;
import io.parasol.plugin.api.ChoiceField.Option;
import io.parasol.plugin.api.FormSpec;
import io.parasol.plugin.api.Industry;
import io.parasol.plugin.api.IntegerField;
import io.parasol.plugin.api.NumberField;
import io.parasol.plugin.api.ResourceProfile;
import io.parasol.plugin.api.RunContext;
import io.parasol.plugin.api.RunInputs;
import io.parasol.plugin.api.Section;
import io.parasol.plugin.api.SimulationApp;
import io.parasol.plugin.api.Solver;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.pf4j.Extension;

/**
 * A probe for the monitoring tests: its solver uses the hardware the way the {@code behaviour}
 * input says, for {@code seconds}, reporting progress by the clock (except {@code stalled}).
 */
@Extension
public class ProbeApp implements SimulationApp {

  @Override
  public AppManifest manifest() {
    return new AppManifest(
        "probe-app",
        "Monitoring probe",
        "1.0.0",
        "Parasol tests",
        Industry.OTHER,
        "Uses the hardware as told, to test monitoring.",
        "",
        List.of("test"),
        "");
  }

  @Override
  public FormSpec form() {
    return FormSpec.of(
        Section.of(
            "probe",
            "Probe",
            ChoiceField.of(
                    "behaviour",
                    "What the solver does",
                    new Option("busy", "Keep every core busy"),
                    new Option("one-core", "Keep one core busy"),
                    new Option("sleep", "Sleep"),
                    new Option("memory", "Hold memory near the limit"),
                    new Option("leak", "Hold steadily more memory"),
                    new Option("io", "Write synchronously"),
                    new Option("stalled", "Stop making progress"),
                    new Option("imbalanced", "Keep threads unevenly busy"))
                .withDefault("busy"),
            NumberField.of("seconds", "How long").withRange(0.5, 600).withDefault(1),
            IntegerField.of("work", "Problem size").withRange(1, 1_000_000).withDefault(100)));
  }

  @Override
  public ResourceProfile resources() {
    return ResourceProfile.cpu(1, 2, 4, 256, Duration.ofMinutes(1));
  }

  @Override
  public double problemSize(RunInputs inputs) {
    return inputs.integer("work");
  }

  @Override
  public Solver solver() {
    return ProbeApp::solve;
  }

  private static void solve(RunContext context) throws Exception {
    String behaviour = context.inputs().text("behaviour");
    double seconds = context.inputs().number("seconds");
    int cores = context.allocation().cores();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    List<long[]> hoard = new ArrayList<>();
    switch (behaviour) {
      case "busy", "stalled" -> spin(threads, cores, 1.0, stop);
      case "one-core" -> spin(threads, 1, 1.0, stop);
      case "imbalanced" -> {
        spin(threads, 1, 1.0, stop);
        spin(threads, cores - 1, 0.5, stop);
      }
      case "memory" -> {
        spin(threads, cores, 1.0, stop);
        long target = (long) (0.93 * capacity());
        while (used() < target) {
          hoard.add(new long[128 * 1024]);
          if (hoard.size() % 64 == 0) {
            System.gc();
          }
        }
        System.gc();
      }
      case "leak" -> spin(threads, cores, 1.0, stop);
      case "io" -> write(threads, cores, context.workDir(), stop);
      case "sleep" -> {}
      default -> throw new IllegalArgumentException("unknown behaviour " + behaviour);
    }
    long leakStep = (long) (0.6 * capacity() / Math.max(1, seconds * 4));
    try {
      long start = System.nanoTime();
      int steps = 0;
      while (System.nanoTime() < end) {
        context.checkCancelled();
        double done = (System.nanoTime() - start) / (seconds * 1e9);
        if (!"stalled".equals(behaviour) || done < 0.05) {
          context.progress(Math.min(0.99, "stalled".equals(behaviour) ? 0.3 : done), behaviour);
        }
        if ("leak".equals(behaviour)) {
          for (long added = 0; added < leakStep; added += 8L * 128 * 1024) {
            hoard.add(new long[128 * 1024]);
          }
          if (++steps % 4 == 0) {
            // What a real leak's churn does now and then: a collection that keeps the hoard.
            System.gc();
          }
        }
        Thread.sleep(250);
      }
    } finally {
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
    }
    context.metric("held_arrays", hoard.size());
    Files.writeString(
        context.outputDir().resolve("probe.txt"),
        String.format(Locale.ROOT, "%s for %.1f s on %d core(s)%n", behaviour, seconds, cores));
  }

  /** Threads writing synchronously, each to its own file, until stopped. */
  private static void write(List<Thread> threads, int count, Path dir, AtomicBoolean stop) {
    for (int i = 0; i < count; i++) {
      Path file = dir.resolve("probe-" + i + ".dat");
      Thread t =
          new Thread(
              () -> {
                ByteBuffer block = ByteBuffer.allocate(256 * 1024);
                try (FileChannel io =
                    FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.DSYNC)) {
                  while (!stop.get()) {
                    block.clear();
                    if (io.position() > 32L * 1024 * 1024) {
                      io.position(0);
                    }
                    io.write(block);
                  }
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              },
              "probe-io-" + i);
      t.start();
      threads.add(t);
    }
  }

  /** Threads busy for {@code duty} of each 100 ms. */
  private static void spin(List<Thread> threads, int count, double duty, AtomicBoolean stop) {
    for (int i = 0; i < count; i++) {
      Thread t =
          new Thread(
              () -> {
                long x = 0;
                while (!stop.get()) {
                  long busyUntil = System.nanoTime() + (long) (duty * 100_000_000L);
                  while (System.nanoTime() < busyUntil) {
                    x += System.nanoTime() % 7;
                  }
                  if (duty < 1.0) {
                    try {
                      Thread.sleep((long) ((1 - duty) * 100));
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                }
                if (x == 42) {
                  System.out.print("");
                }
              },
              "probe-" + threads.size());
      t.start();
      threads.add(t);
    }
  }

  /** What the heap can hold outside the nursery (as the worker measures it). */
  private static long capacity() {
    long capacity = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP
          && !pool.getName().toLowerCase(Locale.ROOT).contains("eden")) {
        capacity += Math.max(0, pool.getUsage().getMax());
      }
    }
    return capacity > 0 ? capacity : Runtime.getRuntime().maxMemory() * 2 / 3;
  }

  private static long used() {
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP
          && !pool.getName().toLowerCase(Locale.ROOT).contains("eden")) {
        used += pool.getUsage().getUsed();
      }
    }
    return used;
  }
}
