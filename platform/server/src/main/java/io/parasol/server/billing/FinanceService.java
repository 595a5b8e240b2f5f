package io.parasol.server.billing;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import io.parasol.server.audit.AuditService;
import io.parasol.server.common.ProblemException;
import io.parasol.server.compute.Cluster;
import io.parasol.server.compute.ComputePartition;
import io.parasol.server.tenancy.Caller;
import io.parasol.server.tenancy.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The finance reports, by month or quarter, from the ledger, the subscriptions and the costs admins
 * enter, with the business definitions as written (docs/adr/0007-finance-definitions.md):
 * recognised revenue, renewal rate, cost allocation by revenue share, gross margin, ISV payouts. A
 * contract is an organisation's account.
 */
@ApplicationScoped
public class FinanceService {

  private static final Pattern MONTH = Pattern.compile("(\\d{4})-(0[1-9]|1[0-2])");
  private static final Pattern QUARTER = Pattern.compile("(\\d{4})-Q([1-4])");
  static final BigDecimal ZERO = BigDecimal.ZERO.setScale(Ledger.SCALE);

  private final FinanceConfig config;
  private final AuditService audit;

  FinanceService(FinanceConfig config, AuditService audit) {
    this.config = config;
    this.audit = audit;
  }

  /** A period: its name and months. */
  record Period(String name, YearMonth first, YearMonth last) {
    List<String> months() {
      List<String> months = new ArrayList<>();
      for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
        months.add(m.toString());
      }
      return months;
    }

