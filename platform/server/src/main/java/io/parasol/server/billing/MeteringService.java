package io.parasol.server.billing;

import io.parasol.server.common.ProblemException;
import io.parasol.server.tenancy.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Metering: usage records (core- and card-seconds of an org on a partition, consumed at a time)
 * arrive in batches, each with an idempotency key; a key seen before is ignored, and a late record
 * lands in the month it was consumed in, not the month it arrived in.
 */
@ApplicationScoped
public class MeteringService {

  private final boolean postgres;

  private final io.parasol.server.audit.AuditService audit;

  MeteringService(
      @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.datasource.db-kind")
          String dbKind,
      io.parasol.server.audit.AuditService audit) {
    this.postgres = dbKind.startsWith("postgres");
    this.audit = audit;
  }

  static final int MAX_BATCH = 5_000;
  static final int ROWS_PER_STATEMENT = 500;
  private static final String COLUMNS =
      "idempotency_key, org, run_id, partition_name, core_seconds, card_seconds, consumed_at,"
          + " period, received_at";
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,200}");
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  /**
   * One usage record as reported.
   *
   * @param idempotencyKey unique per record; a repeat is ignored
   * @param org the org that consumed
   * @param runId the run, if the usage belongs to one
   * @param partition where
   * @param coreSeconds core-seconds consumed
   * @param cardSeconds accelerator card-seconds consumed
   * @param consumedAt when the usage was consumed
   */
  public record UsageIn(
      String idempotencyKey,
      String org,
      UUID runId,
      String partition,
      BigDecimal coreSeconds,
      BigDecimal cardSeconds,
      Instant consumedAt) {}

  /**
   * The outcome of a batch.
   *
   * @param received records in the batch
   * @param recorded records stored now
   * @param duplicates records whose key had been seen before
   */
  public record Ingested(int received, int recorded, int duplicates) {}

  /**
   * Totals of an org's usage in a month.
   *
   * @param org the org
   * @param period the month, yyyy-MM
   * @param records how many records
   * @param coreSeconds total core-seconds
   * @param cardSeconds total card-seconds
   */
  public record Totals(
      String org, String period, long records, BigDecimal coreSeconds, BigDecimal cardSeconds) {}

  /** Records a batch; keys seen before (in this batch or earlier) are ignored. */
  @Transactional
  public Ingested ingest(Caller caller, List<UsageIn> batch) {
    if (!caller.isAdmin()) {
      throw ProblemException.forbidden("only admins and backends report usage");
    }
    if (batch == null || batch.isEmpty() || batch.size() > MAX_BATCH) {
      throw ProblemException.invalid("records", "must hold 1 to " + MAX_BATCH + " usage records");
    }
    for (int i = 0; i < batch.size(); i++) {
      check(i, batch.get(i));
    }
    // A key repeated inside the batch counts once; keys seen before are ignored by the database.
    Map<String, UsageIn> unique = new LinkedHashMap<>();
    for (UsageIn in : batch) {
      unique.putIfAbsent(in.idempotencyKey(), in);
    }
    // Sorted, so that concurrent batches with overlapping keys take their locks in one order.
    List<UsageIn> rows = new ArrayList<>(unique.values());
    rows.sort(java.util.Comparator.comparing(UsageIn::idempotencyKey));
    EntityManager em = UsageRecord.getEntityManager();
    Timestamp now = Timestamp.from(Instant.now());
    int recorded = 0;
    for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
      List<UsageIn> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
      var query = em.createNativeQuery(insert(chunk.size()));
      int p = 1;
      for (UsageIn in : chunk) {
        query
            .setParameter(p++, in.idempotencyKey())
            .setParameter(p++, in.org())
            .setParameter(p++, in.runId())
            .setParameter(p++, in.partition())
            .setParameter(p++, in.coreSeconds().setScale(Ledger.SCALE, RoundingMode.HALF_EVEN))
            .setParameter(p++, cards(in).setScale(Ledger.SCALE, RoundingMode.HALF_EVEN))
            .setParameter(p++, Timestamp.from(in.consumedAt()))
            .setParameter(p++, Ledger.period(in.consumedAt()))
            .setParameter(p++, now);
      }
      recorded += query.executeUpdate();
    }
    return new Ingested(batch.size(), recorded, batch.size() - recorded);
  }

  /** Totals of an org's usage in a month; an engineer sees their own org only. */
  @Transactional
  public Totals totals(Caller caller, String org, String period) {
    if (!caller.canSee(org)) {
      throw ProblemException.notFound("usage of " + org);
    }
    if (period == null || !period.matches("\\d{4}-(0[1-9]|1[0-2])")) {
      throw ProblemException.invalid("period", "must be a month, yyyy-MM");
    }
    audit.recordAdminRead(caller, "usage", org + "/" + period, org);
    Object[] row =
        (Object[])
            UsageRecord.getEntityManager()
                .createQuery(
                    "select count(u), coalesce(sum(u.coreSeconds), 0), coalesce(sum(u.cardSeconds), 0)"
                        + " from UsageRecord u where u.org = ?1 and u.period = ?2")
                .setParameter(1, org)
                .setParameter(2, period)
                .getSingleResult();
    return new Totals(
        org,
        period,
        ((Number) row[0]).longValue(),
        ((BigDecimal) row[1]).setScale(Ledger.SCALE),
        ((BigDecimal) row[2]).setScale(Ledger.SCALE));
  }

  /**
   * One statement for many rows. PostgreSQL (production) ignores a repeated key atomically, also
   * under concurrent batches; the embedded H2 has no ON CONFLICT, and a standard MERGE does the
   * same there.
   */
  private String insert(int rows) {
    StringBuilder values = new StringBuilder();
    for (int r = 0; r < rows; r++) {
      values.append(r == 0 ? "" : ", ").append("(");
      for (int c = 1; c <= 9; c++) {
        values.append(c == 1 ? "" : ", ").append('?').append(r * 9 + c);
      }
      values.append(")");
    }
    if (postgres) {
      return "insert into usage_record ("
          + COLUMNS
          + ") values "
          + values
          + " on conflict (idempotency_key) do nothing";
    }
    return "merge into usage_record u using (values "
        + values
        + ") s(k, org, run_id, part, cs, ds, cat, per, rat) on u.idempotency_key = s.k"
        + " when not matched then insert ("
        + COLUMNS
        + ") values (s.k, s.org, s.run_id, s.part, s.cs, s.ds, s.cat, s.per, s.rat)";
  }

  /** The most seconds one record may carry: what its column, numeric(19, 6), can hold. */
  static final BigDecimal MAX_SECONDS = new BigDecimal("9999999999999.999999");

  private static void check(int i, UsageIn in) {
    String at = "records[" + i + "].";
    if (in == null) {
      throw ProblemException.invalid("records[" + i + "]", "must be a usage record");
    }
    if (in.idempotencyKey() == null || !KEY.matcher(in.idempotencyKey()).matches()) {
      throw ProblemException.invalid(
          at + "idempotencyKey", "must be 1 to 200 visible ASCII characters");
    }
    if (in.org() == null || !NAME.matcher(in.org()).matches()) {
      throw ProblemException.invalid(at + "org", "must be an organisation id");
    }
    if (in.partition() == null || !NAME.matcher(in.partition()).matches()) {
      throw ProblemException.invalid(at + "partition", "must be a partition name");
    }
    if (in.coreSeconds() == null
        || in.coreSeconds().signum() < 0
        || in.coreSeconds().scale() > Ledger.SCALE
        || in.coreSeconds().compareTo(MAX_SECONDS) > 0) {
      throw ProblemException.invalid(
          at + "coreSeconds",
          "must be 0 to " + MAX_SECONDS.toPlainString() + ", with at most 6 decimals");
    }
    if (cards(in).signum() < 0
        || cards(in).scale() > Ledger.SCALE
        || cards(in).compareTo(MAX_SECONDS) > 0) {
      throw ProblemException.invalid(
          at + "cardSeconds",
          "must be 0 to " + MAX_SECONDS.toPlainString() + ", with at most 6 decimals");
    }
    if (in.consumedAt() == null || in.consumedAt().isAfter(Instant.now().plusSeconds(300))) {
      throw ProblemException.invalid(at + "consumedAt", "is required and may not be in the future");
    }
  }

  private static BigDecimal cards(UsageIn in) {
    return in.cardSeconds() == null ? BigDecimal.ZERO : in.cardSeconds();
  }
}
