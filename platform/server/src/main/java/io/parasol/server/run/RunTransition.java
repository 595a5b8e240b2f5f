package io.parasol.server.run;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One state change of a run, with its time and reason. */
@Entity
@Table(name = "run_transition")
public class RunTransition extends PanacheEntityBase {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "run_id", nullable = false)
  public UUID runId;

  @Enumerated(EnumType.STRING)
  @Column(name = "from_state")
  public RunState fromState;

  @Enumerated(EnumType.STRING)
  @Column(name = "to_state", nullable = false)
  public RunState toState;

  @Column(nullable = false)
  public String reason;

  @Column(nullable = false)
  public Instant at;
}
