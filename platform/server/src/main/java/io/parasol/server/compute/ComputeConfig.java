package io.parasol.server.compute;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How worker processes are started and limited. */
@ConfigMapping(prefix = "parasol.worker")
public interface ComputeConfig {

  /** The java executable for workers; defaults to the server's own. */
  Optional<String> java();

  /** The URL workers call back; defaults to http://127.0.0.1:{the HTTP port}. */
  Optional<String> callbackUrl();

  /** The most bytes a worker may write to its standard output and error together. */
  @WithDefault("4M")
  MemorySize consoleCapBytes();

  /** The most log bytes a run keeps. */
  @WithDefault("4M")
  MemorySize maxLogBytes();

  /** The most bytes of output files a run may produce. */
  @WithDefault("1G")
  MemorySize maxOutputBytes();

  /** The most output files a run may produce. */
  @WithDefault("1000")
  int maxOutputFiles();

  /**
   * Runs plugin code without the operating-system sandbox: a development setting for machines
   * without bubblewrap, honoured only while the server listens on loopback; every run then says so
   * in its log and {@code /q/health} shows it.
   */
  @WithDefault("false")
  boolean unconfined();

  /**
   * Starts local workers with class-data archives (AppCDS) of their classes, made once per worker
   * jar and JDK in the background after start: a faster start of both worker JVMs.
   */
  @WithDefault("true")
  boolean classDataSharing();

  /** The most bytes a run's work directory may hold (its disk quota). */
  @WithDefault("10G")
  MemorySize maxWorkBytes();

  /** The most files a run's work directory may hold. */
  @WithDefault("100000")
  long maxWorkFiles();

  /**
   * Keeps a run's work directory after its outputs are stored, for debugging (it is removed
   * otherwise); kept ones are removed after {@link #keepWorkRetention()}.
   */
  @WithDefault("false")
  boolean keepWork();

  /** How long a kept work directory stays after its run ended. */
  @WithDefault("24H")
  Duration keepWorkRetention();

  /**
   * Memory a worker needs beyond its run's, that Kubernetes and Slurm limits allow for: the
   * supervisor's JVM and the plugin JVM's own (metaspace, code, threads).
   */
  @WithDefault("320")
  long jvmOverheadMb();

  /** How long a stopped worker gets to exit before it is killed. */
  @WithDefault("5S")
  Duration killGrace();

  Local local();

  interface Local {
    /** Cores the local backend may hand out at once; 0 means the machine's processor count. */
    @WithDefault("0")
    int maxCores();

    /** Whether new runs may be placed on this machine. */
    @WithDefault("true")
    boolean enabled();

    /** The region the local cluster is listed in. */
    @WithDefault("local")
    String region();

    /** The site (data centre) the local cluster is listed in. */
    @WithDefault("local")
    String site();
  }

  /** Defaults for the Jobs that run workers on Kubernetes clusters. */
  Kubernetes kubernetes();

  /** Defaults for worker Jobs; a cluster's own settings win where they give a value. */
  interface Kubernetes {
    /**
     * The worker image (the {@code parasol/worker} image of this release) for clusters whose
     * settings name none, for example {@code registry.example/parasol/worker:1.0.0}.
     */
    Optional<String> image();

    /** When the kubelet pulls the worker image. */
    @WithDefault("IfNotPresent")
    PullPolicy imagePullPolicy();

    /** Secrets in the run namespace that the kubelet pulls the worker image with. */
    Optional<List<String>> imagePullSecrets();

    /** How long a finished Job and its pod are kept for inspection (ttlSecondsAfterFinished). */
    @WithDefault("1H")
    Duration jobTtl();
  }

  /** Kubernetes image pull policies. */
  enum PullPolicy {
    Always,
    IfNotPresent,
    Never
  }
}
