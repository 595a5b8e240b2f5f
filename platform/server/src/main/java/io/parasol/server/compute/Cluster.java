package io.parasol.server.compute;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A cluster in a site (data centre) of a region, reached through one compute backend. */
@Entity
@Table(name = "cluster")
public class Cluster extends PanacheEntityBase {

  /** How Parasol starts workers on a cluster. */
  public enum Backend {
    /** Worker child processes of the server. */
    LOCAL,
    /** One batch/v1 Job per run. */
    KUBERNETES,
    /** One batch job per run, through slurmrestd or the Slurm CLI. */
    SLURM
  }

  @Id public String name;

  @Column(nullable = false)
  public String region;

  @Column(nullable = false)
  public String site;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  public Backend backend;

  /** {@link ClusterViews.Settings} as JSON. */
  @Column(nullable = false, length = 8000)
  public String settings;

  @Column(nullable = false)
  public boolean enabled;

  @Column(nullable = false)
  public boolean healthy;

  @Column(name = "health_reason", length = 2000)
  public String healthReason;

  @Column(name = "checked_at")
  public Instant checkedAt;

  /** Probes failed in a row. */
  @Column(nullable = false)
  public int failures;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;

  @Version
  @Column(name = "row_version", nullable = false)
  public long rowVersion;
}
