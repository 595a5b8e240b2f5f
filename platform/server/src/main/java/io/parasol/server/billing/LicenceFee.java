package io.parasol.server.billing;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;

/** An app's licence fee and the vendor's share of it, in force from a time on. */
@Entity
@Table(name = "licence_fee")
public class LicenceFee extends PanacheEntityBase {

  /** What the fee is charged on. */
  public enum Basis {
    /** Per core-hour used. */
    PER_CORE_HOUR,
    /** Per run that started. */
    PER_RUN
  }

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "app_id", nullable = false)
  public String appId;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  public Basis basis;

  @Column(nullable = false, precision = 19, scale = 6)
  public BigDecimal amount;

  @Column(name = "isv_share", nullable = false, precision = 7, scale = 6)
  public BigDecimal isvShare;

  @Column(name = "effective_from", nullable = false)
  public Instant effectiveFrom;

  @Column(name = "created_by", nullable = false)
  public String createdBy;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;
}
