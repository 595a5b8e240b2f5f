package io.parasol.server.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What the billing feature answers and accepts. */
public final class BillingViews {

  private BillingViews() {}

  /**
   * An account.
   *
   * @param org the org
   * @param kind prepaid or postpaid
   * @param currency the currency
   * @param balance the funds, held ones included (negative: owed, postpaid)
   * @param holds the funds held for runs in flight
   * @param available what a launch may still hold: balance − holds + credit limit
   * @param creditLimit the credit limit (postpaid)
   * @param version the version, for If-Match on updates
   */
  public record AccountView(
      String org,
      BillingAccount.Kind kind,
      String currency,
      BigDecimal balance,
      BigDecimal holds,
      BigDecimal available,
      BigDecimal creditLimit,
      long version) {}

  /**
   * Creates or changes an account (admin).
   *
   * @param kind prepaid or postpaid
   * @param creditLimit the credit limit, postpaid only
   */
  public record AccountRequest(BillingAccount.Kind kind, BigDecimal creditLimit) {}

  /**
   * A top-up of a prepaid account.
   *
   * @param amount the amount, positive, at most 6 decimals
   * @param memo a note, such as the payment reference
   */
  public record TopUpRequest(BigDecimal amount, String memo) {}

  /**
   * A ledger entry.
   *
   * @param account the ledger account
   * @param amount debit (positive) or credit (negative)
   */
  public record EntryView(String account, BigDecimal amount) {}

  /**
   * A ledger transaction.
   *
   * @param id its id
   * @param kind TOP_UP, HOLD, SETTLEMENT …
   * @param causeType what caused it (top-up, run)
   * @param causeId which one
   * @param actor who
   * @param memo a note
   * @param period the month it belongs to
   * @param at when it was recorded
   * @param entries its entries, summing to zero
   */
  public record TransactionView(
      long id,
      String kind,
      String causeType,
      String causeId,
      String actor,
      String memo,
      String period,
      Instant at,
      List<EntryView> entries) {}

  /**
   * Amounts of one estimate.
   *
   * @param coreHours core-hours
   * @param cardHours accelerator card-hours
   * @param compute compute price
   * @param licence licence fees
   * @param total compute + licence
   */
  public record Amounts(
      BigDecimal coreHours,
      BigDecimal cardHours,
      BigDecimal compute,
      BigDecimal licence,
      BigDecimal total) {}

  /**
   * A quote for a launch.
   *
   * @param currency the currency
   * @param partition the partition priced
   * @param coreHourPrice the price per core-hour in force
   * @param cardHourPrice the price per card-hour in force
   * @param licence the app's licence fee, if any
   * @param expected at the app's expected wall time
   * @param maximum at the run's wall-time limit: the amount a launch holds
   */
  public record Quote(
      String currency,
      String partition,
      BigDecimal coreHourPrice,
      BigDecimal cardHourPrice,
      LicenceView licence,
      Amounts expected,
      Amounts maximum) {}

  /**
   * A licence fee.
   *
   * @param appId the app
   * @param basis per core-hour or per run
   * @param amount the fee
   * @param isvShare the vendor's share
   * @param effectiveFrom in force from
   */
  public record LicenceView(
      String appId,
      LicenceFee.Basis basis,
      BigDecimal amount,
      BigDecimal isvShare,
      Instant effectiveFrom) {}

  /**
   * A price.
   *
   * @param partition the partition
   * @param resource core-hour or card-hour
   * @param unitPrice the price
   * @param effectiveFrom in force from
   */
  public record PriceView(
      String partition, Price.Resource resource, BigDecimal unitPrice, Instant effectiveFrom) {}

  /**
   * What a launch asks billing to quote.
   *
   * @param appId the app
   * @param partition the partition
   * @param cores cores
   * @param cards accelerator cards
   * @param expectedSeconds the app's expected wall time
   * @param wallTimeSeconds the run's wall-time limit
   */
  public record QuoteInput(
      String appId,
      String partition,
      int cores,
      int cards,
      long expectedSeconds,
      long wallTimeSeconds) {}

  /**
   * What a run used, for settlement.
   *
   * @param runId the run
   * @param org its org
   * @param appId its app
   * @param vendorOrg the app's vendor
   * @param partition where it ran
   * @param cores its cores
   * @param cards its accelerator cards
   * @param from when its resources were allocated (null if never)
   * @param to when it ended
   * @param started whether the solver started (per-run licence fees)
   */
  public record RunUsage(
      UUID runId,
      String org,
      String appId,
      String vendorOrg,
      String partition,
      int cores,
      int cards,
      Instant from,
      Instant to,
      boolean started) {}

  /**
   * One charged run on an invoice.
   *
   * @param runId the run
   * @param usage what it used
   * @param settledAt when it was charged
   * @param amount the charge
   */
  public record InvoiceLine(String runId, String usage, Instant settledAt, BigDecimal amount) {}

  /**
   * An account's charges of one month.
   *
   * @param org the org
   * @param kind prepaid or postpaid
   * @param period the month, yyyy-MM
   * @param currency the currency
   * @param lines a line per settled run
   * @param total the sum of the lines
   */
  public record Invoice(
      String org,
      BillingAccount.Kind kind,
      String period,
      String currency,
      List<InvoiceLine> lines,
      BigDecimal total) {}
}
