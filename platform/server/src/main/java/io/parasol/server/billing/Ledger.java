package io.parasol.server.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The double-entry ledger: posts balanced transactions (debits positive, credits negative, summing
 * to zero) once per idempotency key, and derives balances from the entries. Callers hold a
 * transaction. The chart of accounts:
 *
 * <ul>
 *   <li>{@code bank}: money received (asset);
 *   <li>{@code customer:ORG:funds}: what a customer may spend (liability; negative for a postpaid
 *       account that owes);
 *   <li>{@code customer:ORG:held}: funds held for runs in flight;
 *   <li>{@code revenue:compute:PARTITION}, {@code revenue:licence:APP}: recognised revenue;
 *   <li>{@code vendor:ORG:payable}: the ISVs' share of licence fees, owed to them.
 * </ul>
 */
final class Ledger {

  static final int SCALE = 6;

  private Ledger() {}

  static String funds(String org) {
    return "customer:" + org + ":funds";
  }

  static String held(String org) {
    return "customer:" + org + ":held";
  }

  static String computeRevenue(String partition) {
    return "revenue:compute:" + partition;
  }

  static String licenceRevenue(String appId) {
    return "revenue:licence:" + appId;
  }

  static String vendorPayable(String org) {
    return "vendor:" + org + ":payable";
  }

  /** A transaction being built. */
  static final class Posting {
    final String key;
    final String kind;
    final String org;
    final String causeType;
    final String causeId;
    final String actor;
    String memo;
    Instant consumedAt = Instant.now();
    final List<Map.Entry<String, BigDecimal>> lines = new ArrayList<>();

    Posting(String key, String kind, String org, String causeType, String causeId, String actor) {
      this.key = key;
      this.kind = kind;
      this.org = org;
      this.causeType = causeType;
      this.causeId = causeId;
      this.actor = actor;
    }

    Posting debit(String account, BigDecimal amount) {
      // Lines are kept apart (a hold released and a charge on one account are two entries).
      lines.add(Map.entry(account, amount.setScale(SCALE, RoundingMode.HALF_EVEN)));
      return this;
    }

    Posting credit(String account, BigDecimal amount) {
      return debit(account, amount.negate());
    }

    Posting memo(String text) {
      this.memo = text == null || text.length() <= 500 ? text : text.substring(0, 500);
      return this;
    }

    Posting at(Instant consumed) {
      this.consumedAt = consumed;
      return this;
    }
  }

  /** The transaction already recorded under a key, if any. */
  static Optional<LedgerTransaction> find(String key) {
    return LedgerTransaction.find("idempotencyKey", key).firstResultOptional();
  }

  /** Records a balanced posting; returns the existing transaction when the key was used before. */
  static LedgerTransaction post(Posting p) {
    return post(p, true);
  }

  /**
   * Records a balanced posting; with {@code balances} false the accounts' kept balances are left
   * for the caller to move (a hold moves them last, with a condition).
   */
  static LedgerTransaction post(Posting p, boolean balances) {
    Optional<LedgerTransaction> existing = find(p.key);
    if (existing.isPresent()) {
      return existing.get();
    }
    requireBalanced(p);
    LedgerTransaction t = new LedgerTransaction();
    t.idempotencyKey = p.key;
    t.kind = p.kind;
    t.org = p.org;
    t.causeType = p.causeType;
    t.causeId = p.causeId;
    t.actor = p.actor;
    t.memo = p.memo;
    t.at = Instant.now();
    t.period = period(p.consumedAt);
    t.persist();
    for (Map.Entry<String, BigDecimal> line : p.lines) {
      if (line.getValue().signum() != 0) {
        LedgerEntry e = new LedgerEntry();
        e.transactionId = t.id;
        e.account = line.getKey();
        e.amount = line.getValue();
        e.persist();
      }
    }
    if (balances) {
      // one order for every posting (by account), so that concurrent postings never wait for each
      // other's balance rows in a cycle
      java.util.TreeMap<String, BigDecimal> byAccount = new java.util.TreeMap<>();
      p.lines.forEach(l -> byAccount.merge(l.getKey(), l.getValue(), BigDecimal::add));
      byAccount.forEach(
          (account, amount) -> {
            if (amount.signum() != 0) {
              addToBalance(account, amount);
            }
          });
    }
    return t;
  }

  private static void requireBalanced(Posting p) {
    BigDecimal sum =
        p.lines.stream().map(Map.Entry::getValue).reduce(BigDecimal.ZERO, BigDecimal::add);
    if (sum.signum() != 0) {
      throw new IllegalStateException("unbalanced posting " + p.key + ": " + p.lines);
    }
  }

