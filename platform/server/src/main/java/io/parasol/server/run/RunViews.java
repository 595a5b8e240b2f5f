package io.parasol.server.run;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the run API answers. */
public final class RunViews {

  private RunViews() {}

  /**
   * A launch request.
   *
   * @param appId the app to run
   * @param version a published version; the newest when absent
   * @param inputs the form's values, plus the platform's {@code cores}, {@code wallTimeMinutes} and
   *     {@code partition}
   */
  public record LaunchRequest(String appId, String version, Map<String, Object> inputs) {}

  /**
   * The resources of a run.
   *
   * @param cores CPU cores
   * @param memoryMb memory limit
   * @param wallTimeMinutes wall-time limit
   * @param backend the compute backend
   * @param partition the partition
   * @param cluster the partition's cluster
   * @param accelerator the accelerator, if the run asked for one
   */
  public record Resources(
      int cores,
      long memoryMb,
      double wallTimeMinutes,
      String backend,
      String partition,
      String cluster,
      io.parasol.plugin.api.Accelerator accelerator) {}

  /**
   * A state change.
   *
   * @param from the previous state, null for the first
   * @param to the new state
   * @param at when
   * @param reason why
   */
  public record Transition(RunState from, RunState to, Instant at, String reason) {}

  /**
   * A run.
   *
   * @param id the run id
   * @param org the owning org
   * @param createdBy who launched it
   * @param appId the app
   * @param appVersion the pinned app version
   * @param pluginId the pinned plugin upload
   * @param jarSha256 the pinned jar's SHA-256
   * @param state the state
   * @param progress the fraction done
   * @param progressMessage the last progress message
   * @param reason why it is in its state (failures, cancellations)
   * @param inputs the validated inputs
   * @param inputFiles file inputs: field id to workspace file name
   * @param resources the allocation and placement
   * @param attempt how many times it was (re)started
   * @param createdAt launch time
   * @param scheduledAt when a worker was started
   * @param startedAt when the solver started
   * @param finishedAt when it ended
   * @param transitions every state change
   * @param hold the amount held on the org's account at launch
   * @param settledAt when the run's usage was charged
   */
  public record RunView(
      UUID id,
      String org,
      String createdBy,
      String appId,
      String appVersion,
      UUID pluginId,
      String jarSha256,
      RunState state,
      double progress,
      String progressMessage,
      String reason,
      Map<String, Object> inputs,
      Map<String, String> inputFiles,
      Resources resources,
      io.parasol.server.scheduling.Placement.Decision placement,
      int attempt,
      Instant createdAt,
      Instant scheduledAt,
      Instant startedAt,
      Instant finishedAt,
      List<Transition> transitions,
      java.math.BigDecimal hold,
      Instant settledAt) {}

  /**
   * An output file.
   *
   * @param name the file name (may contain '/')
   * @param sizeBytes its size
   * @param sha256 its hash
   * @param contentType its media type
   * @param href where to download it
   */
  public record Output(
      String name, long sizeBytes, String sha256, String contentType, String href) {}
}
