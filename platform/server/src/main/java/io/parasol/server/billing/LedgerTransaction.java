package io.parasol.server.billing;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One balanced set of ledger entries, linked to its cause, recorded once per idempotency key. */
@Entity
@Table(name = "ledger_transaction")
public class LedgerTransaction extends PanacheEntityBase {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "idempotency_key", nullable = false)
  public String idempotencyKey;

  @Column(nullable = false)
  public String kind;

  public String org;

  @Column(name = "cause_type", nullable = false)
  public String causeType;

  @Column(name = "cause_id", nullable = false)
  public String causeId;

  @Column(nullable = false)
  public String actor;

  public String memo;

  @Column(nullable = false)
  public String period;

  @Column(nullable = false)
  public Instant at;
}
