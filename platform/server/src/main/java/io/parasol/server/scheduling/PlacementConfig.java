package io.parasol.server.scheduling;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** How placement predicts and scores, and how waiting runs are moved. */
@ConfigMapping(prefix = "parasol.placement")
public interface PlacementConfig {

  /**
   * Whether this replica dispatches runs. A replica that does not still takes launches and worker
   * reports (an API-only replica); at least one replica of a deployment must dispatch.
   */
  @WithDefault("true")
  boolean dispatch();

  /** The objective when a launch names none: balanced, fastest or cheapest. */
  @WithDefault("balanced")
  String defaultObjective();

  /** The region the server's workspace files are held in (an org's policy may say otherwise). */
  @WithDefault("local")
  String dataRegion();

  /** How long a snapshot of the registry, prices and queues serves placements. */
  @WithDefault("1S")
  Duration snapshotTtl();

  /** How many of an app's past runs feed its run-time prediction. */
  @WithDefault("50")
  int historyRuns();

  /** The link between regions that have none of their own. */
  Link defaultLink();

  /** Links between regions, keyed {@code regionA--regionB} (both ways). */
  Map<String, Link> links();

  /** Moving waiting runs. */
  Rebalancing rebalance();

  /** A network link. */
  interface Link {
    /** Latency. */
    @WithDefault("100ms")
    Duration latency();

    /** Sustained rate in MB (10^6 bytes) per second. */
    @WithDefault("100")
    double bandwidthMbPerSecond();

    /** Price per GB moved. */
    @WithDefault("0.05")
    double costPerGb();
  }

  /** When and how waiting runs move (see {@link io.parasol.scheduling.Rebalance}). */
  interface Rebalancing {
    /** Whether waiting runs are placed again at all. */
    @WithDefault("true")
    boolean enabled();

    /** A waiting run is looked at again after at least this long. */
    @WithDefault("1M")
    Duration recheckFloor();

    /** … and at most this long. */
    @WithDefault("10M")
    Duration recheckCeiling();

    /** The share of the predicted time left by which moving must be sooner. */
    @WithDefault("0.1")
    double margin();

    /** Moving may cost this share more than staying … */
    @WithDefault("0.1")
    double maxExtraCostFraction();

    /** … plus this much money. */
    @WithDefault("1.0")
    double maxExtraCost();
  }
}
