package io.parasol.worker.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parasol.protocol.MetricFrame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process sampler on a recorded /proc tree whose counters the test advances. */
class ProcessSamplerTest {

  @TempDir Path proc;

  /** Writes process 100's stat, io and three threads' stat lines. */
  void write(long utime, long stime, long[] threadTicks, char[] states, long read, long written)
      throws IOException {
    Path p = proc.resolve("100");
    Files.createDirectories(p);
    Files.writeString(p.resolve("stat"), stat(100, "java (worker)", 'S', utime, stime, 3, 2560));
    Files.writeString(
        p.resolve("io"),
        "rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: "
            + read
            + "\nwrite_bytes: "
            + written
            + "\ncancelled_write_bytes: 0\n");
    for (int i = 0; i < threadTicks.length; i++) {
      Path t = p.resolve("task/" + (100 + i));
      Files.createDirectories(t);
      Files.writeString(
          t.resolve("stat"), stat(100 + i, "t" + i, states[i], threadTicks[i], 0, 1, 0));
    }
  }

  static String stat(
      long pid, String comm, char state, long utime, long stime, long threads, long rss) {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    // cutime cstime priority nice num_threads itrealvalue starttime vsize rss ...
    return pid
        + " ("
        + comm
        + ") "
        + state
        + " 1 1 1 0 -1 0 0 0 0 0 "
        + utime
        + " "
        + stime
        + " 0 0 20 0 "
        + threads
        + " 0 100 1000000 "
        + rss
        + " 18446744073709551615 0 0\n";
  }

  ProcessSampler sampler(long held) {
    return new ProcessSampler(proc, () -> List.of(100L), 2, 1000L * 4096, () -> held, 100, 4096);
  }

  @Test
  void cpuSpreadMemoryAndIoOverAnInterval() throws IOException {
    ProcessSampler s = sampler(500L * 4096);
    write(1000, 0, new long[] {500, 500, 0}, new char[] {'R', 'R', 'S'}, 0, 0);
    Set<String> unavailable = new TreeSet<>();
    Map<String, Double> first = s.sample(0, unavailable);
    assertFalse(first.containsKey(MetricFrame.CPU_UTILISATION), "a rate needs two samples");
    assertEquals(3.0, first.get(MetricFrame.THREADS));
    assertEquals(2560.0 * 4096, first.get(MetricFrame.MEMORY_RSS));

    // One second later: thread 0 used 100 ticks (a full core), thread 1 50, thread 2 none;
    // thread 1 was seen blocked on I/O in 2 of 4 looks.
    write(1150, 0, new long[] {600, 550, 0}, new char[] {'R', 'D', 'S'}, 4096, 8192);
    s.observe();
    s.observe();
    write(1150, 0, new long[] {600, 550, 0}, new char[] {'R', 'S', 'S'}, 4096, 8192);
    s.observe();
    s.observe();
    Map<String, Double> v = s.sample(1_000_000_000L, unavailable);
    assertEquals(0.75, v.get(MetricFrame.CPU_UTILISATION), 1e-9);
    assertEquals(0.5, v.get(MetricFrame.CORE_SPREAD), 1e-9);
    assertEquals(4096.0, v.get(MetricFrame.IO_READ), 1e-9);
    assertEquals(8192.0, v.get(MetricFrame.IO_WRITE), 1e-9);
    assertEquals(2.0 / 4 / 2, v.get(MetricFrame.IO_WAIT), 1e-9);
    assertEquals(500.0 * 4096, v.get(MetricFrame.MEMORY_USED));
    assertEquals(1000.0 * 4096, v.get(MetricFrame.MEMORY_LIMIT));
    assertTrue(unavailable.isEmpty(), unavailable.toString());
  }

  @Test
  void oneBusyThreadHasNoSpread() throws IOException {
    ProcessSampler s = sampler(0);
    write(0, 0, new long[] {0, 0, 0}, new char[] {'R', 'S', 'S'}, 0, 0);
    s.sample(0, new TreeSet<>());
    write(110, 0, new long[] {100, 10, 0}, new char[] {'R', 'S', 'S'}, 0, 0);
    Map<String, Double> v = s.sample(1_000_000_000L, new TreeSet<>());
    assertEquals(0.55, v.get(MetricFrame.CPU_UTILISATION), 1e-9);
    assertEquals(0.0, v.get(MetricFrame.CORE_SPREAD), "a thread at 10% is not a busy core");
  }

  @Test
  void whatCannotBeReadIsReportedUnavailable() throws IOException {
    ProcessSampler s = sampler(-1);
    Set<String> unavailable = new TreeSet<>();
    Map<String, Double> v = s.sample(0, unavailable);
    assertTrue(
        unavailable.containsAll(
            Set.of(MetricFrame.CPU_UTILISATION, MetricFrame.IO_READ, MetricFrame.MEMORY_USED)),
        unavailable.toString());
    assertFalse(v.containsKey(MetricFrame.CPU_UTILISATION));
    assertFalse(v.containsKey(MetricFrame.IO_READ));
  }

  @Test
  void parsesACommandNameWithSpacesAndParentheses() {
    ProcStat st = ProcStat.parse(stat(7, "a (b) c", 'D', 12, 3, 5, 9));
    assertEquals('D', st.state());
    assertEquals(15, st.cpuTicks());
    assertEquals(5, st.threads());
    assertEquals(9, st.rssPages());
  }

  @Test
  void samplesThisJvmForReal() {
    java.util.List<io.parasol.protocol.MetricFrame> frames = new java.util.ArrayList<>();
    Monitor m =
        Monitor.forThisProcess(
            1, 256, null, List.of(), java.time.Duration.ofSeconds(1), frames::add);
    m.start();
    long end = System.nanoTime() + 1_700_000_000L;
    long x = 0;
    while (System.nanoTime() < end) {
      x += System.nanoTime() % 3;
    }
    m.progress(0.5);
    m.solverMetric("residual", 1e-3);
    m.close();
    assertTrue(x > 0);
    MetricFrame last = frames.get(frames.size() - 1);
    assertTrue(last.values().get(MetricFrame.CPU_UTILISATION) > 0.3, last.toString());
    assertEquals(0.5, last.values().get(MetricFrame.PROGRESS));
    assertEquals(1e-3, last.values().get(MetricFrame.SOLVER + "residual"));
    assertTrue(last.values().get(MetricFrame.MEMORY_USED) > 0);
  }
}
