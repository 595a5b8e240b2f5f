package io.parasol.server.compute;

import io.parasol.plugin.api.AcceleratorKind;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A set of identical nodes of one cluster, the unit that runs are placed on and priced by. */
@Entity
@Table(name = "compute_partition")
public class ComputePartition extends PanacheEntityBase {

  /** Whose hardware it is. */
  public enum Ownership {
    /** Our own hardware: depreciation and IDC rent. */
    OWNED,
    /** Compute bought from another provider. */
    PURCHASED
  }

  @Id public String name;

  @Column(name = "cluster_name", nullable = false)
  public String cluster;

  @Column(name = "cores_per_node", nullable = false)
  public int coresPerNode;

  @Column(name = "memory_mb_per_node", nullable = false)
  public long memoryMbPerNode;

  @Enumerated(EnumType.STRING)
  @Column(name = "accelerator_kind")
  public AcceleratorKind acceleratorKind;

  @Column(name = "accelerator_model")
  public String acceleratorModel;

  @Column(name = "accelerators_per_node", nullable = false)
  public int acceleratorsPerNode;

  @Column(name = "node_count", nullable = false)
  public int nodeCount;

  /** Speed relative to the reference node: a run of one hour there takes 1/speed hours here. */
  @Column(nullable = false)
  public double speed = 1.0;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  public Ownership ownership;

  /** Labels as a JSON object, for example {@code {"residency": "eu"}}. */
  @Column(nullable = false, length = 4000)
  public String labels;

  /** {@link ClusterViews.Mapping} as JSON. */
  @Column(nullable = false, length = 8000)
  public String mapping;

  @Column(nullable = false)
  public boolean enabled;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;

  @Version
  @Column(name = "row_version", nullable = false)
  public long rowVersion;
}
