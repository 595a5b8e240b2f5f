package io.parasol.server.run;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One sample of a solver metric of a run. */
@Entity
@Table(name = "run_metric")
public class RunMetric extends PanacheEntityBase {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "run_id", nullable = false)
  public UUID runId;

  @Column(nullable = false)
  public String name;

  @Column(nullable = false)
  public Instant at;

  @Column(name = "val", nullable = false)
  public double value;
}
