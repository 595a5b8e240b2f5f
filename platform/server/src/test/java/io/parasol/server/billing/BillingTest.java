package io.parasol.server.billing;

import static io.parasol.server.Api.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parasol.server.Api;
import io.parasol.server.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Money rules: quotes, holds under concurrency, idempotent top-ups, settlement exactly once. H2 and
 * PostgreSQL.
 */
@QuarkusTest
@Tag("db")
class BillingTest {

  static final Map<String, Object> RUN =
      Map.of(
          "appId",
          "heat-transfer",
          "inputs",
          Map.of("nx", 11, "ny", 11, "duration", 1, "wallTimeMinutes", 6));

  @jakarta.inject.Inject io.parasol.server.run.RunSettlementProbe settlement;

  /** JSON numbers read as exact decimals. */
  static final io.restassured.path.json.config.JsonPathConfig EXACT =
      new io.restassured.path.json.config.JsonPathConfig(
          io.restassured.path.json.config.JsonPathConfig.NumberReturnType.BIG_DECIMAL);

  static BigDecimal money(String text) {
    return new BigDecimal(text).setScale(6);
  }

  @Test
  void aQuoteMatchesTheHandComputedPrice() {
    Fixtures.heatTransferPublished();
    // 2 cores for at most 30 min at 0.10 per core-hour, plus 0.05 per run; expected 5 min.
    JsonPath quote =
        as("alice")
            .contentType("application/json")
            .body(
                Map.of(
                    "appId", "heat-transfer", "inputs", Map.of("cores", 2, "wallTimeMinutes", 30)))
            .post("/api/v1/runs/quote")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .using(EXACT);
    assertMoney("0.10", quote.getString("coreHourPrice"));
    assertMoney("1", quote.getString("maximum.coreHours"));
    assertMoney("0.1", quote.getString("maximum.compute"));
    assertMoney("0.05", quote.getString("maximum.licence"));
    assertMoney("0.15", quote.getString("maximum.total"));
    assertMoney("0.166667", quote.getString("expected.coreHours"));
    assertMoney("0.066667", quote.getString("expected.total"));
    assertEquals("USD", quote.getString("currency"));
  }

  @Test
  void concurrentLaunchesNeverTakeAvailableFundsBelowZero() throws Exception {
    Fixtures.heatTransferPublished();
    as("admin")
        .contentType("application/json")
        .body(Map.of("kind", "PREPAID"))
        .put("/api/v1/accounts/initech")
        .then()
        .statusCode(200);
    BigDecimal hold = quoteMaximum("carol");
    int accepted = 5;
    as("admin")
        .header("Idempotency-Key", "initech-" + UUID.randomUUID())
        .contentType("application/json")
        .body(Map.of("amount", hold.multiply(BigDecimal.valueOf(accepted))))
        .post("/api/v1/accounts/initech/top-ups")
        .then()
        .statusCode(200);

    int clients = 64;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<Integer>> answers = new ArrayList<>();
    List<String> runs = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < clients; i++) {
      answers.add(
          pool.submit(
              () -> {
                go.await();
                var response =
                    as("carol").contentType("application/json").body(RUN).post("/api/v1/runs");
                if (response.statusCode() == 201) {
                  runs.add(response.jsonPath().getString("id"));
                } else if (response.statusCode() == 402) {
                  assertTrue(
                      response.jsonPath().getString("detail").contains("missing"),
                      response.asString());
                }
                return response.statusCode();
              }));
    }
    go.countDown();
    List<Integer> codes = new ArrayList<>();
    for (Future<Integer> answer : answers) {
      codes.add(answer.get());
    }
    pool.shutdown();
    assertEquals(accepted, codes.stream().filter(c -> c == 201).count(), "answers: " + codes);
    assertEquals(
        clients - accepted, codes.stream().filter(c -> c == 402).count(), "answers: " + codes);

