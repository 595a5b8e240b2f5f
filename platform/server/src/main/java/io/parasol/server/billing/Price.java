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

/** A price of one resource on one partition, in force from a time on; older ones are kept. */
@Entity
@Table(name = "price")
public class Price extends PanacheEntityBase {

  /** What is priced. */
  public enum Resource {
    /** One core for one hour. */
    CORE_HOUR,
    /** One accelerator card for one hour. */
    CARD_HOUR
  }

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "partition_name", nullable = false)
  public String partition;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  public Resource resource;

  @Column(name = "unit_price", nullable = false, precision = 19, scale = 6)
  public BigDecimal unitPrice;

  @Column(name = "effective_from", nullable = false)
  public Instant effectiveFrom;

  @Column(name = "created_by", nullable = false)
  public String createdBy;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;
}
