package io.parasol.server.run;

import static io.parasol.server.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.parasol.server.Api;
import io.parasol.server.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Another org's run does not exist for the caller; roles are enforced. Runs on H2 and PostgreSQL.
 */
@QuarkusTest
@Tag("db")
class RunTenancyTest {

  @Test
  void anotherOrgsRunAnswers404AndRolesAreEnforced() {
    Fixtures.heatTransferPublished();
    String id = Api.launch("alice", Api.TRIVIAL_HEAT);
    Api.awaitEnd("alice", id);

    as("bob")
        .get("/api/v1/runs/" + id)
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    as("bob").post("/api/v1/runs/" + id + "/cancel").then().statusCode(404);
    as("bob").get("/api/v1/runs/" + id + "/outputs").then().statusCode(404);
    as("bob").get("/api/v1/runs/" + id + "/outputs/summary.json").then().statusCode(404);
    as("bob").get("/api/v1/runs/" + id + "/logs").then().statusCode(404);
    as("bob")
        .get("/api/v1/runs")
        .then()
        .statusCode(200)
        .body("items.org", everyItem(equalTo("globex")))
        .body("items.id", not(hasItem(id)));
    as("alice").get("/api/v1/runs").then().statusCode(200).body("items.id", hasItem(id));
    as("admin").get("/api/v1/runs/" + id).then().statusCode(200).body("org", equalTo("acme"));

    as("ivy").get("/api/v1/runs").then().statusCode(403).contentType("application/problem+json");
    as("ivy")
        .contentType("application/json")
        .body(Map.of("appId", "heat-transfer"))
        .post("/api/v1/runs")
        .then()
        .statusCode(403);
    as("admin")
        .contentType("application/json")
        .body(Map.of("appId", "heat-transfer"))
        .post("/api/v1/runs")
        .then()
        .statusCode(403);
    given()
        .get("/api/v1/runs/" + id)
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", containsString("Basic"));
    given().auth().preemptive().basic("alice", "wrong").get("/api/v1/runs").then().statusCode(401);
  }
}
