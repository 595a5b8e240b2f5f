package io.parasol.server.billing;

import io.parasol.server.audit.AuditService;
import io.parasol.server.common.ProblemException;
import io.parasol.server.common.WakeableLoop;
import io.parasol.server.tenancy.Caller;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Time-based selling: subscriptions reserve cores on a partition for a term, paid up front or
 * monthly; a run that fits in its org's free reserved cores is not charged per use. Revenue is
 * recognised ratably per day by the finance reports.
 */
@ApplicationScoped
public class SubscriptionService {

  private final AuditService audit;
  private final WakeableLoop installments =
      new WakeableLoop("parasol-subscriptions", Duration.ofHours(1), this::chargeDueInstallments);

  private final javax.sql.DataSource dataSource;

  private final PricedThings priced;

  SubscriptionService(AuditService audit, javax.sql.DataSource dataSource, PricedThings priced) {
    this.audit = audit;
    this.dataSource = dataSource;
    this.priced = priced;
  }

  /**
   * A subscription as the API shows and takes it.
   *
   * @param id its id (ignored on create)
   * @param org the org
   * @param partition the partition
   * @param cores reserved cores
   * @param startsOn the first day of the term
   * @param endsOn the day after the last day of the term
   * @param price the price of the whole term
   * @param billing up front or monthly
   */
  public record SubscriptionView(
      UUID id,
      String org,
      String partition,
      int cores,
      LocalDate startsOn,
      LocalDate endsOn,
      BigDecimal price,
      Subscription.Billing billing) {}

  void start(@Observes StartupEvent event) {
    installments.start();
  }

  void stop(@Observes ShutdownEvent event) {
    installments.stop();
  }

