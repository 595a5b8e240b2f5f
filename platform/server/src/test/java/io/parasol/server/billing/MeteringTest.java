package io.parasol.server.billing;

import static io.parasol.server.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parasol.server.Api;
import io.parasol.server.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Usage records: duplicates ignored, late records in their own month, runs metered and invoiced.
 */
@QuarkusTest
@Tag("db")
class MeteringTest {

  static Map<String, Object> record(String key, String org, String consumedAt, int coreSeconds) {
    return Map.of(
        "idempotencyKey",
        key,
        "org",
        org,
        "partition",
        "local",
        "coreSeconds",
        coreSeconds,
        "cardSeconds",
        0,
        "consumedAt",
        consumedAt);
  }

  @Test
  void duplicatesAreIgnoredAndLateRecordsLandInTheirMonth() {
    String org = "metering-" + UUID.randomUUID().toString().substring(0, 8);
    String prefix = UUID.randomUUID().toString();
    List<Map<String, Object>> batch = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      batch.add(record(prefix + "-" + i, org, "2026-03-31T23:59:59Z", 100));
    }
    batch.add(
        record(prefix + "-0", org, "2026-03-31T23:59:59Z", 100)); // a duplicate within the batch
    batch.add(record(prefix + "-late", org, "2026-02-28T10:00:00Z", 7)); // late: February
    as("admin")
        .contentType("application/json")
        .body(Map.of("records", batch))
        .post("/api/v1/usage")
        .then()
        .statusCode(200)
        .body("received", equalTo(11))
        .body("recorded", equalTo(10))
        .body("duplicates", equalTo(1));
    // The whole batch again: nothing new.
    as("admin")
        .contentType("application/json")
        .body(Map.of("records", batch))
        .post("/api/v1/usage")
        .then()
        .statusCode(200)
        .body("recorded", equalTo(0))
        .body("duplicates", equalTo(11));

    JsonPath march =
        as("admin")
            .get("/api/v1/usage/" + org + "?period=2026-03")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals(9, march.getInt("records"));
    assertEquals(
        0, new BigDecimal("900").compareTo(new BigDecimal(march.getString("coreSeconds"))));
    JsonPath february =
        as("admin").get("/api/v1/usage/" + org + "?period=2026-02").then().extract().jsonPath();
    assertEquals(1, february.getInt("records"));
    assertEquals(
        0, new BigDecimal("7").compareTo(new BigDecimal(february.getString("coreSeconds"))));
  }

  @Test
  void badRecordsAreRefusedWholeWithTheField() {
    List<Map<String, Object>> batch =
        List.of(
            record("ok-" + UUID.randomUUID(), "acme", "2026-01-01T00:00:00Z", 1),
            record("bad-" + UUID.randomUUID(), "acme", "2026-01-01T00:00:00Z", -1));
    as("admin")
        .contentType("application/json")
        .body(Map.of("records", batch))
        .post("/api/v1/usage")
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("records[1].coreSeconds"));
    as("admin")
        .contentType("application/json")
        .body(
            Map.of(
                "records",
                List.of(record("future-" + UUID.randomUUID(), "acme", "2999-01-01T00:00:00Z", 1))))
        .post("/api/v1/usage")
        .then()
        .statusCode(422);
    as("admin")
        .contentType("application/json")
        .body(Map.of("records", List.of()))
        .post("/api/v1/usage")
        .then()
        .statusCode(422);
    as("admin").get("/api/v1/usage/acme?period=2026-13").then().statusCode(422);
    as("alice").get("/api/v1/usage/globex?period=2026-01").then().statusCode(404);
  }

  @Test
  void aRunIsMeteredChargedAndInvoicedInItsMonth() {
    Fixtures.heatTransferPublished();
    String run = Api.launch("bob", Api.TRIVIAL_HEAT);
    BillingTest.awaitSettled("bob", run);
    String period = YearMonth.now(ZoneOffset.UTC).toString();
    JsonPath invoice =
        as("bob")
            .get("/api/v1/accounts/globex/invoices/" + period)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .using(BillingTest.EXACT);
    assertEquals("PREPAID", invoice.getString("kind"));
    List<String> runs = invoice.getList("lines.runId");
    assertEquals(true, runs.contains(run), "invoice lines: " + runs);
    BigDecimal total = new BigDecimal(invoice.getString("total"));
    BigDecimal sum =
        invoice.getList("lines.amount", BigDecimal.class).stream()
            .reduce(BigDecimal.ZERO, BigDecimal::add);
    assertEquals(0, total.compareTo(sum));
    BigDecimal line =
        new BigDecimal(invoice.getString("lines.find { it.runId == '" + run + "' }.amount"));
    assertEquals(0, line.compareTo(BillingTest.charge(run)));
    // heat-transfer's per-run licence fee is part of every started run's charge
    assertEquals(true, line.compareTo(new BigDecimal("0.05")) >= 0, "charge " + line);
    as("alice").get("/api/v1/accounts/globex/invoices/" + period).then().statusCode(404);
    as("bob").get("/api/v1/accounts/globex/invoices/2026-1").then().statusCode(422);
  }
}
