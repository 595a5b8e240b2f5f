package io.parasol.server.billing;

import static io.parasol.server.Api.as;
import static io.parasol.server.billing.BillingTest.assertMoney;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.parasol.server.Api;
import io.parasol.server.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The finance definitions against hand-computed examples. Revenue comes from real settlements of
 * usage at 1.00 per core-hour on partitions p-a and p-b (both in site dc-1), in months of 2025.
 */
@QuarkusTest
@Tag("db")
class FinanceTest {

  @Inject BillingService billing;

  static synchronized void prices() {
    io.parasol.server.Fixtures.billedPartitions("p-a", "p-b");
    io.parasol.server.Fixtures.appOwned("finance-app-2", "fin-vendor-2");
    for (String partition : List.of("p-a", "p-b")) {
      int status =
          as("admin")
              .contentType("application/json")
              .body(
                  Map.of(
                      "partition",
                      partition,
                      "resource",
                      "CORE_HOUR",
                      "unitPrice",
                      1,
                      "effectiveFrom",
                      "2020-01-01T00:00:00Z"))
              .post("/api/v1/prices")
              .statusCode();
      assertEquals(true, status == 201 || status == 409, "price status " + status);
    }
  }

  /** Settles a run of {@code revenue} core-hours (1 core) consumed on {@code day}. */
  void usage(String org, String partition, String day, long revenue, String appId, String vendor) {
    Instant to = LocalDate.parse(day).atTime(12, 0).toInstant(ZoneOffset.UTC);
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                billing.settle(
                    new BillingViews.RunUsage(
                        UUID.randomUUID(),
                        org,
                        appId,
                        vendor,
                        partition,
                        1,
                        0,
                        to.minusSeconds(revenue * 3600),
                        to,
                        true)));
  }

  static JsonPath report(String period) {
    return as("admin")
        .get("/api/v1/finance/reports/" + period)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .using(BillingTest.EXACT);
  }

  static String amount(JsonPath report, String path) {
    return report.getString(path);
  }

  @Test
  void renewalRateCanExceedOneHundredPercent() {
    prices();
    usage("ren-a", "p-a", "2025-01-15", 100, "finance-app", "fin-vendor");
    usage("ren-b", "p-a", "2025-01-20", 50, "finance-app", "fin-vendor");
    usage("ren-a", "p-a", "2025-02-10", 200, "finance-app", "fin-vendor");
    usage("ren-c", "p-b", "2025-02-12", 30, "finance-app", "fin-vendor");
    JsonPath feb = report("2025-02");
    // (revenue in Feb from the accounts that paid in Jan) / (revenue in Jan) = 200 / 150
    assertMoney("150", amount(feb, "renewal.previousRevenue"));
    assertMoney("200", amount(feb, "renewal.revenueFromPreviousPayers"));
    assertMoney("1.333333", amount(feb, "renewal.rate"));
    assertEquals("2025-01", feb.getString("renewal.previousPeriod"));
    assertMoney("230", amount(feb, "revenue.total"));
    // A quarter compares with the quarter before, which had no revenue: no rate.
    JsonPath q1 = report("2025-Q1");
    assertEquals("2024-Q4", q1.getString("renewal.previousPeriod"));
    assertNull(q1.get("renewal.rate"));
  }

  @Test
  void costsAreAllocatedByRevenueShareAsDefined() {
    prices();
    usage("al-a", "p-a", "2025-03-05", 50, "finance-app", "fin-vendor");
    usage("al-b", "p-a", "2025-03-06", 30, "finance-app", "fin-vendor");
    usage("al-c", "p-a", "2025-03-07", 20, "finance-app", "fin-vendor");
    usage("al-a", "p-b", "2025-03-08", 100, "finance-app", "fin-vendor");
    cost(
        Map.of("period", "2025-03", "kind", "PURCHASED_COMPUTE", "partition", "p-a", "amount", 40));
    cost(Map.of("period", "2025-03", "kind", "DEPRECIATION", "partition", "p-a", "amount", 10));
    cost(Map.of("period", "2025-03", "kind", "IDC_RENT", "site", "dc-1", "amount", 60));
    JsonPath r = report("2025-03");
    // p-a (100) is shared by three contracts 50/30/20; dc-1 (200) holds p-a and p-b.
    Map<String, String> expected =
        Map.of(
            "al-a PURCHASED_COMPUTE",
            "20",
            "al-b PURCHASED_COMPUTE",
            "12",
            "al-c PURCHASED_COMPUTE",
            "8",
            "al-a DEPRECIATION",
            "5",
            "al-b DEPRECIATION",
            "3",
            "al-c DEPRECIATION",
            "2",
            "al-a IDC_RENT",
            "45",
            "al-b IDC_RENT",
            "9",
            "al-c IDC_RENT",
            "6");
    expected.forEach(
        (key, value) -> {
          String[] k = key.split(" ");
          assertMoney(
              value,
              amount(
                  r,
                  "allocation.find { it.contract == '"
                      + k[0]
                      + "' && it.kind == '"
                      + k[1]
                      + "' }.amount"));
        });
    assertMoney("20", amount(r, "grossMargin.byPartition.find { it.partition == 'p-a' }.margin"));
    assertMoney("70", amount(r, "grossMargin.byPartition.find { it.partition == 'p-b' }.margin"));
    assertMoney("80", amount(r, "grossMargin.byContract.find { it.contract == 'al-a' }.margin"));
    assertMoney("6", amount(r, "grossMargin.byContract.find { it.contract == 'al-b' }.margin"));
    assertMoney("4", amount(r, "grossMargin.byContract.find { it.contract == 'al-c' }.margin"));
    as("admin")
        .get("/api/v1/finance/reports/2025-03?format=csv")
        .then()
        .statusCode(200)
        .contentType("text/csv")
        .body(containsString("allocation,al-a,\"PURCHASED_COMPUTE partition:p-a\",20.000000"))
        .body(containsString("margin-contract,al-b,,6.000000"));
  }

  @Test
  void subscriptionsAreRecognisedRatablyPerDay() {
    account("sub-d", "PREPAID", 0);
    topUp("sub-d", 1000);
    subscribe("sub-d", "p-b", "2025-04-01", "2025-07-01", 910, "UPFRONT").then().statusCode(201);
    // 910 over 91 days = 10 a day: April 300, May 310, June 300.
    assertMoney(
        "300",
        amount(
            report("2025-04"), "revenue.byContract.find { it.contract == 'sub-d' }.subscriptions"));
    assertMoney(
        "310",
        amount(
            report("2025-05"), "revenue.byContract.find { it.contract == 'sub-d' }.subscriptions"));
    assertMoney(
        "910",
        amount(
            report("2025-Q2"), "revenue.byContract.find { it.contract == 'sub-d' }.subscriptions"));
    assertMoney(
        "90",
        as("admin")
            .get("/api/v1/accounts/sub-d")
            .then()
            .extract()
            .jsonPath()
            .using(BillingTest.EXACT)
            .getString("balance"));

    // Monthly, postpaid: 590 over 59 days, charged per month (17, 28 and 14 days).
    account("sub-e", "POSTPAID", 10000);
    subscribe("sub-e", "p-a", "2025-01-15", "2025-03-15", 590, "MONTHLY").then().statusCode(201);
    List<String> kinds =
        as("admin")
            .get("/api/v1/accounts/sub-e/ledger")
            .then()
            .extract()
            .jsonPath()
            .getList("items.kind");
    assertEquals(3, kinds.stream().filter("SUBSCRIPTION"::equals).count(), "ledger: " + kinds);
    assertMoney(
        "-590",
        as("admin")
            .get("/api/v1/accounts/sub-e")
            .then()
            .extract()
            .jsonPath()
            .using(BillingTest.EXACT)
            .getString("balance"));

    // A retried creation with its key charges once.
    account("sub-g", "PREPAID", 0);
    topUp("sub-g", 100);
    io.parasol.server.Fixtures.billedPartitions("p-a", "p-b");
    for (int i = 0; i < 2; i++) {
      as("admin")
          .header("Idempotency-Key", "sub-g-once")
          .contentType("application/json")
          .body(
              Map.of(
                  "org",
                  "sub-g",
                  "partition",
                  "p-a",
                  "cores",
                  1,
                  "startsOn",
                  "2025-01-01",
                  "endsOn",
                  "2025-02-01",
                  "price",
                  31,
                  "billing",
                  "UPFRONT"))
          .post("/api/v1/subscriptions")
          .then()
          .statusCode(201);
    }
    assertMoney(
        "69",
        as("admin")
            .get("/api/v1/accounts/sub-g")
            .then()
            .extract()
            .jsonPath()
            .using(BillingTest.EXACT)
            .getString("balance"));

    account("sub-f", "PREPAID", 0);
    subscribe("sub-f", "p-a", "2025-01-01", "2025-02-01", 5, "UPFRONT").then().statusCode(402);
    subscribe("sub-f", "p-a", "2025-01-01", "2025-02-01", 5, "MONTHLY").then().statusCode(422);
    subscribe("sub-f", "p-a", "2025-02-01", "2025-01-01", 5, "UPFRONT").then().statusCode(422);
  }

  @Test
  void isvPayoutsAreTheVendorsShareOfLicenceFees() {
    prices();
    as("admin")
        .contentType("application/json")
        .body(
            Map.of(
                "appId",
                "finance-app-2",
                "basis",
                "PER_RUN",
                "amount",
                10,
                "isvShare",
                0.7,
                "effectiveFrom",
                "2020-01-01T00:00:00Z"))
        .post("/api/v1/licence-fees")
        .then()
        .statusCode(201);
    usage("pay-a", "p-a", "2025-05-05", 1, "finance-app-2", "fin-vendor-2");
    usage("pay-a", "p-a", "2025-05-06", 1, "finance-app-2", "fin-vendor-2");
    JsonPath may = report("2025-05");
    assertMoney("14", amount(may, "isvPayouts.find { it.vendor == 'fin-vendor-2' }.amount"));
    // The platform keeps 30% of the fee: 2 runs x 3 + 2 core-hours of compute.
    assertMoney("6", amount(may, "revenue.byContract.find { it.contract == 'pay-a' }.licence"));
    assertMoney("2", amount(may, "revenue.byContract.find { it.contract == 'pay-a' }.usage"));

    // The vendor's own statement: its app, the runs that paid it, its share.
    JsonPath statement =
        as("admin")
            .get("/api/v1/vendors/fin-vendor-2/statements/2025-05")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals(List.of("finance-app-2"), statement.getList("apps.appId"));
    assertEquals(2, statement.getInt("apps[0].runs"));
    assertMoney("14", amount(statement, "apps[0].revenue"));
    assertMoney("14", amount(statement, "total"));
    as("admin")
        .get("/api/v1/vendors/fin-vendor-2/statements/2025-04")
        .then()
        .statusCode(200)
        .body("apps", org.hamcrest.Matchers.empty());
    as("ivy").get("/api/v1/vendors/fin-vendor-2/statements/2025-05").then().statusCode(404);
    as("admin").get("/api/v1/vendors/fin-vendor-2/statements/May").then().statusCode(422);
  }

  @Test
  void aRunInsideTheReservationPaysOnlyItsLicence() {
    Fixtures.heatTransferPublished();
    account("soylent", "PREPAID", 0);
    topUp("soylent", 10);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    subscribe("soylent", "local", today.toString(), today.plusDays(30).toString(), 3, "UPFRONT")
        .then()
        .statusCode(201);
    String run = Api.launch("erin", BillingTest.RUN);
    assertMoney(
        "0.05",
        as("erin")
            .get("/api/v1/runs/" + run)
            .then()
            .extract()
            .jsonPath()
            .using(BillingTest.EXACT)
            .getString("hold"));
    BillingTest.awaitSettled("erin", run);
    assertMoney("0.05", BillingTest.charge(run).toPlainString());
    as("erin")
        .get("/api/v1/subscriptions")
        .then()
        .statusCode(200)
        .body("org", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.equalTo("soylent")));
  }

  @Test
  void periodsAndCostsAreChecked() {
    as("admin").get("/api/v1/finance/reports/2025-13").then().statusCode(422);
    as("admin").get("/api/v1/finance/reports/2025-Q5").then().statusCode(422);
    as("alice").get("/api/v1/finance/reports/2025-01").then().statusCode(403);
    as("admin")
        .contentType("application/json")
        .body(Map.of("period", "2025-03", "kind", "IDC_RENT", "amount", 1))
        .post("/api/v1/finance/costs")
        .then()
        .statusCode(422);
    as("admin")
        .contentType("application/json")
        .body(Map.of("period", "2025-03", "kind", "DEPRECIATION", "partition", "p-a", "amount", -1))
        .post("/api/v1/finance/costs")
        .then()
        .statusCode(422);
  }

  static void cost(Map<String, Object> body) {
    as("admin")
        .contentType("application/json")
        .body(body)
        .post("/api/v1/finance/costs")
        .then()
        .statusCode(201);
  }

  static void account(String org, String kind, int limit) {
    as("admin")
        .contentType("application/json")
        .body(Map.of("kind", kind, "creditLimit", limit))
        .put("/api/v1/accounts/" + org)
        .then()
        .statusCode(200);
  }

  static void topUp(String org, int amount) {
    as("admin")
        .header("Idempotency-Key", "fin-" + UUID.randomUUID())
        .contentType("application/json")
        .body(Map.of("amount", amount))
        .post("/api/v1/accounts/" + org + "/top-ups")
        .then()
        .statusCode(200);
  }

  static io.restassured.response.Response subscribe(
      String org, String partition, String from, String to, int price, String billing) {
    io.parasol.server.Fixtures.billedPartitions("p-a", "p-b");
    return as("admin")
        .contentType("application/json")
        .body(
            Map.of(
                "org",
                org,
                "partition",
                partition,
                "cores",
                4,
                "startsOn",
                from,
                "endsOn",
                to,
                "price",
                price,
                "billing",
                billing))
        .post("/api/v1/subscriptions");
  }
}
