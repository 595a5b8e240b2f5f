package io.parasol.server.monitoring;

import io.parasol.protocol.MetricFrame;
import io.parasol.server.run.RunViews.MonitoredRun;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The recent samples of one running run, kept in memory by the replica that receives them (and
 * rebuilt from storage by another), with what the rules need beyond them: when progress last moved,
 * the expected rate, and which findings are open.
 */
final class RunWindow {

  final MonitoredRun run;
  private final int capacity;
  private final ArrayDeque<Frame> frames = new ArrayDeque<>();
  private Double lastProgress;
  private Instant progressSince;
  Double problemSize;
  Double expectedRate;
  final Set<String> open = new HashSet<>();

  /** Judgements in a row at which each rule held, or did not. */
  final java.util.Map<String, Integer> held = new java.util.HashMap<>();

  final java.util.Map<String, Integer> missed = new java.util.HashMap<>();

  /** When each open finding was last written. */
  final java.util.Map<String, Instant> refreshed = new java.util.HashMap<>();

  boolean problemSizeRecorded;

  /** Whether the next frame is the run's first, to be skipped; false for a rebuilt window. */
  boolean warmUp = true;

  RunWindow(MonitoredRun run, int capacity) {
    this.run = run;
    this.capacity = Math.max(2, capacity);
    this.problemSize = run.problemSize();
    this.problemSizeRecorded = run.problemSize() != null;
  }

  /**
   * Adds a frame; frames at or before the last one (a retried batch) are ignored, and so is the
   * run's first frame, which covers the solver's warm-up (thread start, class loading, JIT).
   */
  boolean add(Frame frame) {
    Frame last = frames.peekLast();
    if (last != null && !frame.at().isAfter(last.at())) {
      return false;
    }
    if (warmUp) {
      warmUp = false;
      return false;
    }
    frames.addLast(frame);
    while (frames.size() > capacity) {
      frames.removeFirst();
    }
    Double p = frame.get(MetricFrame.PROGRESS);
    if (p != null && (lastProgress == null || Math.abs(p - lastProgress) > 1e-9)) {
      lastProgress = p;
      progressSince = frame.at();
    }
    Double size = frame.get(MetricFrame.PROBLEM_SIZE);
    if (size != null && size > 0 && problemSize == null) {
      problemSize = size;
    }
    return true;
  }

  List<Frame> frames() {
    return new ArrayList<>(frames);
  }

  Instant progressSince() {
    return progressSince;
  }

  Double lastProgress() {
    return lastProgress;
  }

  /**
   * Progress per second over the last {@code samples} frames that carry progress, or null until
   * there are that many (a rate over fewer samples is too noisy to judge a run by).
   */
  Double observedRate(int samples) {
    List<Frame> withProgress =
        frames.stream().filter(f -> f.get(MetricFrame.PROGRESS) != null).toList();
    if (withProgress.size() < Math.max(3, samples)) {
      return null;
    }
    List<Frame> recent =
        withProgress.subList(Math.max(0, withProgress.size() - samples), withProgress.size());
    Frame first = recent.get(0);
    Frame last = recent.get(recent.size() - 1);
    double seconds = (last.at().toEpochMilli() - first.at().toEpochMilli()) / 1000.0;
    if (seconds <= 0 || last.get(MetricFrame.PROGRESS) >= 1.0) {
      return null;
    }
    return Math.max(0, last.get(MetricFrame.PROGRESS) - first.get(MetricFrame.PROGRESS)) / seconds;
  }
}
