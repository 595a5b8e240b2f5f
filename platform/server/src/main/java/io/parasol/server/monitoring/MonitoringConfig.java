package io.parasol.server.monitoring;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How runs are sampled, how samples are kept, and when a finding is raised. The thresholds and
 * where they come from are documented in docs/monitoring.md.
 */
@ConfigMapping(prefix = "parasol.monitoring")
public interface MonitoringConfig {

  /** How often the worker samples a run; at least 1 s. */
  @WithDefault("5S")
  Duration sampleInterval();

  /**
   * Workers send their samples at most this often, the ones taken meanwhile in one call: with 1 s
   * sampling, two samples a call, so that a finding still comes within two sampling intervals.
   */
  @WithDefault("2S")
  Duration reportInterval();

  /** The {@code nvidia-smi} command workers run for GPU runs. */
  @WithDefault("nvidia-smi")
  String nvidiaSmi();

  /**
   * A command workers run for FPGA runs, printing {@code fpga_utilisation VALUE} and {@code
   * fpga_utilisation_min VALUE} lines (a wrapper around the card vendor's tool); none by default.
   */
  Optional<List<String>> fpgaCommand();

  /** Ingestion. */
  Ingest ingest();

  /** Storage, downsampling and retention. */
  Storage storage();

  /** Finding thresholds. */
  Findings findings();

  /** The per-app performance model. */
  Model model();

  /** Ingestion limits. */
  interface Ingest {
    /** The most frames one call may carry. */
    @WithDefault("500")
    int maxFrames();

    /** The most values one frame may carry. */
    @WithDefault("200")
    int maxValues();

    /** Samples held in memory before they are written; beyond this workers are asked to retry. */
    @WithDefault("400000")
    int bufferSamples();

    /**
     * How long a checked run token is trusted without asking the database again; an ended run's
     * worker may be heard this long after the end (its samples change nothing).
     */
    @WithDefault("30S")
    Duration tokenCache();

    /** How often buffered samples are written. */
    @WithDefault("250ms")
    Duration flushInterval();
  }

  /** How long samples are kept, and at what resolution. */
  interface Storage {
    /**
     * Samples older than this (within a run) are replaced by one mean per {@link #rollupStep()}.
     */
    @WithDefault("6H")
    Duration rawWindow();

    /** The resolution of downsampled samples. */
    @WithDefault("1M")
    Duration rollupStep();

    /** Samples of runs that ended longer ago than this are deleted. */
    @WithDefault("90D")
    Duration retention();

    /** How often downsampling and retention run. */
    @WithDefault("10M")
    Duration maintenanceInterval();

    /** The most points one series of a metrics query returns. */
    @WithDefault("2000")
    int maxPoints();
  }

  /** When each finding is raised; see docs/monitoring.md for the sources. */
  interface Findings {
    /** The evidence window of the level rules, in samples (within two intervals of the cause). */
    @WithDefault("2")
    int windowSamples();

    /**
     * A finding is raised when its rule holds at this many judgements (samples) in a row, and
     * cleared when it has not held at this many in a row.
     */
    @WithDefault("2")
    int confirmSamples();

    /** Idle cores: mean CPU utilisation of the allocation below this. */
    @WithDefault("0.85")
    double idleCores();

    /** Idle accelerator: mean utilisation below this, or any device at 0 for the whole window. */
    @WithDefault("0.15")
    double idleAccelerator();

    /** Memory near the limit: memory in use above this fraction of the limit all window long. */
    @WithDefault("0.9")
    double memoryNearLimit();

    /** Leak: samples over which steady growth is judged. */
    @WithDefault("12")
    int leakSamples();

    /** Leak: growth over the leak window, as a fraction of the limit, at least this. */
    @WithDefault("0.05")
    double leakGrowth();

    /** Leak: how straight the growth must be (R² of a line through the samples). */
    @WithDefault("0.9")
    double leakFit();

    /** I/O-bound: threads blocked on I/O, as a fraction of the allocated cores, at least this. */
    @WithDefault("0.25")
    double ioWait();

    /** Stalled: no progress for this long. */
    @WithDefault("5M")
    Duration stalledAfter();

    /** Load imbalance: spread of utilisation over the busy cores above this. */
    @WithDefault("0.1")
    double imbalance();

    /** Slower than the model: observed progress rate below expected by more than this fraction. */
    @WithDefault("0.25")
    double slowerThanModel();
  }

  /** The performance model. */
  interface Model {
    /** The fewest completed runs of an app before its model is used. */
    @WithDefault("3")
    int minRuns();

    /** The most recent completed runs the model learns from. */
    @WithDefault("500")
    int maxRuns();

    /** Samples over which a run's progress rate is measured. */
    @WithDefault("12")
    int rateSamples();
  }
}
