package io.parasol.server.billing;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** Cores reserved on a partition for a term: runs inside it are not charged per use. */
@Entity
@Table(name = "subscription")
public class Subscription extends PanacheEntityBase {

  /** How a subscription is paid. */
  public enum Billing {
    /** The whole price when it is created. */
    UPFRONT,
    /** Each month's share at the start of that month (postpaid accounts). */
    MONTHLY
  }

  @Id public UUID id;

  @Column(nullable = false)
  public String org;

  @Column(name = "partition_name", nullable = false)
  public String partition;

  @Column(nullable = false)
  public int cores;

  /** The first day of the term. */
  @Column(name = "starts_on", nullable = false)
  public LocalDate startsOn;

  /** The day after the last day of the term. */
  @Column(name = "ends_on", nullable = false)
  public LocalDate endsOn;

  @Column(nullable = false, precision = 19, scale = 6)
  public BigDecimal price;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  public Billing billing;

  @Column(name = "idempotency_key")
  public String idempotencyKey;

  @Column(name = "created_by", nullable = false)
  public String createdBy;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  long termDays() {
    return java.time.temporal.ChronoUnit.DAYS.between(startsOn, endsOn);
  }
}
