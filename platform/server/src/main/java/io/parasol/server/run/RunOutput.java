package io.parasol.server.run;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** An output file of a run; its bytes live in the run's directory. */
@Entity
@Table(name = "run_output")
public class RunOutput extends PanacheEntityBase {

  /** The key: run and file name. */
  @Embeddable
  public record Key(@Column(name = "run_id") UUID runId, @Column(name = "name") String name)
      implements Serializable {}

  @EmbeddedId public Key key;

  @Column(name = "size_bytes", nullable = false)
  public long sizeBytes;

  @Column(nullable = false)
  public String sha256;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;
}
