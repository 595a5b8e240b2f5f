package io.parasol.server.billing;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;

/** One line of a ledger transaction: a debit (positive) or credit (negative) to one account. */
@Entity
@Table(name = "ledger_entry")
public class LedgerEntry extends PanacheEntityBase {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "transaction_id", nullable = false)
  public Long transactionId;

  @Column(nullable = false)
  public String account;

  @Column(nullable = false, precision = 19, scale = 6)
  public BigDecimal amount;
}
