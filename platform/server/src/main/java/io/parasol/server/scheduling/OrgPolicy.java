package io.parasol.server.scheduling;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** An org's placement policy: where its runs may go, how much it may run at once, how urgently. */
@Entity
@Table(name = "org_policy")
public class OrgPolicy extends PanacheEntityBase {

  @Id public String org;

  /** Allowed regions, comma-separated; null for any. */
  @Column(length = 2000)
  public String regions;

  /** The region its workspace data is held in; null for the server's data region. */
  @Column(name = "data_region")
  public String dataRegion;

  /** Concurrent cores; null for no limit. */
  @Column(name = "max_cores")
  public Integer maxCores;

  /** Concurrent accelerator cards; null for no limit. */
  @Column(name = "max_cards")
  public Integer maxCards;

  /** The highest priority its engineers may ask for. */
  @Column(name = "max_priority", nullable = false)
  public String maxPriority = RunPriority.NORMAL.id();

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;

  @Column(name = "updated_by", nullable = false)
  public String updatedBy;

  @Version
  @Column(name = "row_version", nullable = false)
  public long rowVersion;
}
