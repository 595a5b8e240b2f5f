package io.parasol.server.publishing;

import static io.parasol.server.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parasol.server.Api;
import io.parasol.server.Fixtures;
import io.parasol.server.PluginJars;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@QuarkusTest
class PublishingResourceTest {

  @TempDir Path tmp;

  @Test
  void uploadVerifySubmitApproveAndUnlist() throws IOException {
    Path jar = PluginJars.variant(tmp, "ok", "2.0.0", Map.of());
    String id = Api.upload("victor", jar.toFile());

    JsonPath verified = Api.awaitVerified("victor", id);
    assertEquals("VERIFIED", verified.getString("status"), verified.prettify());
    assertEquals("misbehaving-app", verified.getString("appId"));
    assertEquals("2.0.0", verified.getString("appVersion"));
    List<String> checks = verified.getList("report.checks.name");
    assertEquals(
        List.of("archive", "compatibility", "descriptor", "sample-inputs", "self-test"), checks);
    assertTrue(verified.getBoolean("report.passed"));

    // Another vendor does not see it; an engineer may not; nobody anonymous may.
    as("ivy").get("/api/v1/plugins/" + id).then().statusCode(404);
    as("alice").get("/api/v1/plugins/" + id).then().statusCode(403);
    given()
        .get("/api/v1/plugins/" + id)
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", containsString("Basic"));

    as("ivy").post("/api/v1/plugins/" + id + "/submit").then().statusCode(404);
    as("admin").post("/api/v1/plugins/" + id + "/approve").then().statusCode(409);
    as("victor")
        .post("/api/v1/plugins/" + id + "/submit")
        .then()
        .statusCode(200)
        .body("status", equalTo("IN_REVIEW"));
    as("victor").post("/api/v1/plugins/" + id + "/approve").then().statusCode(403);
    as("admin")
        .post("/api/v1/plugins/" + id + "/approve")
        .then()
        .statusCode(200)
        .body("status", equalTo("PUBLISHED"))
        .body("reviewedBy", equalTo("admin"));

    as("alice")
        .get("/api/v1/apps/misbehaving-app?version=2.0.0")
        .then()
        .statusCode(200)
        .body("pluginId", equalTo(id))
        .body("versions", hasItem("2.0.0"))
        .body("platformFields.id", equalTo(List.of("cores", "wallTimeMinutes", "partition")))
        .body("platformFields.find { it.id == 'partition' }.defaultValue", equalTo("auto"));

    as("admin")
        .post("/api/v1/plugins/" + id + "/unlist")
        .then()
        .statusCode(200)
        .body("status", equalTo("UNLISTED"));
    as("alice").get("/api/v1/apps/misbehaving-app?version=2.0.0").then().statusCode(422);
  }

  @Test
  void rejectionNeedsAReasonAndIsFinal() throws IOException {
    String id = Api.upload("victor", PluginJars.variant(tmp, "ok", "2.1.0", Map.of()).toFile());
    assertEquals("VERIFIED", Api.awaitVerified("victor", id).getString("status"));
    as("victor").post("/api/v1/plugins/" + id + "/submit").then().statusCode(200);

    as("admin")
        .contentType("application/json")
        .body("{\"reason\": \"  \"}")
        .post("/api/v1/plugins/" + id + "/reject")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("reason"));
    as("admin")
        .contentType("application/json")
        .body(Map.of("reason", "the licence terms are missing"))
        .post("/api/v1/plugins/" + id + "/reject")
        .then()
        .statusCode(200)
        .body("status", equalTo("REJECTED"))
        .body("reviewReason", equalTo("the licence terms are missing"));
    as("admin")
        .post("/api/v1/plugins/" + id + "/approve")
        .then()
        .statusCode(409)
        .body("detail", containsString("REJECTED"));

