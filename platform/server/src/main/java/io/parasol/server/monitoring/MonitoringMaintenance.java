package io.parasol.server.monitoring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.parasol.server.common.WakeableLoop;
import io.parasol.server.run.RunService;
import io.parasol.server.run.RunState;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Background upkeep: downsamples long runs' old samples and deletes the series of runs past
 * retention; refreshes the platform gauges (runs by state, queue depth per partition) that {@code
 * /q/metrics} shows.
 */
@ApplicationScoped
public class MonitoringMaintenance {

  private static final Logger LOG = Logger.getLogger(MonitoringMaintenance.class);
  private static final Duration GAUGES = Duration.ofSeconds(10);

  private final SampleStore store;
  private final RunService runs;
  private final MonitoringConfig config;
  private final MultiGauge runsByState;
  private final MultiGauge queueDepth;
  private WakeableLoop upkeep;
  private WakeableLoop gauges;
  private volatile Instant retainedUpTo = Instant.EPOCH;

  MonitoringMaintenance(
      SampleStore store, RunService runs, MonitoringConfig config, MeterRegistry registry) {
    this.store = store;
    this.runs = runs;
    this.config = config;
    this.runsByState =
        MultiGauge.builder("parasol.runs")
            .description("Runs not yet finished, by state")
            .register(registry);
    this.queueDepth =
        MultiGauge.builder("parasol.queue.depth")
            .description("Runs waiting, per partition")
            .register(registry);
  }

  void start(@Observes StartupEvent event) {
    upkeep =
        new WakeableLoop(
            "parasol-sample-upkeep", config.storage().maintenanceInterval(), this::upkeep);
    upkeep.start();
    gauges = new WakeableLoop("parasol-platform-gauges", GAUGES, this::refreshGauges);
    gauges.start();
  }

  void stop(@Observes ShutdownEvent event) {
    if (upkeep != null) {
      upkeep.stop();
    }
    if (gauges != null) {
      gauges.stop();
    }
  }

  /** One round: downsample, then apply retention. */
  public void upkeep() {
    Instant now = Instant.now();
    Instant cutoff = now.minus(config.storage().rawWindow());
    Instant endedAfter = cutoff.minus(config.storage().maintenanceInterval().multipliedBy(3));
    long step = Math.max(1, config.storage().rollupStep().toSeconds());
    int replaced = 0;
    for (UUID id : runs.startedBefore(cutoff, endedAfter)) {
      replaced += store.downsample(id, cutoff, step);
    }
    Instant retention = now.minus(config.storage().retention());
    int deleted = 0;
    List<UUID> expired;
    do {
      expired = runs.endedBefore(retention, retainedUpTo, 500);
      deleted += store.delete(expired);
      if (expired.size() < 500) {
        retainedUpTo = retention.minus(config.storage().maintenanceInterval().multipliedBy(3));
      }
    } while (expired.size() == 500);
    if (replaced > 0 || deleted > 0) {
      LOG.infof(
          "monitoring upkeep: %d raw samples downsampled, %d samples past retention deleted",
          replaced, deleted);
    }
  }

  void refreshGauges() {
    Map<RunState, Map<String, Long>> counts = runs.activeCounts();
    runsByState.register(
        counts.entrySet().stream()
            .map(
                e ->
                    MultiGauge.Row.of(
                        Tags.of("state", e.getKey().name()),
                        e.getValue().values().stream().mapToLong(Long::longValue).sum()))
            .toList(),
        true);
    queueDepth.register(
        counts.get(RunState.QUEUED).entrySet().stream()
            .map(e -> MultiGauge.Row.of(Tags.of("partition", e.getKey()), e.getValue()))
            .toList(),
        true);
  }
}
