package io.parasol.worker.monitor;

import io.parasol.protocol.MetricFrame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Reads the solver's process tree from Linux {@code /proc}: CPU time as utilisation of the
 * allocated cores and its spread over the busiest threads, memory, storage I/O, threads, and how
 * many threads are blocked on I/O. The kernel's per-task delay accounting is usually off, so time
 * blocked on I/O is estimated by looking at the threads' states ten times a second (as {@code top}
 * and {@code vmstat} count blocked tasks); {@link #observe()} does that.
 *
 * <p>Not thread-safe: one sampling thread calls {@link #observe()} and {@link #sample}.
 */
final class ProcessSampler {

  /** Threads at least this busy count for the spread; JVM housekeeping threads stay below. */
  static final double ACTIVE_THREAD = 0.25;

  private final Path proc;
  private final Supplier<List<Long>> tree;
  private final int cores;
  private final LongSupplier limitBytes;
  private final LongSupplier heldByJvm;
  private final double ticksPerSecond;
  private final long pageBytes;

  private long lastNanos = -1;
  private final Map<Long, Long> lastProcessTicks = new HashMap<>();
  private Map<String, Long> lastThreadTicks = new HashMap<>();
  private long lastRead = -1;
  private long lastWritten = -1;
  private long observations;
  private long blockedSeen;

  /**
   * @param proc the proc file system root ({@code /proc}; a directory of recorded files in tests)
   * @param tree the process ids of the solver's tree, the worker first
   * @param cores the allocated cores
   * @param limitBytes the memory limit
   * @param heldByJvm bytes the worker's own JVM holds for the solver (heap that survived a
   *     collection), or a negative number to count the worker's RSS instead
   * @param ticksPerSecond the kernel's clock ticks per second ({@code getconf CLK_TCK})
   * @param pageBytes the page size
   */
  ProcessSampler(
      Path proc,
      Supplier<List<Long>> tree,
      int cores,
      long limitBytes,
      LongSupplier heldByJvm,
      double ticksPerSecond,
      long pageBytes) {
    this.proc = proc;
    this.tree = tree;
    this.cores = Math.max(1, cores);
    this.limitBytes = () -> limitBytes;
    this.heldByJvm = heldByJvm;
    this.ticksPerSecond = ticksPerSecond;
    this.pageBytes = pageBytes;
  }

  /** As the other constructor, with a memory limit known only later (a sandboxed JVM's). */
  ProcessSampler(
      Path proc,
      Supplier<List<Long>> tree,
      int cores,
      LongSupplier limitBytes,
      LongSupplier heldByJvm,
      double ticksPerSecond,
      long pageBytes) {
    this.proc = proc;
    this.tree = tree;
    this.cores = Math.max(1, cores);
    this.limitBytes = limitBytes;
    this.heldByJvm = heldByJvm;
    this.ticksPerSecond = ticksPerSecond;
    this.pageBytes = pageBytes;
  }

  /** Counts the tree's threads blocked on I/O (state {@code D}) at this instant. */
  void observe() {
    long blocked = 0;
    for (long pid : tree.get()) {
      for (Path task : tasks(pid)) {
        try {
          if (ProcStat.parse(Files.readString(task.resolve("stat"))).state() == 'D') {
            blocked++;
          }
        } catch (IOException | RuntimeException e) {
          // the thread ended between listing and reading
        }
      }
    }
    observations++;
    blockedSeen += blocked;
  }

  /**
   * Takes one sample. The first call only sets the baseline of the rates and reports the levels.
   *
   * @param nowNanos a monotonic clock reading
   * @param unavailable receives the names of metrics that could not be read
   * @return values by name
   */
  Map<String, Double> sample(long nowNanos, Set<String> unavailable) {
    Map<String, Double> values = new HashMap<>();
    List<Long> pids = tree.get();
    double seconds = lastNanos < 0 ? 0 : (nowNanos - lastNanos) / 1e9;
    lastNanos = nowNanos;

    long ticksDelta = 0;
    long threads = 0;
    long rssPages = 0;
    long childRssPages = 0;
    boolean statOk = !pids.isEmpty();
    Map<Long, Long> processTicks = new HashMap<>();
    for (int i = 0; i < pids.size(); i++) {
      long pid = pids.get(i);
      try {
        ProcStat stat = ProcStat.parse(Files.readString(proc.resolve(pid + "/stat")));
        processTicks.put(pid, stat.cpuTicks());
        Long before = lastProcessTicks.get(pid);
        ticksDelta += Math.max(0, stat.cpuTicks() - (before == null ? 0 : before));
        threads += stat.threads();
        rssPages += stat.rssPages();
        if (i > 0) {
          childRssPages += stat.rssPages();
        }
      } catch (IOException | RuntimeException e) {
        if (i == 0) {
          statOk = false;
        }
      }
    }
    boolean firstSample = lastProcessTicks.isEmpty();
    lastProcessTicks.clear();
    lastProcessTicks.putAll(processTicks);

    Map<String, Long> threadTicks = new HashMap<>();
    for (long pid : pids) {
      for (Path task : tasks(pid)) {
        try {
          threadTicks.put(
              pid + "/" + task.getFileName(),
              ProcStat.parse(Files.readString(task.resolve("stat"))).cpuTicks());
        } catch (IOException | RuntimeException e) {
          // ended meanwhile
        }
      }
    }

    if (!statOk) {
      unavailable.addAll(
          List.of(
              MetricFrame.CPU_UTILISATION,
              MetricFrame.CORE_SPREAD,
              MetricFrame.THREADS,
              MetricFrame.MEMORY_RSS));
    } else {
      values.put(MetricFrame.THREADS, (double) threads);
      values.put(MetricFrame.MEMORY_RSS, (double) rssPages * pageBytes);
      if (!firstSample && seconds > 0) {
        values.put(MetricFrame.CPU_UTILISATION, ticksDelta / ticksPerSecond / seconds / cores);
        values.put(MetricFrame.CORE_SPREAD, spread(threadTicks, seconds));
      }
    }
    lastThreadTicks = threadTicks;

    long jvm = heldByJvm.getAsLong();
    if (jvm >= 0) {
      values.put(MetricFrame.MEMORY_USED, (double) jvm + childRssPages * pageBytes);
    } else if (statOk) {
      values.put(MetricFrame.MEMORY_USED, (double) rssPages * pageBytes);
    } else {
      unavailable.add(MetricFrame.MEMORY_USED);
    }
    values.put(MetricFrame.MEMORY_LIMIT, (double) limitBytes.getAsLong());

    long read = 0;
    long written = 0;
    boolean ioOk = true;
    for (long pid : pids) {
      try {
        for (String line : Files.readAllLines(proc.resolve(pid + "/io"))) {
          if (line.startsWith("read_bytes:")) {
            read += Long.parseLong(line.substring(11).strip());
          } else if (line.startsWith("write_bytes:")) {
            written += Long.parseLong(line.substring(12).strip());
          }
        }
      } catch (IOException | RuntimeException e) {
        ioOk = false;
      }
    }
    if (!ioOk) {
      unavailable.addAll(List.of(MetricFrame.IO_READ, MetricFrame.IO_WRITE));
      lastRead = -1;
    } else {
      if (lastRead >= 0 && seconds > 0) {
        values.put(MetricFrame.IO_READ, Math.max(0, read - lastRead) / seconds);
        values.put(MetricFrame.IO_WRITE, Math.max(0, written - lastWritten) / seconds);
      }
      lastRead = read;
      lastWritten = written;
    }

    if (observations > 0) {
      values.put(MetricFrame.IO_WAIT, (double) blockedSeen / observations / cores);
    } else if (!firstSample) {
      unavailable.add(MetricFrame.IO_WAIT);
    }
    observations = 0;
    blockedSeen = 0;
    return values;
  }

  /**
   * Max − min utilisation over the busiest threads (one per core) that are at least a quarter busy.
   */
  private double spread(Map<String, Long> threadTicks, double seconds) {
    List<Double> busy = new ArrayList<>();
    threadTicks.forEach(
        (id, ticks) -> {
          Long before = lastThreadTicks.get(id);
          if (before != null) {
            busy.add(Math.max(0, ticks - before) / ticksPerSecond / seconds);
          }
        });
    busy.sort((a, b) -> Double.compare(b, a));
    List<Double> active =
        busy.subList(0, Math.min(cores, busy.size())).stream()
            .filter(u -> u >= ACTIVE_THREAD)
            .map(u -> Math.min(1.0, u))
            .toList();
    if (active.size() < 2) {
      return 0;
    }
    return active.get(0) - active.get(active.size() - 1);
  }

  private List<Path> tasks(long pid) {
    try (var list = Files.list(proc.resolve(pid + "/task"))) {
      return list.toList();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }
}
