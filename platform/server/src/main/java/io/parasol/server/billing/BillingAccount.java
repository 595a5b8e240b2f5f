package io.parasol.server.billing;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.time.Instant;

/** The billing account of an engineer org: prepaid (funds first) or postpaid (a credit limit). */
@Entity
@Table(name = "billing_account")
public class BillingAccount extends PanacheEntityBase {

  /** How an account pays. */
  public enum Kind {
    /** Funds come first; a launch holds the quote; the balance never goes below zero. */
    PREPAID,
    /** Runs against a credit limit; invoiced per calendar month. */
    POSTPAID
  }

  @Id public String org;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  public Kind kind;

  @Column(name = "credit_limit", nullable = false, precision = 19, scale = 6)
  public BigDecimal creditLimit;

  @Column(nullable = false)
  public String currency;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Version
  @Column(name = "row_version", nullable = false)
  public long rowVersion;
}