    for (String run : runs) {
      awaitSettled("carol", run);
    }
    JsonPath account =
        as("carol")
            .get("/api/v1/accounts/initech")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .using(EXACT)
            .using(EXACT);
    assertMoney("0", account.getString("holds"));
    BigDecimal charged = BigDecimal.ZERO;
    for (String run : runs) {
      charged = charged.add(charge(run));
    }
    BigDecimal expected = hold.multiply(BigDecimal.valueOf(accepted)).subtract(charged);
    assertMoney(expected.toPlainString(), account.getString("balance"));
    assertTrue(new BigDecimal(account.getString("balance")).signum() >= 0);
    assertLedgerBalances();
  }

  @Test
  void aTopUpRetriedWithItsKeyHasOneEffect() {
    String key = "top-up-" + UUID.randomUUID();
    BigDecimal before = balance("globex");
    String first =
        topUp("globex", key, "12.5").then().statusCode(200).extract().path("id").toString();
    String again =
        topUp("globex", key, "12.5").then().statusCode(200).extract().path("id").toString();
    assertEquals(first, again);
    assertMoney(before.add(money("12.5")).toPlainString(), balance("globex").toPlainString());
    topUp("globex", key, "13")
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("Idempotency-Key"));
    as("admin")
        .contentType("application/json")
        .body(Map.of("amount", 5))
        .post("/api/v1/accounts/globex/top-ups")
        .then()
        .statusCode(422);
    topUp("globex", "k-" + UUID.randomUUID(), "-5")
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("amount"));
    topUp("globex", "k-" + UUID.randomUUID(), "1.1234567").then().statusCode(422);
    topUp("nobody", "k-" + UUID.randomUUID(), "1").then().statusCode(404);
    as("bob")
        .header("Idempotency-Key", "k")
        .contentType("application/json")
        .body(Map.of("amount", 5))
        .post("/api/v1/accounts/globex/top-ups")
        .then()
        .statusCode(403);
    assertMoney(before.add(money("12.5")).toPlainString(), balance("globex").toPlainString());
    as("bob")
        .get("/api/v1/accounts/globex/ledger")
        .then()
        .statusCode(200)
        .body("items.kind", hasItem("TOP_UP"));
  }

  @Test
  void aRunIsSettledExactlyOnceAlsoAfterACrash() {
    Fixtures.heatTransferPublished();
    String run = Api.launch("alice", RUN);
    awaitSettled("alice", run);
    assertEquals(1, settlements(run));
    // The crash window: the run's end is recorded but its settlement mark is lost.
    QuarkusTransaction.requiringNew().run(() -> settlement.forget(UUID.fromString(run)));
    settlement.settleNow();
    awaitSettled("alice", run);
    assertEquals(1, settlements(run));
    // The hold is released exactly: nothing stays held for the run.
    BigDecimal held =
        settlementDebit(run, "customer:acme:held").add(holdCredit(run, "customer:acme:held"));
    assertMoney("0", held.toPlainString());
    assertLedgerBalances();
  }

  @Test
  void withoutFundsALaunchSaysHowMuchIsMissing() {
    Fixtures.heatTransferPublished();
    as("dave")
        .contentType("application/json")
        .body(RUN)
        .post("/api/v1/runs")
        .then()
        .statusCode(402)
        .body("detail", containsString("no billing account"));
    as("admin")
        .contentType("application/json")
        .body(Map.of("kind", "PREPAID"))
        .put("/api/v1/accounts/hooli")
        .then()
        .statusCode(200);
    BigDecimal hold = quoteMaximum("dave");
    as("dave")
        .contentType("application/json")
        .body(RUN)
        .post("/api/v1/runs")
        .then()
        .statusCode(402)
        .contentType("application/problem+json")
        .body("missing", equalTo(hold.floatValue()))
        .body("currency", equalTo("USD"));
    as("dave").get("/api/v1/runs").then().body("total", equalTo(0));
  }

  @Test
  void twoAdminsChangingAnAccountCollideOnIfMatch() {
    var first =
        as("admin")
            .contentType("application/json")
            .body(Map.of("kind", "POSTPAID", "creditLimit", 100))
            .put("/api/v1/accounts/umbrella");
    first.then().statusCode(200);
    String etag = first.getHeader("ETag");
    as("admin")
        .header("If-Match", etag)
        .contentType("application/json")
        .body(Map.of("kind", "POSTPAID", "creditLimit", 200))
        .put("/api/v1/accounts/umbrella")
        .then()
        .statusCode(200);
    as("admin")
        .header("If-Match", etag)
        .contentType("application/json")
        .body(Map.of("kind", "POSTPAID", "creditLimit", 300))
        .put("/api/v1/accounts/umbrella")
        .then()
        .statusCode(412);
    as("admin")
        .contentType("application/json")
        .body(Map.of("kind", "PREPAID", "creditLimit", 5))
        .put("/api/v1/accounts/umbrella")
        .then()
        .statusCode(422);
  }

  // ---------------------------------------------------------------- helpers

  /** Compares amounts by value: JSON numbers do not keep trailing zeros. */
  static void assertMoney(String expected, String actual) {
    assertEquals(
        0,
        new BigDecimal(expected).compareTo(new BigDecimal(actual)),
        "expected " + expected + " but was " + actual);
  }

  static BigDecimal quoteMaximum(String user) {
    return new BigDecimal(
        as(user)
            .contentType("application/json")
            .body(RUN)
            .post("/api/v1/runs/quote")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .using(EXACT)
            .getString("maximum.total"));
  }

  static io.restassured.response.Response topUp(String org, String key, String amount) {
    return as("admin")
        .header("Idempotency-Key", key)
        .contentType("application/json")
        .body("{\"amount\": " + amount + "}")
        .post("/api/v1/accounts/" + org + "/top-ups");
  }

  static BigDecimal balance(String org) {
    return new BigDecimal(
        as("admin")
            .get("/api/v1/accounts/" + org)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .using(EXACT)
            .getString("balance"));
  }

  static void awaitSettled(String user, String run) {
    Api.poll(
        Duration.ofSeconds(90),
        () ->
            as(user)
                .get("/api/v1/runs/" + run)
                .then()
                .extract()
                .jsonPath()
                .using(EXACT)
                .using(EXACT)
                .getString("settledAt"),
        s -> s != null,
        "run " + run + " to be settled");
  }

  static long settlements(String run) {
    return QuarkusTransaction.requiringNew()
        .call(() -> LedgerTransaction.count("kind = ?1 and causeId = ?2", "SETTLEMENT", run));
  }

  static BigDecimal settlementDebit(String run, String account) {
    return sumFor("settle:" + run, account);
  }

  /** What a run was charged: everything its settlement credited to revenue and vendors. */
  static BigDecimal charge(String run) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                LedgerEntry.getEntityManager()
                    .createQuery(
                        "select coalesce(sum(e.amount), 0) from LedgerEntry e, LedgerTransaction t"
                            + " where e.transactionId = t.id and t.idempotencyKey = ?1"
                            + " and (e.account like 'revenue:%' or e.account like 'vendor:%')",
                        BigDecimal.class)
                    .setParameter(1, "settle:" + run)
                    .getSingleResult()
                    .negate());
  }

  static BigDecimal holdCredit(String run, String account) {
    return sumFor("hold:" + run, account);
  }

  static BigDecimal sumFor(String key, String account) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                Ledger.find(key)
                    .map(t -> Ledger.sumOf(t.id, account))
                    .orElse(BigDecimal.ZERO.setScale(6)));
  }

  /** Double entry: every transaction sums to zero. */
  static void assertLedgerBalances() {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              List<?> unbalanced =
                  LedgerEntry.getEntityManager()
                      .createQuery(
                          "select e.transactionId from LedgerEntry e group by e.transactionId having sum(e.amount) <> 0")
                      .getResultList();
              assertTrue(unbalanced.isEmpty(), "unbalanced transactions: " + unbalanced);
              // every account's kept balance is the sum of its entries
              List<?> drifted =
                  LedgerEntry.getEntityManager()
                      .createNativeQuery(
                          "select b.account from ledger_balance b left join (select account,"
                              + " sum(amount) s from ledger_entry group by account) e on"
                              + " e.account = b.account where b.balance <> coalesce(e.s, 0)"
                              + " union select e.account from ledger_entry e left join"
                              + " ledger_balance b on b.account = e.account where b.account is"
                              + " null")
                      .getResultList();
              assertTrue(drifted.isEmpty(), "balances that drifted from their entries: " + drifted);
            });
  }
}
