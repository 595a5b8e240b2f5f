package io.parasol.server.storage;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A file in an org's workspace; its bytes live under the data directory. */
@Entity
@Table(name = "workspace_file")
public class WorkspaceFile extends PanacheEntityBase {

  @Id public UUID id;

  @Column(nullable = false)
  public String org;

  @Column(nullable = false)
  public String name;

  @Column(name = "size_bytes", nullable = false)
  public long sizeBytes;

  @Column(nullable = false)
  public String sha256;

  @Column(name = "created_by", nullable = false)
  public String createdBy;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  static Optional<WorkspaceFile> findByName(String org, String name) {
    return find("org = ?1 and name = ?2", org, name).firstResultOptional();
  }

  static List<WorkspaceFile> listByOrg(String org) {
    return list("org = ?1 order by name", org);
  }

  static long countByOrg(String org) {
    return count("org", org);
  }
}
