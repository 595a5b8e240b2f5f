package io.parasol.worker.monitor;

import io.parasol.protocol.MetricFrame;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Samples a running solver every interval and hands each {@link MetricFrame} to a sink: the process
 * tree (through {@link ProcessSampler}), the run's accelerator cards (through {@link
 * DeviceSampler}s), the last progress and the solver's own metrics since the previous frame.
 *
 * <p>It runs on one thread of its own, started by the worker before any plugin code runs.
 */
public final class Monitor implements AutoCloseable {

  /** The most distinct solver metric names a run may report; further names are dropped. */
  static final int MAX_SOLVER_METRICS = 50;

  private static final long OBSERVE_MILLIS = 100;

  private final ProcessSampler process;
  private final List<DeviceSampler> devices;
  private final Duration interval;
  private final Consumer<MetricFrame> sink;
  private final Map<String, Double> solverMetrics = new ConcurrentHashMap<>();
  private final Set<String> solverNames = ConcurrentHashMap.newKeySet();
  private volatile Double progress;
  private volatile Double framedProgress;
  private volatile Double problemSize;
  private ScheduledExecutorService timer;
  private long nextFrameNanos;
  private volatile int frames;

  Monitor(
      ProcessSampler process,
      List<DeviceSampler> devices,
      Duration interval,
      Consumer<MetricFrame> sink) {
    this.process = process;
    this.devices = List.copyOf(devices);
    this.interval = interval;
    this.sink = sink;
  }

  /**
   * A monitor of this worker process and its children on Linux.
   *
   * @param cores the allocated cores
   * @param memoryMb the memory limit in MiB
   * @param acceleratorKind the allocated accelerator kind, or null
   * @param samplers the device samplers to choose from
   * @param interval the sampling interval
   * @param sink receives each frame
   * @return the monitor, not yet started
   */
  public static Monitor forThisProcess(
      int cores,
      long memoryMb,
      String acceleratorKind,
      List<DeviceSampler> samplers,
      Duration interval,
      Consumer<MetricFrame> sink) {
    ProcessHandle self = ProcessHandle.current();
    ProcessSampler process =
        new ProcessSampler(
            Path.of("/proc"),
            () ->
                Stream.concat(Stream.of(self.pid()), self.descendants().map(ProcessHandle::pid))
                    .toList(),
            cores,
            heapCapacity() > 0 ? heapCapacity() : memoryMb * 1024 * 1024,
            Monitor::heapHeld,
            100,
            4096);
    List<DeviceSampler> applying =
        samplers.stream().filter(s -> s.applies(acceleratorKind)).toList();
    return new Monitor(process, applying, interval, sink);
  }

  /**
   * A monitor of a sandbox's process tree: the plugin JVM first (its heap, as it reports it, stands
   * for its memory), then every other process in the sandbox.
   *
   * @param root the sandbox's root process
   * @param pluginJvm picks the plugin JVM among the root's descendants
   * @param cores the allocated cores
   * @param heapHeld the plugin JVM's surviving heap, as last reported (negative: unknown)
   * @param memoryLimit the memory the solver's data may fill, as last known
   * @param acceleratorKind the allocated accelerator kind, or null
   * @param samplers the device samplers to choose from
   * @param interval the sampling interval
   * @param sink receives each frame
   * @return the monitor, not yet started
   */
  public static Monitor forProcessTree(
      java.util.function.Supplier<java.util.Optional<ProcessHandle>> root,
      java.util.function.Predicate<ProcessHandle> pluginJvm,
      int cores,
      java.util.function.LongSupplier heapHeld,
      java.util.function.LongSupplier memoryLimit,
      String acceleratorKind,
      List<DeviceSampler> samplers,
      Duration interval,
      Consumer<MetricFrame> sink) {
    ProcessSampler process =
        new ProcessSampler(
            Path.of("/proc"),
            () -> {
              java.util.Optional<ProcessHandle> top = root.get();
              if (top.isEmpty()) {
                return List.of();
              }
              List<ProcessHandle> all =
                  Stream.concat(Stream.of(top.get()), top.get().descendants()).toList();
              List<Long> pids = new java.util.ArrayList<>();
              all.stream().filter(pluginJvm).findFirst().ifPresent(p -> pids.add(p.pid()));
              all.stream()
                  .map(ProcessHandle::pid)
                  .filter(p -> !pids.contains(p))
                  .forEach(pids::add);
              return pids;
            },
            cores,
            memoryLimit,
            heapHeld,
            100,
            4096);
    List<DeviceSampler> applying =
        samplers.stream().filter(s -> s.applies(acceleratorKind)).toList();
    return new Monitor(process, applying, interval, sink);
  }

