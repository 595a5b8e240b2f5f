package io.parasol.server.billing;

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

/**
 * Metered usage: core- and card-seconds on a partition, consumed at a time, recorded once per key.
 */
@Entity
@Table(name = "usage_record")
public class UsageRecord extends PanacheEntityBase {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "idempotency_key", nullable = false)
  public String idempotencyKey;

  @Column(nullable = false)
  public String org;

  @Column(name = "run_id")
  public UUID runId;

  @Column(name = "partition_name", nullable = false)
  public String partition;

  @Column(name = "core_seconds", nullable = false, precision = 19, scale = 6)
  public BigDecimal coreSeconds;

  @Column(name = "card_seconds", nullable = false, precision = 19, scale = 6)
  public BigDecimal cardSeconds;

  @Column(name = "consumed_at", nullable = false)
  public Instant consumedAt;

  /** The calendar month of consumption, {@code yyyy-MM} (UTC): late records land here. */
  @Column(nullable = false)
  public String period;

  @Column(name = "received_at", nullable = false)
  public Instant receivedAt;
}
