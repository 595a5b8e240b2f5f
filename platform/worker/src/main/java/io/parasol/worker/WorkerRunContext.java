package io.parasol.worker;

import io.parasol.plugin.api.Allocation;
import io.parasol.plugin.api.LogLevel;
import io.parasol.plugin.api.RunContext;
import io.parasol.plugin.api.RunInputs;
import io.parasol.protocol.RunEvent;
import io.parasol.worker.monitor.Monitor;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The worker's {@link RunContext}: turns the solver's calls into queued events, and caps how many
 * log bytes a solver may produce. Progress and solver metrics also go to the run's {@link Monitor}
 * (when there is one), which reports them in its samples. Nothing here does I/O on the solver's
 * thread, so the sandbox never sees plugin frames on a privileged path.
 */
final class WorkerRunContext implements RunContext {

  private static final int MAX_LINE = 4_000;

  private final RunInputs inputs;
  private final Path workDir;
  private final Path outputDir;
  private final Allocation allocation;
  private final Consumer<RunEvent> sink;
  private final AtomicBoolean cancelled;
  private final long maxLogBytes;
  private final AtomicLong logBytes = new AtomicLong();
  private final AtomicBoolean logTruncated = new AtomicBoolean();
  private final Monitor monitor;

  WorkerRunContext(
      RunInputs inputs,
      Path workDir,
      Path outputDir,
      Allocation allocation,
      Consumer<RunEvent> sink,
      AtomicBoolean cancelled,
      long maxLogBytes,
      Monitor monitor) {
    this.monitor = monitor;
    this.inputs = inputs;
    this.workDir = workDir;
    this.outputDir = outputDir;
    this.allocation = allocation;
    this.sink = sink;
    this.cancelled = cancelled;
    this.maxLogBytes = maxLogBytes;
  }

  @Override
  public RunInputs inputs() {
    return inputs;
  }

  @Override
  public Path workDir() {
    return workDir;
  }

  @Override
  public Path outputDir() {
    return outputDir;
  }

  @Override
  public Allocation allocation() {
    return allocation;
  }

  @Override
  public void progress(double fraction, String message) {
    if (!Double.isFinite(fraction)) {
      return;
    }
    double clamped = Math.max(0, Math.min(1, fraction));
    if (monitor != null) {
      monitor.progress(clamped);
    }
    sink.accept(RunEvent.progress(clamped, truncate(message)));
  }

  @Override
  public void metric(String name, double value) {
    if (name == null || name.isBlank() || name.length() > 100 || !Double.isFinite(value)) {
      return;
    }
    if (monitor != null) {
      monitor.solverMetric(name, value);
    } else {
      sink.accept(RunEvent.metric(name, value));
    }
  }

  @Override
  public void log(LogLevel level, String message) {
    String line = truncate(message);
    if (logBytes.addAndGet(line.length() + 1) > maxLogBytes) {
      if (logTruncated.compareAndSet(false, true)) {
        sink.accept(
            RunEvent.log(
                LogLevel.WARN.name(),
                "log truncated: the run wrote more than " + maxLogBytes + " bytes"));
      }
      return;
    }
    sink.accept(RunEvent.log((level == null ? LogLevel.INFO : level).name(), line));
  }

  @Override
  public boolean isCancelled() {
    return cancelled.get();
  }

  private static String truncate(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= MAX_LINE ? s : s.substring(0, MAX_LINE) + "…";
  }
}