    // A rejected version frees its number: the vendor may upload it again.
    String again =
        Api.upload(
            "victor",
            PluginJars.variant(
                    java.nio.file.Files.createDirectories(tmp.resolve("again")),
                    "ok",
                    "2.1.0",
                    Map.of())
                .toFile());
    assertEquals("VERIFIED", Api.awaitVerified("victor", again).getString("status"));
  }

  @Test
  void aVersionIsPublishedOnceAndAnAppIdBelongsToOneVendor() throws IOException {
    Fixtures.misbehavingAppPublished();

    String duplicate = Api.upload("victor", PluginJars.MISBEHAVING.toFile());
    JsonPath dup = Api.awaitVerified("victor", duplicate);
    assertEquals("VERIFICATION_FAILED", dup.getString("status"));
    assertTrue(
        dup.getString("report.checks.find { it.name == 'listing' }.message")
            .contains("already exists"));

    String stolen = Api.upload("ivy", PluginJars.variant(tmp, "ok", "9.0.0", Map.of()).toFile());
    JsonPath theft = Api.awaitVerified("ivy", stolen);
    assertEquals("VERIFICATION_FAILED", theft.getString("status"));
    assertTrue(
        theft
            .getString("report.checks.find { it.name == 'listing' }.message")
            .contains("another vendor"));
  }

  @Test
  void vendorsListOnlyTheirOwnPlugins() {
    Fixtures.heatTransferPublished();
    Fixtures.misbehavingAppPublished();
    as("ivy")
        .get("/api/v1/plugins")
        .then()
        .statusCode(200)
        .body("items.vendor", everyItem(equalTo("thermosoft")));
    as("victor")
        .get("/api/v1/plugins")
        .then()
        .statusCode(200)
        .body("items.vendor", everyItem(equalTo("fluidworks")));
    as("admin")
        .get("/api/v1/plugins?size=200")
        .then()
        .statusCode(200)
        .body("items.vendor", hasItem("thermosoft"))
        .body("items.vendor", hasItem("fluidworks"));
    as("admin")
        .get("/api/v1/plugins?size=0")
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("size"));
  }

  @Test
  void uploadNeedsAFileAndTheIsvRole() throws IOException {
    as("victor")
        .multiPart("other", "x")
        .post("/api/v1/plugins")
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("file"));
    as("alice")
        .multiPart("file", PluginJars.MISBEHAVING.toFile())
        .post("/api/v1/plugins")
        .then()
        .statusCode(403);
  }

  @Test
  void theBundledExampleIsPublishedOnStart() {
    Fixtures.heatTransferPublished();
    as("alice")
        .get("/api/v1/apps?industry=thermal")
        .then()
        .statusCode(200)
        .body("items.id", hasItem("heat-transfer"))
        .body("items.find { it.id == 'heat-transfer' }.vendorOrg", equalTo("thermosoft"));
    as("alice").get("/api/v1/apps?q=conduction").then().body("items.id", hasItem("heat-transfer"));
    as("alice").get("/api/v1/apps?q=nothing-matches-this").then().body("total", equalTo(0));
    as("alice").get("/api/v1/apps?tag=heat").then().body("items.id", hasItem("heat-transfer"));
    as("alice")
        .get("/api/v1/apps?accelerator=none")
        .then()
        .body("items.id", hasItem("heat-transfer"))
        .body("items.id", not(hasItem("heat-transfer-gpu")));
    as("alice")
        .get("/api/v1/apps?accelerator=quantum")
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("accelerator"));
    as("alice")
        .get("/api/v1/apps?industry=astrology")
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("industry"));
    as("alice")
        .get("/api/v1/apps/heat-transfer")
        .then()
        .statusCode(200)
        .body("form.sections.id", hasItem("material"))
        .body(
            "form.sections.find { it.id == 'material' }.fields.find { it.id == 'conductivity' }.visibleWhen.field",
            equalTo("material"))
        .body("defaults.nx", equalTo(51));
    as("alice")
        .get("/api/v1/apps/no-such-app")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
  }
}