  /**
   * Records new balanced postings in two JDBC batches (transactions, then their entries) on the
   * transaction's connection, leaving the accounts' kept balances to the caller. For postings whose
   * keys cannot have been used before (a new run's hold): a used key fails the caller's transaction
   * on the unique constraint.
   */
  static void postNew(Connection connection, List<Posting> postings) throws SQLException {
    if (postings.isEmpty()) {
      return;
    }
    postings.forEach(Ledger::requireBalanced);
    try (PreparedStatement txns =
        connection.prepareStatement(
            "insert into ledger_transaction (idempotency_key, kind, org, cause_type, cause_id,"
                + " actor, memo, period, at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      java.time.OffsetDateTime at = Instant.now().atOffset(ZoneOffset.UTC);
      for (Posting p : postings) {
        txns.setString(1, p.key);
        txns.setString(2, p.kind);
        txns.setString(3, p.org);
        txns.setString(4, p.causeType);
        txns.setString(5, p.causeId);
        txns.setString(6, p.actor);
        txns.setString(7, p.memo);
        txns.setString(8, period(p.consumedAt));
        txns.setObject(9, at);
        txns.addBatch();
      }
      txns.executeBatch();
    }
    try (PreparedStatement entries =
        connection.prepareStatement(
            "insert into ledger_entry (transaction_id, account, amount) values ((select t.id from"
                + " ledger_transaction t where t.idempotency_key = ?), ?, ?)")) {
      for (Posting p : postings) {
        for (Map.Entry<String, BigDecimal> line : p.lines) {
          if (line.getValue().signum() != 0) {
            entries.setString(1, p.key);
            entries.setString(2, line.getKey());
            entries.setBigDecimal(3, line.getValue());
            entries.addBatch();
          }
        }
      }
      entries.executeBatch();
    }
  }

  /**
   * Debits a customer's funds account by {@code amount} if what is available (the credit limit less
   * the balance) covers it, in one statement; false when it does not (or the org has no account).
   */
  static boolean debitWithinLimit(Connection connection, String org, BigDecimal amount)
      throws SQLException {
    String account = funds(org);
    try (PreparedStatement debit =
        connection.prepareStatement(
            "update ledger_balance set balance = balance + ? where account = ? and (select"
                + " a.credit_limit from billing_account a where a.org = ?) - balance >= ?")) {
      debit.setBigDecimal(1, amount);
      debit.setString(2, account);
      debit.setString(3, org);
      debit.setBigDecimal(4, amount);
      if (debit.executeUpdate() == 1) {
        return true;
      }
    }
    if (first(connection, "select 1 from ledger_balance where account = ?", account) != null) {
      return false;
    }
    // no posting yet: the credit limit alone decides (and no account, nothing)
    Object limit = first(connection, "select credit_limit from billing_account where org = ?", org);
    if (limit == null || new BigDecimal(limit.toString()).compareTo(amount) < 0) {
      return false;
    }
    addToBalance(connection, account, amount);
    return true;
  }

  /** The first column of the first row a one-parameter query answers, or null when none. */
  static Object first(Connection connection, String sql, String parameter) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setString(1, parameter);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? rows.getObject(1) : null;
      }
    }
  }

  /**
   * Adds to an account's kept balance, creating it on the account's first posting, after what the
   * persistence context holds is written.
   */
  static void addToBalance(String account, BigDecimal amount) {
    var em = LedgerEntry.getEntityManager();
    em.flush();
    em.unwrap(org.hibernate.Session.class)
        .doWork(connection -> addToBalance(connection, account, amount));
  }

  /** Adds to an account's kept balance, creating it on the account's first posting. */
  static void addToBalance(Connection connection, String account, BigDecimal amount)
      throws SQLException {
    try (PreparedStatement add =
        connection.prepareStatement(
            "update ledger_balance set balance = balance + ? where account = ?")) {
      add.setBigDecimal(1, amount);
      add.setString(2, account);
      if (add.executeUpdate() == 1) {
        return;
      }
    }
    // the account's first posting; another transaction may be making the same row right now
    String upsert =
        POSTGRES.get()
            ? "insert into ledger_balance (account, balance) values (?, ?) on conflict (account)"
                + " do update set balance = ledger_balance.balance + excluded.balance"
            : "merge into ledger_balance b using (values (?, ?)) s(a, v) on b.account = s.a"
                + " when matched then update set balance = b.balance + s.v"
                + " when not matched then insert (account, balance) values (s.a, s.v)";
    try (PreparedStatement insert = connection.prepareStatement(upsert)) {
      insert.setString(1, account);
      insert.setBigDecimal(2, amount);
      insert.executeUpdate();
    }
  }

  /** Whether the database is PostgreSQL (production) rather than the embedded H2. */
  private static final java.util.function.Supplier<Boolean> POSTGRES =
      () ->
          org.eclipse.microprofile.config.ConfigProvider.getConfig()
              .getValue("quarkus.datasource.db-kind", String.class)
              .startsWith("postgres");

  /** The sum of an account's entries (debits positive), as its kept balance. */
  static BigDecimal sum(String account) {
    List<?> rows =
        LedgerEntry.getEntityManager()
            .createNativeQuery("select balance from ledger_balance where account = ?1")
            .setParameter(1, account)
            .getResultList();
    BigDecimal sum = rows.isEmpty() ? BigDecimal.ZERO : new BigDecimal(rows.get(0).toString());
    return sum.setScale(SCALE, RoundingMode.HALF_EVEN);
  }

  /** The sum of one transaction's entries on one account. */
  static BigDecimal sumOf(long transactionId, String account) {
    BigDecimal sum =
        LedgerEntry.getEntityManager()
            .createQuery(
                "select coalesce(sum(e.amount), 0) from LedgerEntry e where e.transactionId = ?1 and e.account = ?2",
                BigDecimal.class)
            .setParameter(1, transactionId)
            .setParameter(2, account)
            .getSingleResult();
    return sum.setScale(SCALE, RoundingMode.HALF_EVEN);
  }

  static String period(Instant at) {
    return YearMonth.from(at.atOffset(ZoneOffset.UTC)).toString();
  }
}
