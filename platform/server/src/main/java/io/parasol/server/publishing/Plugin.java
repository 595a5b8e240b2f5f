package io.parasol.server.publishing;

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

/** One uploaded plugin jar (one version of an app) and its verification and review state. */
@Entity
@Table(name = "plugin")
public class Plugin extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "vendor_org", nullable = false)
  public String vendorOrg;

  @Column(name = "uploaded_by", nullable = false)
  public String uploadedBy;

  @Column(name = "file_name", nullable = false)
  public String fileName;

  @Column(name = "jar_sha256", nullable = false)
  public String jarSha256;

  @Column(name = "jar_size", nullable = false)
  public long jarSize;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  public PluginStatus status;

  @Column(name = "app_id")
  public String appId;

  @Column(name = "app_version")
  public String appVersion;

  @Column(name = "listed_key")
  public String listedKey;

  @Column(name = "auto_publish", nullable = false)
  public boolean autoPublish;

  @Column(length = 1_000_000)
  public String descriptor;

  /** The app ids this plugin builds on (Plugin-Dependencies), comma-separated; null for none. */
  @Column(name = "depends_on", length = 1000)
  public String dependsOn;

  @Column(length = 1_000_000)
  public String report;

  @Column(name = "review_reason")
  public String reviewReason;

  @Column(name = "reviewed_by")
  public String reviewedBy;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;

  @Column(name = "published_at")
  public Instant publishedAt;

  @Version
  @Column(name = "row_version", nullable = false)
  public long rowVersion;
}