  /**
   * Creates a subscription (admin) and charges what is due now; a retry with the same
   * Idempotency-Key returns the first one and charges nothing more.
   */
  public SubscriptionView create(Caller caller, SubscriptionView in, String key) {
    if (!caller.isAdmin()) {
      throw ProblemException.forbidden("only admins sell subscriptions");
    }
    check(in);
    if (!priced.isPartition(in.partition())) {
      throw ProblemException.invalid("partition", "names no partition: " + in.partition());
    }
    if (key != null && !key.matches("[\\x21-\\x7E]{1,200}")) {
      throw ProblemException.invalid(
          "Idempotency-Key", "must be 1 to 200 visible ASCII characters");
    }
    if (key != null) {
      Optional<SubscriptionView> earlier =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      Subscription.<Subscription>find(
                              "org = ?1 and idempotencyKey = ?2", in.org(), key)
                          .firstResultOptional()
                          .map(SubscriptionService::view));
      if (earlier.isPresent()) {
        return earlier.get();
      }
    }
    SubscriptionView created =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  BillingAccount account =
                      BillingAccount.findById(in.org(), LockModeType.PESSIMISTIC_WRITE);
                  if (account == null) {
                    throw ProblemException.invalid("org", "has no billing account");
                  }
                  if (in.billing() == Subscription.Billing.MONTHLY
                      && account.kind != BillingAccount.Kind.POSTPAID) {
                    throw ProblemException.invalid(
                        "billing", "MONTHLY is for postpaid accounts; prepaid ones pay UPFRONT");
                  }
                  Subscription s = new Subscription();
                  s.id = UUID.randomUUID();
                  s.org = in.org();
                  s.partition = in.partition();
                  s.cores = in.cores();
                  s.startsOn = in.startsOn();
                  s.endsOn = in.endsOn();
                  s.price = in.price().setScale(Ledger.SCALE);
                  s.billing = in.billing();
                  s.idempotencyKey = key;
                  s.createdBy = caller.name();
                  s.createdAt = Instant.now();
                  s.persist();
                  if (s.billing == Subscription.Billing.UPFRONT) {
                    BigDecimal available =
                        Ledger.sum(Ledger.funds(s.org)).negate().add(account.creditLimit);
                    if (available.compareTo(s.price) < 0) {
                      throw new ProblemException(
                          402,
                          "Payment Required",
                          "the subscription costs " + s.price + "; " + available + " is available",
                          List.of(),
                          Map.of("missing", s.price.subtract(available)));
                    }
                    charge(
                        s,
                        "subscription:" + s.id,
                        s.price,
                        s.startsOn.atStartOfDay().toInstant(ZoneOffset.UTC));
                  }
                  audit.record(
                      caller,
                      "subscription.create",
                      "subscription",
                      s.id.toString(),
                      s.org,
                      s.cores
                          + " cores on "
                          + s.partition
                          + " "
                          + s.startsOn
                          + ".."
                          + s.endsOn
                          + " for "
                          + s.price);
                  return view(s);
                });
    chargeDueInstallments();
    return created;
  }

  @Transactional
  public List<SubscriptionView> list(Caller caller, Optional<String> org) {
    String of = caller.isAdmin() ? org.orElse(null) : caller.org();
    if (caller.isAdmin()) {
      // an admin's read of every org's subscriptions, or of one org's
      audit.record(
          caller, "subscription.read", "subscription", null, of, of == null ? "all orgs" : null);
    }
    List<Subscription> found =
        of == null
            ? Subscription.list("order by startsOn")
            : Subscription.list("org = ?1 order by startsOn", of);
    return found.stream().map(SubscriptionService::view).toList();
  }

  /** Charges every monthly installment that is due (idempotent per subscription and month). */
  void chargeDueInstallments() {
    YearMonth now = YearMonth.now(ZoneOffset.UTC);
    List<UUID> monthly =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    Subscription.<Subscription>list("billing", Subscription.Billing.MONTHLY)
                        .stream()
                        .map(s -> s.id)
                        .toList());
    for (UUID id : monthly) {
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                Subscription s = Subscription.findById(id);
                for (YearMonth m = YearMonth.from(s.startsOn);
                    !m.isAfter(now) && m.atDay(1).isBefore(s.endsOn);
                    m = m.plusMonths(1)) {
                  charge(
                      s,
                      "subscription:" + s.id + ":" + m,
                      installment(s, m),
                      m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC));
                }
              });
    }
  }

  /**
   * The partitions, as {@code org/partition}, where these orgs hold a subscription in force today:
   * only launches there need {@link #reserve}. Joins the caller's transaction.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public java.util.Set<String> reservedPartitions(java.util.Collection<String> orgs) {
    // every subscription in force today (a short list), read with one fixed statement on the
    // transaction's connection
    java.util.Set<String> in = new java.util.HashSet<>();
    try (java.sql.Connection c = dataSource.getConnection();
        java.sql.PreparedStatement select =
            c.prepareStatement(
                "select org, partition_name from subscription where starts_on <= ? and ends_on >"
                    + " ?")) {
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      select.setObject(1, today);
      select.setObject(2, today);
      try (java.sql.ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          if (orgs.contains(rows.getString(1))) {
            in.add(rows.getString(1) + "/" + rows.getString(2));
          }
        }
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("subscriptions could not be read: " + e.getMessage(), e);
    }
    return in;
  }

  /**
   * Puts a run inside its org's free reserved cores on the partition, if there are enough; joins
   * the launch's transaction (locks the subscriptions, so concurrent launches cannot overbook
   * them).
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public boolean reserve(String org, String partition, int cores, UUID runId) {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    List<Subscription> active =
        Subscription.<Subscription>find(
                "org = ?1 and partition = ?2 and startsOn <= ?3 and endsOn > ?3 order by id",
                org,
                partition,
                today)
            .withLock(LockModeType.PESSIMISTIC_WRITE)
            .list();
    for (Subscription s : active) {
      long used =
          ReservationUse.getEntityManager()
              .createQuery(
                  "select coalesce(sum(u.cores), 0) from ReservationUse u where u.subscriptionId = ?1 and u.releasedAt is null",
                  Long.class)
              .setParameter(1, s.id)
              .getSingleResult();
      if (used + cores <= s.cores) {
        ReservationUse use = new ReservationUse();
        use.runId = runId;
        use.subscriptionId = s.id;
        use.cores = cores;
        use.startedAt = Instant.now();
        use.persist();
        return true;
      }
    }
    return false;
  }

  /** Frees a run's reserved cores; true when the run was inside a reservation. */
  @Transactional(Transactional.TxType.MANDATORY)
  boolean release(UUID runId) {
    ReservationUse use = ReservationUse.findById(runId);
    if (use == null) {
      return false;
    }
    if (use.releasedAt == null) {
      use.releasedAt = Instant.now();
    }
    return true;
  }

  /** A month's share of a subscription's price: by days, the last month taking the remainder. */
  static BigDecimal installment(Subscription s, YearMonth m) {
    LocalDate from = max(s.startsOn, m.atDay(1));
    LocalDate to = min(s.endsOn, m.plusMonths(1).atDay(1));
    if (!from.isBefore(to)) {
      return BigDecimal.ZERO;
    }
    if (!to.isBefore(s.endsOn)) {
      BigDecimal before = BigDecimal.ZERO;
      for (YearMonth p = YearMonth.from(s.startsOn); p.isBefore(m); p = p.plusMonths(1)) {
        before = before.add(installment(s, p));
      }
      return s.price.subtract(before);
    }
    return ratable(s, from, to);
  }

  /** The part of a subscription's price that falls on the days from {@code from} to {@code to}. */
  static BigDecimal ratable(Subscription s, LocalDate from, LocalDate to) {
    LocalDate a = max(s.startsOn, from);
    LocalDate b = min(s.endsOn, to);
    if (!a.isBefore(b)) {
      return BigDecimal.ZERO.setScale(Ledger.SCALE);
    }
    return s.price
        .multiply(BigDecimal.valueOf(ChronoUnit.DAYS.between(a, b)))
        .divide(BigDecimal.valueOf(s.termDays()), Ledger.SCALE, RoundingMode.HALF_EVEN);
  }

  private static void charge(Subscription s, String key, BigDecimal amount, Instant at) {
    if (amount.signum() <= 0) {
      return;
    }
    Ledger.post(
        new Ledger.Posting(key, "SUBSCRIPTION", s.org, "subscription", s.id.toString(), "parasol")
            .at(at)
            .debit(Ledger.funds(s.org), amount)
            .credit("deferred:subscription:" + s.id, amount)
            .memo(s.cores + " cores on " + s.partition + " " + s.startsOn + ".." + s.endsOn));
  }

  private static void check(SubscriptionView in) {
    if (in == null || in.org() == null || in.partition() == null || in.billing() == null) {
      throw ProblemException.invalid("org", "org, partition and billing are required");
    }
    for (String[] f : new String[][] {{"org", in.org()}, {"partition", in.partition()}}) {
      if (!io.parasol.server.common.Names.isName(f[1])) {
        throw ProblemException.invalid(f[0], io.parasol.server.common.Names.RULE);
      }
    }
    if (in.cores() < 1 || in.cores() > 100_000) {
      throw ProblemException.invalid("cores", "must be between 1 and 100000");
    }
    if (in.startsOn() == null || in.endsOn() == null || !in.startsOn().isBefore(in.endsOn())) {
      throw ProblemException.invalid("endsOn", "must be after startsOn");
    }
    if (ChronoUnit.DAYS.between(in.startsOn(), in.endsOn()) > 3660) {
      throw ProblemException.invalid("endsOn", "a term is at most ten years");
    }
    if (in.price() == null
        || in.price().signum() < 0
        || in.price().scale() > Ledger.SCALE
        || in.price().compareTo(BillingService.MAX_TOP_UP) > 0) {
      throw ProblemException.invalid("price", "must be 0 or more, with at most 6 decimals");
    }
  }

  private static SubscriptionView view(Subscription s) {
    return new SubscriptionView(
        s.id, s.org, s.partition, s.cores, s.startsOn, s.endsOn, s.price, s.billing);
  }

  private static LocalDate max(LocalDate a, LocalDate b) {
    return a.isAfter(b) ? a : b;
  }

  private static LocalDate min(LocalDate a, LocalDate b) {
    return a.isBefore(b) ? a : b;
  }
}
