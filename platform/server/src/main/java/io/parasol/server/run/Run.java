package io.parasol.server.run;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** One run of one app version, pinned to its jar, inputs and placement so that it can be re-run. */
@Entity
@Table(name = "run")
public class Run extends PanacheEntityBase {

  @Id public UUID id;

  @Column(nullable = false)
  public String org;

  @Column(name = "created_by", nullable = false)
  public String createdBy;

  @Column(name = "app_id", nullable = false)
  public String appId;

  @Column(name = "app_version", nullable = false)
  public String appVersion;

  @Column(name = "plugin_id", nullable = false)
  public UUID pluginId;

  @Column(name = "jar_sha256", nullable = false)
  public String jarSha256;

  /** The SHA-256 of the base jars a derived app was launched with, as a JSON list; else null. */
  @Column(name = "dependency_jars", length = 4000)
  public String dependencyJars;

  /** The validated inputs as JSON (app fields only). */
  @Column(nullable = false, length = 1_000_000)
  public String inputs;

  /** File inputs as JSON: field id to workspace file name. */
  @Column(name = "input_files", nullable = false, length = 100_000)
  public String inputFiles;

  @Column(nullable = false)
  public int cores;

  @Column(name = "memory_mb", nullable = false)
  public long memoryMb;

  @Column(name = "wall_time_seconds", nullable = false)
  public long wallTimeSeconds;

  @Column(nullable = false)
  public String backend;

  @Column(name = "partition_name", nullable = false)
  public String partitionName;

  @Column(name = "cluster_name", nullable = false)
  public String clusterName;

  /** Whether the engineer chose the partition (it is then never moved elsewhere). */
  @Column(nullable = false)
  public boolean pinned;

  @Enumerated(EnumType.STRING)
  @Column(name = "accelerator_kind")
  public io.parasol.plugin.api.AcceleratorKind acceleratorKind;

  @Column(name = "accelerator_model")
  public String acceleratorModel;

  @Column(name = "accelerator_count", nullable = false)
  public int acceleratorCount;

  /** The backend's reference to the current attempt's worker: pid, Job name or Slurm job id. */
  @Column(name = "job_ref")
  public String jobRef;

  /** The placement decision as JSON: the choice, the options and the rejected candidates. */
  @Column(length = 20000)
  public String placement;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  public RunState state;

  @Column(nullable = false)
  public double progress;

  @Column(name = "progress_message")
  public String progressMessage;

  public String reason;

  @Column(name = "idempotency_key")
  public String idempotencyKey;

  @Column(name = "request_hash")
  public String requestHash;

  @Column(name = "token_hash")
  public String tokenHash;

  /** When the worker token stops working even if the run has not ended. */
  @Column(name = "token_expires_at")
  public Instant tokenExpiresAt;

  /** The vendor org of the app, credited its licence share at settlement. */
  @Column(name = "vendor_org")
  public String vendorOrg;

  /** The amount held on the org's account at launch. */
  @Column(name = "hold_amount", precision = 19, scale = 6)
  public java.math.BigDecimal holdAmount;

  /** When the run's usage was settled (charged); null until then. */
  @Column(name = "settled_at")
  public Instant settledAt;

  @Column(name = "worker_pid")
  public Long workerPid;

  @Column(nullable = false)
  public int attempt;

  @Column(name = "exit_code")
  public Integer exitCode;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "scheduled_at")
  public Instant scheduledAt;

  /** Queue priority: higher first (see {@code RunPriority}). */
  @Column(nullable = false)
  public int priority;

  /** The placement objective: balanced, fastest or cheapest. */
  @Column(nullable = false)
  public String objective = "balanced";

  /** The predicted run time on a partition of speed 1, in seconds. */
  @Column(name = "predicted_run_seconds")
  public Double predictedRunSeconds;

  /** The run's input files' total size. */
  @Column(name = "input_bytes", nullable = false)
  public long inputBytes;

  /** A hash of the app inputs: runs of the same problem share it. */
  @Column(name = "problem_key")
  public String problemKey;

  /** The server replica that submitted the current attempt. */
  @Column(name = "dispatcher")
  public String dispatcher;

  /** When a waiting run is next considered for another partition. */
  @Column(name = "next_check_at")
  public Instant nextCheckAt;

  @Column(name = "started_at")
  public Instant startedAt;

  /** The problem size the app reported for the inputs, for its performance model; null if none. */
  @Column(name = "problem_size")
  public Double problemSize;

  @Column(name = "finished_at")
  public Instant finishedAt;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;

  @Version
  @Column(name = "row_version", nullable = false)
  public long rowVersion;
}
