package io.parasol.plugin.testkit;

import io.parasol.plugin.api.Allocation;
import io.parasol.plugin.api.LogLevel;
import io.parasol.plugin.api.RunContext;
import io.parasol.plugin.api.RunInputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A {@link RunContext} for tests: the platform's contract (progress within 0..1, finite metrics)
 * checked as the worker checks it, and everything the solver reports recorded for assertions.
 * Thread-safe, like the worker's.
 */
public final class RecordingRunContext implements RunContext {

  /**
   * A progress report.
   *
   * @param fraction the fraction done, 0 to 1
   * @param message what the solver said
   * @param at when
   */
  public record Progress(double fraction, String message, Instant at) {}

  /**
   * A metric sample.
   *
   * @param name the metric, for example {@code residual}
   * @param value its value
   * @param at when
   */
  public record Metric(String name, double value, Instant at) {}

  /**
   * A log line.
   *
   * @param level its level
   * @param message the text
   */
  public record LogLine(LogLevel level, String message) {}

  private final RunInputs inputs;
  private final Path workDir;
  private final Path outputDir;
  private final Allocation allocation;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final List<Progress> progress = new ArrayList<>();
  private final List<Metric> metrics = new ArrayList<>();
  private final List<LogLine> logs = new ArrayList<>();

  /**
   * A context whose work directory is {@code workDir} and whose outputs go to {@code
   * workDir/outputs}.
   *
   * @param inputs the validated inputs
   * @param workDir the run's work directory (created when missing)
   * @param allocation the resources the run gets
   */
  public RecordingRunContext(RunInputs inputs, Path workDir, Allocation allocation) {
    this.inputs = Objects.requireNonNull(inputs, "inputs");
    this.workDir = Objects.requireNonNull(workDir, "workDir");
    this.outputDir = workDir.resolve("outputs");
    this.allocation = Objects.requireNonNull(allocation, "allocation");
    try {
      Files.createDirectories(outputDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

  /**
   * Records progress.
   *
   * @throws IllegalArgumentException when the fraction is not between 0 and 1, as the platform
   *     would ignore it
   */
  @Override
  public synchronized void progress(double fraction, String message) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("progress must be between 0 and 1, got " + fraction);
    }
    progress.add(new Progress(fraction, message, Instant.now()));
  }

  /**
   * Records a metric sample.
   *
   * @throws IllegalArgumentException when the value is not finite, as the platform would drop it
   */
  @Override
  public synchronized void metric(String name, double value) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a metric needs a name");
    }
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("metric " + name + " is not finite: " + value);
    }
    metrics.add(new Metric(name, value, Instant.now()));
  }

  @Override
  public synchronized void log(LogLevel level, String message) {
    logs.add(new LogLine(level, message));
  }

  @Override
  public boolean isCancelled() {
    return cancelled.get();
  }

  /** Cancels the run, as an engineer pressing Cancel would: the solver should stop soon. */
  public void cancel() {
    cancelled.set(true);
  }

  /** Every progress report, in order. */
  public synchronized List<Progress> progress() {
    return List.copyOf(progress);
  }

  /** Every metric sample, in order. */
  public synchronized List<Metric> metrics() {
    return List.copyOf(metrics);
  }

  /** The samples of one metric, in order. */
  public synchronized List<Double> metric(String name) {
    return metrics.stream().filter(m -> m.name().equals(name)).map(Metric::value).toList();
  }

  /** Every log line, in order. */
  public synchronized List<LogLine> logs() {
    return List.copyOf(logs);
  }

  /** The output files the solver wrote, relative to the output directory, sorted. */
  public List<String> outputs() {
    try (Stream<Path> files = Files.walk(outputDir)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> outputDir.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One output file. */
  public Path output(String name) {
    return outputDir.resolve(name);
  }
}