  /**
   * The JVM heap holding data that survived a collection: every heap pool but the nursery (eden),
   * where garbage is made and dropped.
   */
  public static long heapHeld() {
    long held = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && !isNursery(pool)) {
        held += pool.getUsage().getUsed();
      }
    }
    return held;
  }

  /**
   * How much surviving data the heap can hold before the JVM runs out of memory: the capacity of
   * the pools {@link #heapHeld()} counts (with {@code -Xmx} at the run's memory, about two thirds
   * of it under the serial collector); 0 when the JVM does not say.
   */
  public static long heapCapacity() {
    long capacity = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && !isNursery(pool)) {
        long max = pool.getUsage().getMax();
        if (max < 0) {
          return 0;
        }
        capacity += max;
      }
    }
    return capacity;
  }

  private static boolean isNursery(MemoryPoolMXBean pool) {
    return pool.getName().toLowerCase(java.util.Locale.ROOT).contains("eden");
  }

  /** Starts sampling: a baseline now, a frame every interval. */
  public void start() {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "parasol-monitor");
              t.setDaemon(true);
              return t;
            });
    long now = System.nanoTime();
    process.sample(now, new TreeSet<>());
    nextFrameNanos = now + interval.toNanos();
    timer.scheduleAtFixedRate(this::tick, OBSERVE_MILLIS, OBSERVE_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Records the solver's progress. */
  public void progress(double fraction) {
    progress = fraction;
  }

  /** Records the problem size the app reported for the run's inputs. */
  public void problemSize(double size) {
    if (Double.isFinite(size) && size > 0) {
      problemSize = size;
    }
  }

  /** Records a solver metric; the frame carries the last value since the previous frame. */
  public void solverMetric(String name, double value) {
    if (solverNames.contains(name) || solverNames.size() < MAX_SOLVER_METRICS) {
      solverNames.add(name);
      solverMetrics.put(name, value);
    }
  }

  private void tick() {
    try {
      process.observe();
      long now = System.nanoTime();
      if (now >= nextFrameNanos) {
        nextFrameNanos += interval.toNanos();
        if (nextFrameNanos < now) {
          nextFrameNanos = now + interval.toNanos();
        }
        sink.accept(frame(now));
        frames++;
      }
    } catch (RuntimeException e) {
      System.err.println("parasol-worker: a sample failed: " + e);
    }
  }

  MetricFrame frame(long nowNanos) {
    return frame(nowNanos, false);
  }

  /**
   * One frame; the last one, taken after the solver's process ended, leaves out what could no
   * longer be read of it instead of calling it unavailable.
   */
  private MetricFrame frame(long nowNanos, boolean last) {
    Set<String> unavailable = new TreeSet<>();
    Map<String, Double> values =
        new HashMap<>(process.sample(nowNanos, last ? new TreeSet<>() : unavailable));
    for (DeviceSampler device : devices) {
      try {
        Map<String, Double> read = device.sample();
        values.putAll(read);
        for (String name : device.names()) {
          if (!read.containsKey(name)) {
            unavailable.add(name);
          }
        }
      } catch (Exception e) {
        unavailable.addAll(device.names());
      }
    }
    Double p = progress;
    if (p != null) {
      values.put(MetricFrame.PROGRESS, p);
    }
    framedProgress = p;
    Double size = problemSize;
    if (size != null) {
      values.put(MetricFrame.PROBLEM_SIZE, size);
    }
    for (String name : new ArrayList<>(solverMetrics.keySet())) {
      Double v = solverMetrics.remove(name);
      if (v != null) {
        values.put(MetricFrame.SOLVER + name, v);
      }
    }
    return new MetricFrame(
        Instant.now(), values, unavailable.isEmpty() ? null : List.copyOf(unavailable));
  }

  /** Stops sampling after one last frame. */
  @Override
  public void close() {
    if (timer == null) {
      return;
    }
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long now = System.nanoTime();
    // A last frame when it covers at least half an interval (a shorter one would judge the solver's
    // own teardown), when it would be the run's only one, or when the progress moved since the
    // last (it arrives from the sandboxed plugin process a moment after the solver said it).
    if (frames == 0
        || now >= nextFrameNanos - interval.toNanos() / 2
        || !java.util.Objects.equals(progress, framedProgress)) {
      sink.accept(frame(now, true));
    }
    devices.forEach(DeviceSampler::close);
  }
}
