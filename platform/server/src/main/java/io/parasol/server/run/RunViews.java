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
   * @param inputs the form's values, plus the platform's {@code cores}, {@code wallTimeMinutes},
   *     {@code partition} and {@code accelerator}
   * @param objective what placement optimises: {@code balanced} (the default), {@code fastest} or
   *     {@code cheapest}
   * @param priority {@code low}, {@code normal} (the default) or {@code high}, up to what the org's
   *     policy allows
   */
  public record LaunchRequest(
      String appId, String version, Map<String, Object> inputs, String objective, String priority) {

    /** A request with the default objective and priority. */
    public LaunchRequest(String appId, String version, Map<String, Object> inputs) {
      this(appId, version, inputs, null, null);
    }
  }

  /**
   * A quote: the price of a launch where Parasol would place it, and the other choices.
   *
   * @param currency the currency
   * @param partition the partition Parasol would pick
   * @param coreHourPrice its core-hour price in force
   * @param cardHourPrice its card-hour price in force
   * @param licence the app's licence fee
   * @param expected the price at the app's expected wall time
   * @param maximum the most the run can cost (what a launch holds)
   * @param objective the objective the pick was made under
   * @param reason why that partition
   * @param choices the best candidates, best first, with the fastest-versus-cheapest front marked
   */
  public record QuoteView(
      String currency,
      String partition,
      java.math.BigDecimal coreHourPrice,
      java.math.BigDecimal cardHourPrice,
      io.parasol.server.billing.BillingViews.LicenceView licence,
      io.parasol.server.billing.BillingViews.Amounts expected,
      io.parasol.server.billing.BillingViews.Amounts maximum,
      String objective,
      String reason,
      List<Choice> choices) {}

  /**
   * One candidate partition of a quote.
   *
   * @param partition the partition
   * @param cluster its cluster
   * @param region its region
   * @param predictedStart when the run is predicted to start there
   * @param predictedFinish when it is predicted to finish
   * @param predictedWaitSeconds the predicted queue wait
   * @param predictedRunSeconds the predicted run time
   * @param cost the predicted compute cost at that run time, plus moving the inputs
   * @param front whether no other candidate is both sooner and cheaper
   * @param pick whether Parasol would pick it
   */
  public record Choice(
      String partition,
      String cluster,
      String region,
      Instant predictedStart,
      Instant predictedFinish,
      double predictedWaitSeconds,
      double predictedRunSeconds,
      java.math.BigDecimal cost,
      boolean front,
      boolean pick) {}

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
   * @param priority its queue priority
   * @param placement where placement put it and why: the scores and every rejected partition
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
      String priority,
      io.parasol.scheduling.Placement.Decision placement,
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

  /**
   * What monitoring needs to know about a run.
   *
   * @param id the run
   * @param org the org that launched it
   * @param appId the app
   * @param partition the partition it was placed on
   * @param cores allocated cores
   * @param memoryMb memory limit in MiB
   * @param cardKind the accelerator kind, or null
   * @param cards allocated accelerator cards
   * @param wallTimeSeconds the wall-time limit
   * @param predictedRunSeconds the predicted run time, or null
   * @param state its state
   * @param startedAt when its solver started, or null
   * @param problemSize the problem size the app reported, or null
   */
  public record MonitoredRun(
      UUID id,
      String org,
      String appId,
      String partition,
      int cores,
      long memoryMb,
      String cardKind,
      int cards,
      long wallTimeSeconds,
      Double predictedRunSeconds,
      RunState state,
      Instant startedAt,
      Double problemSize) {

    static MonitoredRun of(Run run) {
      return new MonitoredRun(
          run.id,
          run.org,
          run.appId,
          run.partitionName,
          run.cores,
          run.memoryMb,
          run.acceleratorKind == null ? null : run.acceleratorKind.name(),
          run.acceleratorCount,
          run.wallTimeSeconds,
          run.predictedRunSeconds,
          run.state,
          run.startedAt,
          run.problemSize);
    }
  }

  /**
   * A run that finished well, as the performance model learns from it.
   *
   * @param problemSize the problem size, 0 when the app reports none
   * @param cores its cores
   * @param seconds from the solver's start to the end
   */
  public record CompletedRun(double problemSize, int cores, double seconds) {}
}