    Period previous() {
      int length = months().size();
      YearMonth f = first.minusMonths(length);
      String n =
          length == 1 ? f.toString() : f.getYear() + "-Q" + ((f.getMonthValue() - 1) / 3 + 1);
      return new Period(n, f, first.minusMonths(1));
    }
  }

  static Period period(String text) {
    Matcher m = text == null ? null : MONTH.matcher(text);
    if (m != null && m.matches()) {
      YearMonth ym = YearMonth.parse(text);
      return new Period(text, ym, ym);
    }
    Matcher q = text == null ? null : QUARTER.matcher(text);
    if (q != null && q.matches()) {
      YearMonth first =
          YearMonth.of(Integer.parseInt(q.group(1)), (Integer.parseInt(q.group(2)) - 1) * 3 + 1);
      return new Period(text, first, first.plusMonths(2));
    }
    throw ProblemException.invalid("period", "must be a month (2026-03) or a quarter (2026-Q1)");
  }

  /** Revenue of one period, by contract and partition. */
  record Revenue(
      Map<String, BigDecimal> usageByContract,
      Map<String, BigDecimal> subscriptionsByContract,
      Map<String, BigDecimal> licenceByContract,
      Map<String, Map<String, BigDecimal>> partitionByContract) {

    BigDecimal contract(String org) {
      return usageByContract
          .getOrDefault(org, ZERO)
          .add(subscriptionsByContract.getOrDefault(org, ZERO))
          .add(licenceByContract.getOrDefault(org, ZERO));
    }

    Set<String> contracts() {
      Set<String> all = new TreeSet<>(usageByContract.keySet());
      all.addAll(subscriptionsByContract.keySet());
      all.addAll(licenceByContract.keySet());
      return all;
    }

    BigDecimal total() {
      return contracts().stream().map(this::contract).reduce(ZERO, BigDecimal::add);
    }

    BigDecimal partition(String partition) {
      return partitionByContract.getOrDefault(partition, Map.of()).values().stream()
          .reduce(ZERO, BigDecimal::add);
    }
  }

  Revenue revenue(Period p) {
    Map<String, BigDecimal> usage = new TreeMap<>();
    Map<String, BigDecimal> licence = new TreeMap<>();
    Map<String, BigDecimal> subs = new TreeMap<>();
    Map<String, Map<String, BigDecimal>> byPartition = new TreeMap<>();
    List<Object[]> rows =
        LedgerEntry.getEntityManager()
            .createQuery(
                "select t.org, e.account, sum(e.amount) from LedgerTransaction t, LedgerEntry e where e.transactionId = t.id"
                    + " and t.kind = 'SETTLEMENT' and t.period in ?1 and e.account like 'revenue:%' group by t.org, e.account",
                Object[].class)
            .setParameter(1, p.months())
            .getResultList();
    for (Object[] r : rows) {
      String org = (String) r[0];
      String account = (String) r[1];
      BigDecimal amount = ((BigDecimal) r[2]).negate().setScale(Ledger.SCALE);
      if (account.startsWith("revenue:compute:")) {
        String partition = account.substring("revenue:compute:".length());
        usage.merge(org, amount, BigDecimal::add);
        byPartition
            .computeIfAbsent(partition, k -> new TreeMap<>())
            .merge(org, amount, BigDecimal::add);
      } else {
        licence.merge(org, amount, BigDecimal::add);
      }
    }
    LocalDate from = p.first().atDay(1);
    LocalDate to = p.last().plusMonths(1).atDay(1);
    for (Subscription s :
        Subscription.<Subscription>list("startsOn < ?1 and endsOn > ?2", to, from)) {
      BigDecimal recognised = SubscriptionService.ratable(s, from, to);
      subs.merge(s.org, recognised, BigDecimal::add);
      byPartition
          .computeIfAbsent(s.partition, k -> new TreeMap<>())
          .merge(s.org, recognised, BigDecimal::add);
    }
    return new Revenue(usage, subs, licence, byPartition);
  }

  /** The report of a month or a quarter. */
  @Transactional
  public Map<String, Object> report(Caller caller, String periodText) {
    if (!caller.isAdmin()) {
      throw ProblemException.forbidden("only admins read finance reports");
    }
    Period p = period(periodText);
    Revenue now = revenue(p);
    Revenue before = revenue(p.previous());
    audit.record(caller, "finance.report", "report", p.name(), null, null);

    Map<String, Object> report = new java.util.LinkedHashMap<>();
    report.put("period", p.name());
    report.put("months", p.months());

    List<Map<String, Object>> contracts = new ArrayList<>();
    for (String org : now.contracts()) {
      contracts.add(
          Map.of(
              "contract", org,
              "usage", now.usageByContract().getOrDefault(org, ZERO),
              "subscriptions", now.subscriptionsByContract().getOrDefault(org, ZERO),
              "licence", now.licenceByContract().getOrDefault(org, ZERO),
              "total", now.contract(org)));
    }
    List<Map<String, Object>> partitions = new ArrayList<>();
    now.partitionByContract()
        .forEach(
            (partition, byOrg) ->
                partitions.add(
                    Map.of("partition", partition, "revenue", now.partition(partition))));
    report.put(
        "revenue",
        Map.of("total", now.total(), "byContract", contracts, "byPartition", partitions));

    // Renewal rate for t = revenue in t from the accounts that paid in t-1 / total revenue in t-1.
    BigDecimal previousTotal = before.total();
    BigDecimal fromPayers =
        before.contracts().stream()
            .filter(org -> before.contract(org).signum() > 0)
            .map(now::contract)
            .reduce(ZERO, BigDecimal::add);
    Map<String, Object> renewal = new java.util.LinkedHashMap<>();
    renewal.put("previousPeriod", p.previous().name());
    renewal.put("previousRevenue", previousTotal);
    renewal.put("revenueFromPreviousPayers", fromPayers);
    renewal.put(
        "rate",
        previousTotal.signum() == 0
            ? null
            : fromPayers.divide(previousTotal, Ledger.SCALE, RoundingMode.HALF_EVEN));
    report.put("renewal", renewal);

    // Costs and their allocation to contracts by revenue share.
    List<CostEntry> costs = CostEntry.list("period in ?1 order by id", p.months());
    Map<String, BigDecimal> allocatedToContract = new TreeMap<>();
    Map<String, BigDecimal> costOfPartition = new TreeMap<>();
    List<Map<String, Object>> allocation = new ArrayList<>();
    List<Map<String, Object>> unallocated = new ArrayList<>();
    for (CostEntry c : costs) {
      Map<String, BigDecimal> shares;
      BigDecimal base;
      if (c.kind == CostEntry.Kind.IDC_RENT) {
        List<String> inSite = partitionsOfSite(c.site);
        shares = new TreeMap<>();
        for (String partition : inSite) {
          now.partitionByContract()
              .getOrDefault(partition, Map.of())
              .forEach((org, v) -> shares.merge(org, v, BigDecimal::add));
        }
        base = shares.values().stream().reduce(ZERO, BigDecimal::add);
        // The site's partitions carry the rent by their share of the site's revenue.
        for (String partition : inSite) {
          if (base.signum() > 0) {
            costOfPartition.merge(
                partition,
                c.amount
                    .multiply(now.partition(partition))
                    .divide(base, Ledger.SCALE, RoundingMode.HALF_EVEN),
                BigDecimal::add);
          }
        }
      } else {
        shares = now.partitionByContract().getOrDefault(c.partition, Map.of());
        base = now.partition(c.partition);
        costOfPartition.merge(c.partition, c.amount, BigDecimal::add);
      }
      String target =
          c.kind == CostEntry.Kind.IDC_RENT ? "site:" + c.site : "partition:" + c.partition;
      if (base.signum() == 0) {
        unallocated.add(
            Map.of(
                "kind",
                c.kind,
                "of",
                target,
                "amount",
                c.amount,
                "reason",
                "no revenue to share it by"));
        continue;
      }
      for (Map.Entry<String, BigDecimal> share : shares.entrySet()) {
        BigDecimal amount =
            c.amount.multiply(share.getValue()).divide(base, Ledger.SCALE, RoundingMode.HALF_EVEN);
        allocation.add(
            Map.of("contract", share.getKey(), "kind", c.kind, "of", target, "amount", amount));
        allocatedToContract.merge(share.getKey(), amount, BigDecimal::add);
      }
    }
    report.put(
        "costs",
        costs.stream()
            .map(
                c ->
                    Map.of(
                        "kind",
                        c.kind,
                        "of",
                        c.kind == CostEntry.Kind.IDC_RENT
                            ? "site:" + c.site
                            : "partition:" + c.partition,
                        "period",
                        c.period,
                        "amount",
                        c.amount))
            .toList());
    report.put("allocation", allocation);
    report.put("unallocated", unallocated);

    List<Map<String, Object>> marginByPartition = new ArrayList<>();
    Set<String> allPartitions = new TreeSet<>(now.partitionByContract().keySet());
    allPartitions.addAll(costOfPartition.keySet());
    for (String partition : allPartitions) {
      BigDecimal revenue = now.partition(partition);
      BigDecimal cost = costOfPartition.getOrDefault(partition, ZERO);
      marginByPartition.add(
          Map.of(
              "partition",
              partition,
              "revenue",
              revenue,
              "costs",
              cost,
              "margin",
              revenue.subtract(cost)));
    }
    List<Map<String, Object>> marginByContract = new ArrayList<>();
    Set<String> allContracts = new TreeSet<>(now.contracts());
    allContracts.addAll(allocatedToContract.keySet());
    for (String org : allContracts) {
      BigDecimal revenue = now.contract(org);
      BigDecimal cost = allocatedToContract.getOrDefault(org, ZERO);
      marginByContract.add(
          Map.of(
              "contract",
              org,
              "revenue",
              revenue,
              "costs",
              cost,
              "margin",
              revenue.subtract(cost)));
    }
    report.put(
        "grossMargin", Map.of("byPartition", marginByPartition, "byContract", marginByContract));

    List<Object[]> payouts =
        LedgerEntry.getEntityManager()
            .createQuery(
                "select e.account, sum(e.amount) from LedgerTransaction t, LedgerEntry e where e.transactionId = t.id"
                    + " and t.period in ?1 and e.account like 'vendor:%' group by e.account order by e.account",
                Object[].class)
            .setParameter(1, p.months())
            .getResultList();
    report.put(
        "isvPayouts",
        payouts.stream()
            .map(
                r ->
                    Map.of(
                        "vendor",
                        ((String) r[0]).split(":")[1],
                        "amount",
                        ((BigDecimal) r[1]).negate().setScale(Ledger.SCALE)))
            .toList());
    return report;
  }

  /**
   * What one of a vendor's apps earned in a period.
   *
   * @param appId the app
   * @param runs the runs of it that paid the vendor in the period
   * @param revenue the vendor's share of their licence fees (credited to {@code vendor:ORG})
   */
  public record AppRevenue(String appId, long runs, BigDecimal revenue) {}

  /**
   * A vendor's statement: usage and revenue share of their apps in a month or a quarter.
   *
   * @param vendor the vendor org
   * @param period the period
   * @param apps per app, by app id
   * @param total the vendor's total share
   */
  public record VendorStatement(
      String vendor, String period, List<AppRevenue> apps, BigDecimal total) {}

  /** A vendor's statement; the vendor's ISVs and admins may read it. */
  @Transactional
  public VendorStatement vendorStatement(Caller caller, String vendor, String periodText) {
    if (!caller.isAdmin() && !(caller.role() == Role.ISV && caller.org().equals(vendor))) {
      throw ProblemException.notFound("vendor " + vendor);
    }
    Period p = period(periodText);
    audit.recordAdminRead(caller, "statement", vendor + "/" + p.name(), vendor);
    // Each settlement credits the vendor's share and, in the same transaction, the app's licence
    // revenue account: that entry names the app.
    List<Object[]> rows =
        LedgerEntry.getEntityManager()
            .createQuery(
                "select l.account, count(distinct t.causeId), sum(v.amount)"
                    + " from LedgerTransaction t, LedgerEntry v, LedgerEntry l"
                    + " where v.transactionId = t.id and l.transactionId = t.id and t.period in ?1"
                    + " and v.account = ?2 and l.account like 'revenue:licence:%'"
                    + " group by l.account order by l.account",
                Object[].class)
            .setParameter(1, p.months())
            .setParameter(2, Ledger.vendorPayable(vendor))
            .getResultList();
    List<AppRevenue> apps =
        rows.stream()
            .map(
                r ->
                    new AppRevenue(
                        ((String) r[0]).substring("revenue:licence:".length()),
                        ((Number) r[1]).longValue(),
                        ((BigDecimal) r[2]).negate().setScale(Ledger.SCALE)))
            .toList();
    BigDecimal total =
        apps.stream().map(AppRevenue::revenue).reduce(BigDecimal.ZERO, BigDecimal::add);
    return new VendorStatement(vendor, p.name(), apps, total.setScale(Ledger.SCALE));
  }

  /** One CSV row of a report. */
  @JsonPropertyOrder({"section", "key", "detail", "amount"})
  record CsvRow(String section, Object key, Object detail, Object amount) {}

  /** The same report as CSV rows: section, key, detail, amount. */
  public String csv(Map<String, Object> report) {
    List<CsvRow> rows = new ArrayList<>();
    Map<?, ?> revenue = (Map<?, ?>) report.get("revenue");
    rows.add(new CsvRow("revenue", "total", "", revenue.get("total")));
    for (Map<?, ?> r : maps(revenue.get("byContract"))) {
      for (String k : List.of("usage", "subscriptions", "licence", "total")) {
        rows.add(new CsvRow("revenue", r.get("contract"), k, r.get(k)));
      }
    }
    add(rows, "partition-revenue", revenue.get("byPartition"), "partition", "revenue");
    Map<?, ?> renewal = (Map<?, ?>) report.get("renewal");
    rows.add(new CsvRow("renewal", "rate", renewal.get("previousPeriod"), renewal.get("rate")));
    for (Map<?, ?> r : maps(report.get("allocation"))) {
      rows.add(
          new CsvRow(
              "allocation", r.get("contract"), r.get("kind") + " " + r.get("of"), r.get("amount")));
    }
    Map<?, ?> margin = (Map<?, ?>) report.get("grossMargin");
    add(rows, "margin-partition", margin.get("byPartition"), "partition", "margin");
    add(rows, "margin-contract", margin.get("byContract"), "contract", "margin");
    add(rows, "isv-payout", report.get("isvPayouts"), "vendor", "amount");
    CsvMapper csv = new CsvMapper();
    try {
      return csv.writer(csv.schemaFor(CsvRow.class).withHeader()).writeValueAsString(rows);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void add(
      List<CsvRow> rows, String section, Object list, String key, String value) {
    for (Map<?, ?> r : maps(list)) {
      rows.add(new CsvRow(section, r.get(key), "", r.get(value)));
    }
  }

  private static List<Map<?, ?>> maps(Object list) {
    return ((List<?>) list).stream().<Map<?, ?>>map(o -> (Map<?, ?>) o).toList();
  }

  /**
   * A cost entry as the API takes and shows it.
   *
   * @param period the month, yyyy-MM
   * @param kind purchased compute, depreciation or IDC rent
   * @param partition the partition (purchased compute, depreciation)
   * @param site the site (IDC rent)
   * @param amount the cost
   */
  public record CostView(
      String period, CostEntry.Kind kind, String partition, String site, BigDecimal amount) {}

  @Transactional
  public CostView addCost(Caller caller, CostView in) {
    if (!caller.isAdmin()) {
      throw ProblemException.forbidden("only admins enter costs");
    }
    if (in == null || in.period() == null || !MONTH.matcher(in.period()).matches()) {
      throw ProblemException.invalid("period", "must be a month, yyyy-MM");
    }
    if (in.kind() == null) {
      throw ProblemException.invalid("kind", "is required");
    }
    if (in.kind() == CostEntry.Kind.IDC_RENT
        ? (in.site() == null || in.site().isBlank())
        : (in.partition() == null || in.partition().isBlank())) {
      throw ProblemException.invalid(
          in.kind() == CostEntry.Kind.IDC_RENT ? "site" : "partition",
          "is required for " + in.kind());
    }
    String where = in.kind() == CostEntry.Kind.IDC_RENT ? in.site() : in.partition();
    if (!io.parasol.server.common.Names.isName(where)) {
      throw ProblemException.invalid(
          in.kind() == CostEntry.Kind.IDC_RENT ? "site" : "partition",
          io.parasol.server.common.Names.RULE);
    }
    if (in.amount() == null
        || in.amount().signum() < 0
        || in.amount().scale() > Ledger.SCALE
        || in.amount().compareTo(BillingService.MAX_TOP_UP) > 0) {
      throw ProblemException.invalid("amount", "must be 0 or more, with at most 6 decimals");
    }
    CostEntry c = new CostEntry();
    c.period = in.period();
    c.kind = in.kind();
    c.partition = in.kind() == CostEntry.Kind.IDC_RENT ? null : in.partition();
    c.site = in.kind() == CostEntry.Kind.IDC_RENT ? in.site() : null;
    c.amount = in.amount().setScale(Ledger.SCALE);
    c.createdBy = caller.name();
    c.createdAt = Instant.now();
    c.persist();
    audit.record(
        caller,
        "finance.cost",
        "cost",
        c.id.toString(),
        null,
        c.kind + " " + c.amount + " " + c.period);
    return new CostView(c.period, c.kind, c.partition, c.site, c.amount);
  }

  /**
   * The partitions of a site: those of the registry's clusters in that site, and those configured
   * with {@code parasol.finance.sites.SITE} (partitions that no longer exist keep their history).
   */
  private List<String> partitionsOfSite(String site) {
    Set<String> partitions = new TreeSet<>(config.sites().getOrDefault(site, List.of()));
    Cluster.<Cluster>list("site", site)
        .forEach(
            cluster ->
                ComputePartition.<ComputePartition>list("cluster", cluster.name)
                    .forEach(partition -> partitions.add(partition.name)));
    return List.copyOf(partitions);
  }
}
