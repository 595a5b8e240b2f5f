package io.parasol.server.monitoring;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A bottleneck finding of a run: one row per rule, reopened when the rule holds again. */
@Entity
@Table(name = "run_finding")
public class RunFinding extends PanacheEntityBase {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "run_id", nullable = false)
  public UUID runId;

  @Column(nullable = false)
  public String rule;

  @Column(nullable = false)
  public String severity;

  @Column(nullable = false, length = 2000)
  public String message;

  /** The measured values behind it, as a JSON object. */
  @Column(nullable = false, length = 4000)
  public String evidence;

  @Column(name = "window_from", nullable = false)
  public Instant windowFrom;

  @Column(name = "window_to", nullable = false)
  public Instant windowTo;

  @Column(name = "first_seen", nullable = false)
  public Instant firstSeen;

  @Column(name = "last_seen", nullable = false)
  public Instant lastSeen;

  /** When it stopped holding; null while it holds. */
  @Column(name = "cleared_at")
  public Instant clearedAt;

  @Column(name = "right_cores")
  public Integer rightCores;

  @Column(name = "right_cards")
  public Integer rightCards;

  @Column(name = "current_cost", precision = 19, scale = 6)
  public BigDecimal currentCost;

  @Column(name = "right_sized_cost", precision = 19, scale = 6)
  public BigDecimal rightSizedCost;

  public String currency;
}
