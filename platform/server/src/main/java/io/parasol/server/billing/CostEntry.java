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

/** A cost of one month: purchased compute or depreciation of a partition, or IDC rent of a site. */
@Entity
@Table(name = "cost_entry")
public class CostEntry extends PanacheEntityBase {

  /** The kinds of cost, each allocated as the finance definitions say. */
  public enum Kind {
    /** External compute bought for a partition. */
    PURCHASED_COMPUTE,
    /** Depreciation and amortisation of a partition's owned hardware. */
    DEPRECIATION,
    /** Rent of a data centre (site). */
    IDC_RENT
  }

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(nullable = false)
  public String period;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  public Kind kind;

  @Column(name = "partition_name")
  public String partition;

  public String site;

  @Column(nullable = false, precision = 19, scale = 6)
  public BigDecimal amount;

  @Column(name = "created_by", nullable = false)
  public String createdBy;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;
}
