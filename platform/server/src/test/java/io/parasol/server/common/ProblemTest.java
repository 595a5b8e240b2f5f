package io.parasol.server.common;

import static io.parasol.server.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Every failure answers RFC 9457 problem+json. */
@QuarkusTest
class ProblemTest {

  @Test
  void malformedJsonIs400() {
    as("alice")
        .contentType("application/json")
        .body("{not json")
        .post("/api/v1/runs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("status", equalTo(400))
        .body("title", equalTo("Bad Request"))
        .body("detail", notNullValue());
  }

  @Test
  void wrongJsonTypesName400WithTheField() {
    as("alice")
        .contentType("application/json")
        .body("{\"appId\": \"heat-transfer\", \"inputs\": [1, 2]}")
        .post("/api/v1/runs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }

  @Test
  void unknownPathsAndBadIdsAre404() {
    as("alice")
        .get("/api/v1/nothing-here")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    as("alice")
        .get("/api/v1/runs/not-a-uuid")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    as("alice")
        .get("/api/v1/runs/00000000-0000-0000-0000-000000000000")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
  }

  @Test
  void wrongMethodAndMediaType() {
    as("alice")
        .delete("/api/v1/apps")
        .then()
        .statusCode(405)
        .contentType("application/problem+json");
    as("alice")
        .contentType("text/plain")
        .body("x")
        .post("/api/v1/runs")
        .then()
        .statusCode(415)
        .contentType("application/problem+json");
  }

  @Test
  void pageParametersOutOfRangeAre422() {
    as("alice")
        .get("/api/v1/runs?page=-1")
        .then()
        .statusCode(422)
        .contentType("application/problem+json");
    as("alice").get("/api/v1/apps?size=100000").then().statusCode(422);
    as("alice").get("/api/v1/runs?state=DANCING").then().statusCode(422);
  }

  @Test
  void oversizeJsonBodiesAre413() {
    String huge = "{\"appId\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";
    as("alice")
        .contentType("application/json")
        .body(huge)
        .post("/api/v1/runs")
        .then()
        .statusCode(413)
        .contentType("application/problem+json");
  }

  @Test
  void deeplyNestedJsonIsRefused() {
    String deep =
        "{\"appId\":\"heat-transfer\",\"inputs\":{\"nx\":"
            + "[".repeat(5000)
            + "]".repeat(5000)
            + "}}";
    as("alice")
        .contentType("application/json")
        .body(deep)
        .post("/api/v1/runs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }
}
