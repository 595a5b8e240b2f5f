package io.parasol.server.billing;

import io.parasol.server.audit.AuditService;
import io.parasol.server.billing.BillingViews.AccountView;
import io.parasol.server.billing.BillingViews.Amounts;
import io.parasol.server.billing.BillingViews.EntryView;
import io.parasol.server.billing.BillingViews.LicenceView;
import io.parasol.server.billing.BillingViews.PriceView;
import io.parasol.server.billing.BillingViews.Quote;
import io.parasol.server.billing.BillingViews.QuoteInput;
import io.parasol.server.billing.BillingViews.RunUsage;
import io.parasol.server.billing.BillingViews.TransactionView;
import io.parasol.server.common.Page;
import io.parasol.server.common.ProblemException;
import io.parasol.server.tenancy.Caller;
import io.parasol.server.tenancy.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Accounts, prices, quotes, holds and settlement. Every movement of money is a balanced ledger
 * transaction recorded once per idempotency key; kept balances move with their entries. Holds take
 * funds with conditional updates of the kept balance, so concurrent launches cannot take available
 * funds below zero.
 */
@ApplicationScoped
public class BillingService {

  static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);
  static final BigDecimal MAX_TOP_UP = new BigDecimal("1000000000");
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,200}");

  private final BillingConfig config;
  private final AuditService audit;
  private final SubscriptionService subscriptions;
  private final javax.sql.DataSource dataSource;

  @jakarta.inject.Inject
  jakarta.enterprise.event.Event<io.parasol.server.scheduling.PlacementInputsChanged> changed;

  /**
   * The price book as quotes read it: every price and licence fee, past and future, read again once
   * older than the placement snapshot's TTL and dropped when this replica's change commits (a
   * change on another replica shows within about the TTL). Settlement reads the database itself.
   */
  private final com.github.benmanes.caffeine.cache.LoadingCache<Boolean, PriceBook> priceBook;

  private final PricedThings priced;

  BillingService(
      BillingConfig config,
      AuditService audit,
      SubscriptionService subscriptions,
      io.parasol.server.scheduling.PlacementConfig placement,
      javax.sql.DataSource dataSource,
      PricedThings priced) {
    this.dataSource = dataSource;
    this.priced = priced;
    this.config = config;
    this.audit = audit;
    this.subscriptions = subscriptions;
    this.priceBook =
        com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
            // read again by the one caller that finds it older than the TTL, while the others
            // are served the last reading
            .refreshAfterWrite(placement.snapshotTtl())
            .expireAfterWrite(placement.snapshotTtl().multipliedBy(10))
            .executor(Runnable::run)
            .build(ignored -> readPriceBook());
  }

  /** Every price and licence fee, newest first within each partition and resource, or app. */
  private record PriceBook(Map<String, List<Price>> prices, Map<String, List<LicenceFee>> fees) {

    Optional<BigDecimal> price(String partition, Price.Resource resource, Instant at) {
      return prices.getOrDefault(partition + "/" + resource, List.of()).stream()
          .filter(p -> !p.effectiveFrom.isAfter(at))
          .findFirst()
          .map(p -> p.unitPrice);
    }

    Optional<LicenceFee> fee(String appId, Instant at) {
      return fees.getOrDefault(appId, List.of()).stream()
          .filter(f -> !f.effectiveFrom.isAfter(at))
          .findFirst();
    }
  }

  private PriceBook readPriceBook() {
    return io.quarkus.narayana.jta.QuarkusTransaction.joiningExisting()
        .call(
            () ->
                new PriceBook(
                    Price.<Price>list("order by effectiveFrom desc").stream()
                        .collect(
                            java.util.stream.Collectors.groupingBy(
                                p -> p.partition + "/" + p.resource)),
                    LicenceFee.<LicenceFee>list("order by effectiveFrom desc").stream()
                        .collect(java.util.stream.Collectors.groupingBy(f -> f.appId))));
  }

  void onPriceBookChange(
      @jakarta.enterprise.event.Observes(
              during = jakarta.enterprise.event.TransactionPhase.AFTER_SUCCESS)
          io.parasol.server.scheduling.PlacementInputsChanged change) {
    priceBook.invalidateAll();
  }

  // ---------------------------------------------------------------- accounts

  @Transactional
  public AccountView account(Caller caller, String org) {
    AccountView view = view(visible(caller, org));
    audit.recordAdminRead(caller, "account", org, org);
    return view;
  }

  /** Every org's account, by org (admin). */
  @Transactional
  public List<AccountView> accounts(Caller caller) {
    requireAdmin(caller);
    return BillingAccount.<BillingAccount>list("order by org").stream().map(this::view).toList();
  }

  /** Creates an account or changes its kind and credit limit (admin); If-Match guards races. */
  @Transactional
  public AccountView upsert(
      Caller caller,
      String org,
      BillingViews.AccountRequest request,
      Optional<io.parasol.server.common.IfMatch> ifMatch) {
    requireAdmin(caller);
    if (request == null || request.kind() == null) {
      throw ProblemException.invalid("kind", "is required: PREPAID or POSTPAID");
    }
    if (!org.matches("[a-z0-9][a-z0-9-]{0,63}")) {
      throw ProblemException.invalid("org", "must be an organisation id");
    }
    BigDecimal limit = request.creditLimit() == null ? BigDecimal.ZERO : request.creditLimit();
    if (limit.signum() < 0 || limit.scale() > Ledger.SCALE || limit.compareTo(MAX_TOP_UP) > 0) {
      throw ProblemException.invalid("creditLimit", "must be 0 or more, with at most 6 decimals");
    }
    if (request.kind() == BillingAccount.Kind.PREPAID && limit.signum() > 0) {
      throw ProblemException.invalid("creditLimit", "must be 0 for a prepaid account");
    }
    BillingAccount account = BillingAccount.findById(org, LockModeType.PESSIMISTIC_WRITE);
    if (account == null && ifMatch.isPresent()) {
      throw new ProblemException(
          412, "Precondition Failed", "the account does not exist yet; open it without If-Match");
    }
    if (account == null) {
      account = new BillingAccount();
      account.org = org;
      account.currency = config.currency();
      account.createdAt = Instant.now();
    } else if (ifMatch.isPresent() && !ifMatch.get().matches(Long.toString(account.rowVersion))) {
      throw new ProblemException(
          412,
          "Precondition Failed",
          "the account is at version "
              + account.rowVersion
              + ", which If-Match does not name (a weak tag never matches); read it again");
    }
    account.kind = request.kind();
    account.creditLimit = limit.setScale(Ledger.SCALE);
    account.persist();
    audit.record(
        caller, "account.update", "account", org, org, account.kind + " credit limit " + limit);
    BillingAccount.getEntityManager().flush();
    return view(account);
  }

  /** Adds funds to a prepaid account (admin); a retry with the same key has no further effect. */
  @Transactional
  public TransactionView topUp(
      Caller caller, String org, BillingViews.TopUpRequest request, String key) {
    requireAdmin(caller);
    if (key == null || !KEY.matcher(key).matches()) {
      throw ProblemException.invalid(
          "Idempotency-Key", "is required: 1 to 200 visible ASCII characters");
    }
    BigDecimal amount = request == null ? null : request.amount();
    if (amount == null
        || amount.signum() <= 0
        || amount.scale() > Ledger.SCALE
        || amount.compareTo(MAX_TOP_UP) > 0) {
      throw ProblemException.invalid(
          "amount", "must be positive, at most 1e9, with at most 6 decimals");
    }
    BillingAccount account = BillingAccount.findById(org, LockModeType.PESSIMISTIC_WRITE);
    if (account == null) {
      throw ProblemException.notFound("account " + org);
    }
    String ledgerKey = "top-up:" + org + ":" + key;
    Optional<LedgerTransaction> earlier = Ledger.find(ledgerKey);
    if (earlier.isPresent()) {
      LedgerTransaction t = earlier.get();
      BigDecimal before = Ledger.sum(Ledger.funds(org)); // unchanged by a replay
      if (LedgerEntry.count(
              "transactionId = ?1 and account = ?2 and amount = ?3",
              t.id,
              Ledger.funds(org),
              amount.setScale(Ledger.SCALE).negate())
          == 0) {
        throw new ProblemException(
            422,
            "Unprocessable Content",
            "this Idempotency-Key was already used for a different top-up",
            List.of(
                new ProblemException.FieldProblem(
                    "Idempotency-Key", "was used for a different request")),
            Map.of("balance", before.negate()));
      }
      return transaction(t);
    }
    LedgerTransaction t =
        Ledger.post(
            new Ledger.Posting(ledgerKey, "TOP_UP", org, "top-up", key, caller.name())
                .debit("bank", amount)
                .credit(Ledger.funds(org), amount)
                .memo(request.memo()));
    audit.record(caller, "account.top-up", "account", org, org, amount + " " + account.currency);
    return transaction(t);
  }

  @Transactional
  public Page<TransactionView> ledger(Caller caller, String org, int page, int size) {
    visible(caller, org);
    Page.check(page, size);
    audit.recordAdminRead(caller, "ledger", org, org);
    var query = LedgerTransaction.<LedgerTransaction>find("org = ?1 order by id desc", org);
    long total = query.count();
    return new Page<>(
        query.page(page, size).list().stream().map(this::transaction).toList(), page, size, total);
  }

  /**
   * An account's charges of one month (the month the usage was consumed in): a line per settled run
   * and the total. For postpaid accounts this is the monthly invoice.
   */
  @Transactional
  public BillingViews.Invoice invoice(Caller caller, String org, String period) {
    BillingAccount account = visible(caller, org);
    if (period == null || !period.matches("\\d{4}-(0[1-9]|1[0-2])")) {
      throw ProblemException.invalid("period", "must be a month, yyyy-MM");
    }
    audit.recordAdminRead(caller, "invoice", org + "/" + period, org);
    List<Object[]> rows =
        LedgerEntry.getEntityManager()
            .createQuery(
                "select t.causeId, t.memo, t.at, sum(e.amount) from LedgerTransaction t, LedgerEntry e"
                    + " where e.transactionId = t.id and t.org = ?1 and t.period = ?2 and t.kind = 'SETTLEMENT'"
                    + " and (e.account like 'revenue:%' or e.account like 'vendor:%')"
                    + " group by t.id, t.causeId, t.memo, t.at order by t.at",
                Object[].class)
            .setParameter(1, org)
            .setParameter(2, period)
            .getResultList();
    List<BillingViews.InvoiceLine> lines =
        rows.stream()
            .map(
                r ->
                    new BillingViews.InvoiceLine(
                        (String) r[0],
                        (String) r[1],
                        (Instant) r[2],
                        ((BigDecimal) r[3]).negate().setScale(Ledger.SCALE)))
            .toList();
    BigDecimal total =
        lines.stream()
            .map(BillingViews.InvoiceLine::amount)
            .reduce(BigDecimal.ZERO, BigDecimal::add);
    return new BillingViews.Invoice(
        org, account.kind, period, account.currency, lines, total.setScale(Ledger.SCALE));
  }

  // ---------------------------------------------------------------- prices

  @Transactional
  public List<PriceView> prices() {
    return Price.<Price>list("order by partition, resource, effectiveFrom desc").stream()
        .map(p -> new PriceView(p.partition, p.resource, p.unitPrice, p.effectiveFrom))
        .toList();
  }

  @Transactional
  public PriceView setPrice(Caller caller, PriceView request) {
    requireAdmin(caller);
    if (request == null
        || request.partition() == null
        || request.partition().isBlank()
        || request.resource() == null) {
      throw ProblemException.invalid("partition", "partition and resource are required");
    }
    if (!priced.isPartition(request.partition())) {
      throw ProblemException.invalid("partition", "names no partition: " + request.partition());
    }
    requireAmount("unitPrice", request.unitPrice());
    Price p = new Price();
    p.partition = request.partition();
    p.resource = request.resource();
    p.unitPrice = request.unitPrice().setScale(Ledger.SCALE);
    p.effectiveFrom = request.effectiveFrom() == null ? Instant.now() : request.effectiveFrom();
    p.createdBy = caller.name();
    p.createdAt = Instant.now();
    if (Price.count(
            "partition = ?1 and resource = ?2 and effectiveFrom = ?3",
            p.partition,
            p.resource,
            p.effectiveFrom)
        > 0) {
      throw ProblemException.conflict(
          "a price for that partition and resource starts at that time already");
    }
    p.persist();
    audit.record(
        caller,
        "price.set",
        "price",
        p.partition + "/" + p.resource,
        null,
        p.unitPrice + " from " + p.effectiveFrom);
    changed.fire(new io.parasol.server.scheduling.PlacementInputsChanged("price.set"));
    return new PriceView(p.partition, p.resource, p.unitPrice, p.effectiveFrom);
  }

  @Transactional
  public List<LicenceView> licenceFees() {
    return LicenceFee.<LicenceFee>list("order by appId, effectiveFrom desc").stream()
        .map(BillingService::view)
        .toList();
  }

  @Transactional
  public LicenceView setLicenceFee(Caller caller, LicenceView request) {
    requireAdmin(caller);
    if (request == null || request.appId() == null || request.basis() == null) {
      throw ProblemException.invalid("appId", "appId and basis are required");
    }
    if (!priced.isApp(request.appId())) {
      throw ProblemException.invalid("appId", "names no app that a vendor has uploaded");
    }
    requireAmount("amount", request.amount());
    BigDecimal share = request.isvShare();
    if (share == null
        || share.signum() < 0
        || share.compareTo(BigDecimal.ONE) > 0
        || share.scale() > Ledger.SCALE) {
      throw ProblemException.invalid("isvShare", "must be between 0 and 1");
    }
    LicenceFee f = new LicenceFee();
    f.appId = request.appId();
    f.basis = request.basis();
    f.amount = request.amount().setScale(Ledger.SCALE);
    f.isvShare = share.setScale(Ledger.SCALE);
    f.effectiveFrom = request.effectiveFrom() == null ? Instant.now() : request.effectiveFrom();
    f.createdBy = caller.name();
    f.createdAt = Instant.now();
    if (LicenceFee.count("appId = ?1 and effectiveFrom = ?2", f.appId, f.effectiveFrom) > 0) {
      throw ProblemException.conflict("a licence fee for that app starts at that time already");
    }
    f.persist();
    audit.record(
        caller,
        "licence-fee.set",
        "app",
        f.appId,
        null,
        f.basis + " " + f.amount + " share " + f.isvShare);
    changed.fire(new io.parasol.server.scheduling.PlacementInputsChanged("licence-fee.set"));
    return view(f);
  }

  // ---------------------------------------------------------------- quote, hold, settle

  /**
   * Prices a launch at the prices in force now (from the price book as of at most the placement
   * snapshot's TTL ago): at the expected wall time and at the limit.
   */
  public Quote quote(QuoteInput in) {
    Instant now = Instant.now();
    PriceBook book = priceBook.get(Boolean.TRUE);
    BigDecimal core =
        book.price(in.partition(), Price.Resource.CORE_HOUR, now)
            .orElseThrow(() -> noPrice(Price.Resource.CORE_HOUR, in.partition()));
    BigDecimal card =
        in.cards() > 0
            ? book.price(in.partition(), Price.Resource.CARD_HOUR, now)
                .orElseThrow(() -> noPrice(Price.Resource.CARD_HOUR, in.partition()))
            : BigDecimal.ZERO;
    Optional<LicenceFee> fee = book.fee(in.appId(), now);
    return new Quote(
        config.currency(),
        in.partition(),
        core,
        card,
        fee.map(BillingService::view).orElse(null),
        amounts(
            seconds(in.cores(), in.expectedSeconds()),
            seconds(in.cards(), in.expectedSeconds()),
            core,
            card,
            fee,
            true),
        amounts(
            seconds(in.cores(), in.wallTimeSeconds()),
            seconds(in.cards(), in.wallTimeSeconds()),
            core,
            card,
            fee,
            true));
  }

  private static BigDecimal seconds(int units, long seconds) {
    return BigDecimal.valueOf((long) units * seconds);
  }

  /** What one launch asks to hold of its org's available funds. */
  public record HoldRequest(String org, UUID runId, BigDecimal amount) {}

  /**
   * Holds the funds of several launches inside the caller's transaction, all or none: their ledger
   * rows first, then each org's funds taken for all its launches in one conditional statement, the
   * transaction's last, so that concurrent launches of one org wait for each other only from there
   * to the commit. Accounts are touched in one global order (by name), so concurrent transactions
   * never wait for each other's balance rows in a cycle.
   *
   * @throws ProblemException 402 when an org has no billing account or its available funds do not
   *     cover its launches (for one launch: the missing amount); the caller's transaction must then
   *     roll back
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void holdAll(List<HoldRequest> requests) {
    Map<String, BigDecimal> byOrg = new java.util.HashMap<>();
    List<Ledger.Posting> postings = new java.util.ArrayList<>();
    for (HoldRequest r : requests) {
      if (r.amount().signum() > 0) {
        byOrg.merge(r.org(), r.amount(), BigDecimal::add);
        postings.add(
            new Ledger.Posting(
                    "hold:" + r.runId(), "HOLD", r.org(), "run", r.runId().toString(), "parasol")
                .debit(Ledger.funds(r.org()), r.amount())
                .credit(Ledger.held(r.org()), r.amount()));
      }
    }
    // on the transaction's connection, in plain JDBC: a launch group's money in a few statements
    try (java.sql.Connection c = dataSource.getConnection()) {
      for (HoldRequest r : requests) {
        // an org holding nothing (inside reserved cores, no licence fee) still needs an account
        if (!byOrg.containsKey(r.org())
            && Ledger.first(c, "select 1 from billing_account where org = ?", r.org()) == null) {
          throw noAccount(r.org());
        }
      }
      Ledger.postNew(c, postings);
      // funds and held accounts in the global order; an org's funds ("…:funds") before its held
      java.util.TreeMap<String, String> accounts = new java.util.TreeMap<>();
      for (String org : byOrg.keySet()) {
        accounts.put(Ledger.funds(org), org);
        accounts.put(Ledger.held(org), org);
      }
      for (Map.Entry<String, String> e : accounts.entrySet()) {
        String org = e.getValue();
        BigDecimal amount = byOrg.get(org);
        if (e.getKey().equals(Ledger.held(org))) {
          Ledger.addToBalance(c, e.getKey(), amount.negate());
        } else if (!Ledger.debitWithinLimit(c, org, amount)) {
          BillingAccount account = BillingAccount.findById(org);
          throw account == null ? noAccount(org) : insufficient(account, amount);
        }
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("the holds could not be written: " + e.getMessage(), e);
    }
  }

  private static ProblemException noAccount(String org) {
    return new ProblemException(
        402,
        "Payment Required",
        "your organisation " + org + " has no billing account; ask an admin to open one");
  }

  private ProblemException insufficient(BillingAccount account, BigDecimal amount) {
    BigDecimal available = available(account);
    BigDecimal missing = amount.subtract(available);
    return new ProblemException(
        402,
        "Payment Required",
        "this launch needs "
            + amount
            + " "
            + account.currency
            + " held; "
            + available
            + " is available, "
            + missing
            + " is missing",
        List.of(),
        Map.of(
            "required",
            amount,
            "available",
            available,
            "missing",
            missing,
            "currency",
            account.currency));
  }

  /**
   * Settles an ended run once: rates its usage at the prices in force when it was consumed,
   * releases its hold, charges the account and credits the vendor's share. Joins the caller's
   * transaction; a second call for the same run changes nothing.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void settle(RunUsage usage) {
    String key = "settle:" + usage.runId();
    if (Ledger.find(key).isPresent()) {
      return;
    }
    // The run's usage is what metering holds for it; a local run is metered here, from its times.
    if (UsageRecord.count("runId", usage.runId()) == 0) {
      long seconds =
          usage.from() == null
              ? 0
              : Math.max(0, Duration.between(usage.from(), usage.to()).toMillis()) / 1000;
      UsageRecord record = new UsageRecord();
      record.idempotencyKey = "run:" + usage.runId();
      record.org = usage.org();
      record.runId = usage.runId();
      record.partition = usage.partition();
      record.coreSeconds =
          BigDecimal.valueOf((long) usage.cores() * seconds).setScale(Ledger.SCALE);
      record.cardSeconds =
          BigDecimal.valueOf((long) usage.cards() * seconds).setScale(Ledger.SCALE);
      record.consumedAt = usage.to();
      record.period = Ledger.period(usage.to());
      record.receivedAt = Instant.now();
      record.persist();
      UsageRecord.getEntityManager().flush();
    }
    Object[] metered =
        (Object[])
            UsageRecord.getEntityManager()
                .createQuery(
                    "select coalesce(sum(u.coreSeconds), 0), coalesce(sum(u.cardSeconds), 0) from UsageRecord u"
                        + " where u.runId = ?1")
                .setParameter(1, usage.runId())
                .getSingleResult();
    BigDecimal coreSeconds = (BigDecimal) metered[0];
    BigDecimal cardSeconds = (BigDecimal) metered[1];
    BigDecimal core = price(usage.partition(), Price.Resource.CORE_HOUR, usage.to());
    BigDecimal card =
        cardSeconds.signum() > 0
            ? price(usage.partition(), Price.Resource.CARD_HOUR, usage.to())
            : BigDecimal.ZERO;
    Optional<LicenceFee> fee = fee(usage.appId(), usage.to());
    Amounts used = amounts(coreSeconds, cardSeconds, core, card, fee, usage.started());
    BigDecimal held =
        Ledger.find("hold:" + usage.runId())
            .map(t -> Ledger.sumOf(t.id, Ledger.held(usage.org())).negate())
            .orElse(BigDecimal.ZERO);
    // A run inside a subscription's reserved cores pays no compute, only its licence.
    boolean reserved = subscriptions.release(usage.runId());
    BigDecimal compute = reserved ? BigDecimal.ZERO.setScale(Ledger.SCALE) : used.compute();
    BigDecimal licence = used.licence();
    String memo =
        used.coreHours()
            + " core-h, "
            + used.cardHours()
            + " card-h"
            + (reserved ? ", reserved" : "");
    BillingAccount account = BillingAccount.findById(usage.org());
    if (account != null
        && account.kind == BillingAccount.Kind.PREPAID
        && held.signum() > 0
        && compute.add(licence).compareTo(held) > 0) {
      // A prepaid balance never goes below zero: the charge stops at what was held.
      licence = licence.min(held);
      compute = held.subtract(licence);
      memo += "; capped at the hold " + held;
    }
    BigDecimal share =
        fee.map(f -> f.isvShare)
            .orElse(BigDecimal.ZERO)
            .multiply(licence)
            .setScale(Ledger.SCALE, RoundingMode.HALF_EVEN);
    Ledger.Posting posting =
        new Ledger.Posting(
                key, "SETTLEMENT", usage.org(), "run", usage.runId().toString(), "parasol")
            .at(usage.to())
            .memo(memo);
    if (held.signum() > 0) {
      posting.debit(Ledger.held(usage.org()), held).credit(Ledger.funds(usage.org()), held);
    }
    posting
        .debit(Ledger.funds(usage.org()), compute.add(licence))
        .credit(Ledger.computeRevenue(usage.partition()), compute)
        .credit(Ledger.licenceRevenue(usage.appId()), licence.subtract(share))
        .credit(Ledger.vendorPayable(usage.vendorOrg()), share);
    Ledger.post(posting);
  }

  // ---------------------------------------------------------------- helpers

  private Amounts amounts(
      BigDecimal coreSeconds,
      BigDecimal cardSeconds,
      BigDecimal core,
      BigDecimal card,
      Optional<LicenceFee> fee,
      boolean started) {
    BigDecimal coreHours = coreSeconds.divide(SECONDS_PER_HOUR, 12, RoundingMode.HALF_EVEN);
    BigDecimal cardHours = cardSeconds.divide(SECONDS_PER_HOUR, 12, RoundingMode.HALF_EVEN);
    BigDecimal compute = coreHours.multiply(core).add(cardHours.multiply(card));
    BigDecimal licence = BigDecimal.ZERO;
    if (fee.isPresent()) {
      licence =
          fee.get().basis == LicenceFee.Basis.PER_RUN
              ? (started ? fee.get().amount : BigDecimal.ZERO)
              : coreHours.multiply(fee.get().amount);
    }
    compute = compute.setScale(Ledger.SCALE, RoundingMode.HALF_EVEN);
    licence = licence.setScale(Ledger.SCALE, RoundingMode.HALF_EVEN);
    return new Amounts(
        coreHours.setScale(Ledger.SCALE, RoundingMode.HALF_EVEN),
        cardHours.setScale(Ledger.SCALE, RoundingMode.HALF_EVEN),
        compute,
        licence,
        compute.add(licence));
  }

  /** The price of a resource on a partition in force now, if one is. */
  @Transactional
  public Optional<BigDecimal> priceNow(String partition, Price.Resource resource) {
    return Price.<Price>find(
            "partition = ?1 and resource = ?2 and effectiveFrom <= ?3 order by effectiveFrom desc",
            partition,
            resource,
            Instant.now())
        .firstResultOptional()
        .map(p -> p.unitPrice);
  }

  private static BigDecimal price(String partition, Price.Resource resource, Instant at) {
    return Price.<Price>find(
            "partition = ?1 and resource = ?2 and effectiveFrom <= ?3 order by effectiveFrom desc",
            partition,
            resource,
            at)
        .firstResultOptional()
        .map(p -> p.unitPrice)
        .orElseThrow(() -> noPrice(resource, partition));
  }

  private static ProblemException noPrice(Price.Resource resource, String partition) {
    return new ProblemException(
        409,
        "Conflict",
        "no " + resource + " price is in force for partition " + partition + "; ask an admin");
  }

  private static Optional<LicenceFee> fee(String appId, Instant at) {
    return LicenceFee.<LicenceFee>find(
            "appId = ?1 and effectiveFrom <= ?2 order by effectiveFrom desc", appId, at)
        .firstResultOptional();
  }

  private static BigDecimal available(BillingAccount account) {
    // funds is credit-normal: its balance is minus the sum of its entries.
    return Ledger.sum(Ledger.funds(account.org)).negate().add(account.creditLimit);
  }

  private AccountView view(BillingAccount a) {
    BigDecimal funds = Ledger.sum(Ledger.funds(a.org)).negate();
    BigDecimal holds = Ledger.sum(Ledger.held(a.org)).negate();
    return new AccountView(
        a.org,
        a.kind,
        a.currency,
        funds.add(holds),
        holds,
        funds.add(a.creditLimit),
        a.creditLimit,
        a.rowVersion);
  }

  private TransactionView transaction(LedgerTransaction t) {
    List<EntryView> entries =
        LedgerEntry.<LedgerEntry>list("transactionId = ?1 order by id", t.id).stream()
            .map(e -> new EntryView(e.account, e.amount))
            .toList();
    return new TransactionView(
        t.id, t.kind, t.causeType, t.causeId, t.actor, t.memo, t.period, t.at, entries);
  }

  private static LicenceView view(LicenceFee f) {
    return new LicenceView(f.appId, f.basis, f.amount, f.isvShare, f.effectiveFrom);
  }

  private static BillingAccount visible(Caller caller, String org) {
    if (!caller.canSee(org) || (caller.role() == Role.ISV)) {
      throw ProblemException.notFound("account " + org);
    }
    BillingAccount account = BillingAccount.findById(org);
    if (account == null) {
      throw ProblemException.notFound("account " + org);
    }
    return account;
  }

  private static void requireAdmin(Caller caller) {
    if (!caller.isAdmin()) {
      throw ProblemException.forbidden("only admins manage accounts, prices and fees");
    }
  }

  private static void requireAmount(String field, BigDecimal value) {
    if (value == null
        || value.signum() < 0
        || value.scale() > Ledger.SCALE
        || value.compareTo(MAX_TOP_UP) > 0) {
      throw ProblemException.invalid(field, "must be 0 or more, with at most 6 decimals");
    }
  }
}
