package io.parasol.server.audit;

import static io.parasol.server.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;

import io.parasol.server.Api;
import io.parasol.server.Fixtures;
import io.parasol.server.PluginJars;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@QuarkusTest
class AuditResourceTest {

  @TempDir Path tmp;

  @Test
  void securityRelevantActionsAreRecordedWithWhoWhatAndWhere() throws IOException {
    Instant before = Instant.now();
    String plugin = Api.upload("ivy", PluginJars.notAJar(tmp, 64).toFile());
    as("admin")
        .get("/api/v1/audit?action=plugin.upload&since=" + before)
        .then()
        .statusCode(200)
        .body("items.targetId", hasItem(plugin))
        .body("items.find { it.targetId == '" + plugin + "' }.actor", equalTo("ivy"))
        .body("items.find { it.targetId == '" + plugin + "' }.actorOrg", equalTo("thermosoft"))
        .body("items.find { it.targetId == '" + plugin + "' }.origin", equalTo("127.0.0.1"));

    Fixtures.heatTransferPublished();
    String run = Api.launch("alice", Api.TRIVIAL_HEAT);
    as("alice").get("/api/v1/runs/" + run).then().statusCode(200);
    as("admin").get("/api/v1/runs/" + run).then().statusCode(200);
    as("admin")
        .get("/api/v1/audit?action=run.read&since=" + before)
        .then()
        .body("items.targetId", hasItem(run))
        .body("items.actor", everyItem(equalTo("admin")))
        .body("items.find { it.targetId == '" + run + "' }.targetOrg", equalTo("acme"));

    as("alice").post("/api/v1/runs/" + run + "/cancel");
    as("admin")
        .get("/api/v1/audit?actor=alice&since=" + before)
        .then()
        .body("items.action", hasItem("run.cancel"));

    Api.awaitVerified("ivy", plugin);
    as("admin")
        .contentType("application/json")
        .body(Map.of("reason", "x"))
        .post("/api/v1/plugins/" + plugin + "/reject")
        .then()
        .statusCode(409);
  }

  @Test
  void anAdminsReadsOfAnotherOrgsMoneyAndPoliciesAreRecorded() {
    Instant before = Instant.now();
    as("admin").get("/api/v1/accounts/acme").then().statusCode(200);
    as("admin").get("/api/v1/accounts/acme/ledger").then().statusCode(200);
    as("admin").get("/api/v1/accounts/acme/invoices/2026-01").then().statusCode(200);
    as("admin").get("/api/v1/usage/acme?period=2026-01").then().statusCode(200);
    as("admin").get("/api/v1/orgs/acme/policy").then().statusCode(200);
    as("admin").get("/api/v1/vendors/thermosoft/statements/2026-01").then().statusCode(200);
    as("admin").get("/api/v1/subscriptions?org=acme").then().statusCode(200);
    as("alice").get("/api/v1/accounts/acme").then().statusCode(200);
    for (String action :
        new String[] {
          "account.read",
          "ledger.read",
          "invoice.read",
          "usage.read",
          "policy.read",
          "statement.read",
          "subscription.read"
        }) {
      as("admin")
          .get("/api/v1/audit?action=" + action + "&since=" + before)
          .then()
          .statusCode(200)
          .body("items.size()", org.hamcrest.Matchers.greaterThan(0))
          .body("items.actor", everyItem(equalTo("admin")));
    }
    // an engineer's read of their own org is not an admin read of another's
    as("admin")
        .get("/api/v1/audit?action=account.read&actor=alice&since=" + before)
        .then()
        .body("items.size()", equalTo(0));
  }

  @Test
  void onlyAdminsReadTheLogAndFiltersAreChecked() {
    as("alice").get("/api/v1/audit").then().statusCode(403);
    as("ivy").get("/api/v1/audit").then().statusCode(403);
    as("admin")
        .get("/api/v1/audit?since=yesterday")
        .then()
        .statusCode(422)
        .body("errors[0].field", equalTo("since"));
    as("admin").get("/api/v1/audit?size=500").then().statusCode(422);
  }
}
