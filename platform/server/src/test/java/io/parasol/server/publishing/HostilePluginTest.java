package io.parasol.server.publishing;

import static io.parasol.server.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parasol.server.Api;
import io.parasol.server.PluginJars;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile uploads: each ends VERIFICATION_FAILED with the reason in its report, never PUBLISHED,
 * and the server keeps answering.
 */
@QuarkusTest
class HostilePluginTest {

  @TempDir Path tmp;

  @AfterEach
  void serverStillAnswers() {
    given().get("/q/health/live").then().statusCode(200);
    as("alice").get("/api/v1/apps").then().statusCode(200);
  }

  @Test
  void aFileThatIsNotAJar() throws IOException {
    assertFails(PluginJars.notAJar(tmp, 10_000), "archive", "not a JAR");
  }

  @Test
  void aJarWithoutManifest() throws IOException {
    assertFails(PluginJars.withoutManifest(tmp), "archive", "no plugin descriptor");
  }

  @Test
  void aManifestWithoutPluginId() throws IOException {
    Map<String, String> noId = new HashMap<>();
    noId.put("Plugin-Id", null);
    assertFails(PluginJars.variant(tmp, "ok", "4.0.0", noId), "descriptor", "Plugin-Id");
  }

  @Test
  void pluginRequiresAFuturePluginApi() throws IOException {
    assertFails(
        PluginJars.variant(tmp, "ok", "4.0.1", Map.of("Plugin-Requires", ">=2.0.0")),
        "compatibility",
        "does not accept this platform's plugin API 1.2.0");
  }

  @Test
  void pluginRequiresAPluginApiOlderThanThisOne() throws IOException {
    assertFails(
        PluginJars.variant(tmp, "ok", "4.0.2", Map.of("Plugin-Requires", ">=0.9.0 & <1.1.0")),
        "compatibility",
        "does not accept this platform's plugin API 1.2.0");
  }

  @Test
  void aSelfTestThatCallsSystemExit() throws IOException {
    assertFails(
        PluginJars.variant(tmp, "exit", "4.1.0", Map.of()), "self-test", "exited with code 3");
  }

  @Test
  void aSelfTestThatLoopsForever() throws IOException {
    assertFails(
        PluginJars.variant(tmp, "loop", "4.2.0", Map.of()), "self-test", "did not finish within");
  }

  @Test
  void aSelfTestThatAllocatesWithoutBound() throws IOException {
    assertFails(
        PluginJars.variant(tmp, "allocate", "4.3.0", Map.of()), "self-test", "out of memory");
  }

  @Test
  void aSelfTestThatPrintsWithoutEnd() throws IOException {
    assertFails(
        PluginJars.variant(tmp, "flood", "4.4.0", Map.of()), "self-test", "standard output");
  }

  @Test
  void aSelfTestThatForkBombs() throws IOException {
    assertFails(
        PluginJars.variant(tmp, "forkbomb", "4.5.0", Map.of()),
        "self-test",
        "processes and threads");
  }

  @Test
  void aSelfTestWhoseChildProcessAllocatesWithoutBound() throws IOException {
    assertFails(
        PluginJars.variant(tmp, "memorybomb", "4.6.0", Map.of()), "self-test", "out of memory");
  }

  @Test
  void aSelfTestThatWritesOutsideItsWorkDirectory() throws IOException {
    Path target = Path.of("/tmp/parasol-escape.txt");
    Files.deleteIfExists(target);
    // the self-test's /tmp is its own (it passes); the host's stays untouched
    String id = Api.upload("victor", PluginJars.variant(tmp, "escape", "4.7.0", Map.of()).toFile());
    JsonPath plugin = Api.awaitVerified("victor", id);
    assertEquals("VERIFIED", plugin.getString("status"), plugin.prettify());
    assertFalse(Files.exists(target), "the plugin wrote outside its work directory");
  }

  @Test
  void aSelfTestSeesNoSecretInItsEnvironment() throws IOException {
    // the app fails when it sees any variable but PATH, LANG, HOME, TMPDIR, USER and PWD
    String id = Api.upload("victor", PluginJars.variant(tmp, "env", "4.8.0", Map.of()).toFile());
    JsonPath plugin = Api.awaitVerified("victor", id);
    assertEquals("VERIFIED", plugin.getString("status"), plugin.prettify());
  }

  @Test
  void aZipBomb() throws IOException {
    assertFails(PluginJars.zipBomb(tmp, 64L << 20), "archive", "compression bomb");
  }

  @Test
  void anUploadOverTheSizeLimitIsRefusedAndNothingIsStored() throws IOException {
    long before = as("victor").get("/api/v1/plugins").then().extract().jsonPath().getLong("total");
    as("victor")
        .multiPart("file", PluginJars.notAJar(tmp, 3 * 1024 * 1024).toFile())
        .post("/api/v1/plugins")
        .then()
        .statusCode(413)
        .contentType("application/problem+json")
        .body("detail", containsString("larger than the limit"));
    long after = as("victor").get("/api/v1/plugins").then().extract().jsonPath().getLong("total");
    assertEquals(before, after);
  }

  @Test
  void aVersionOverItsLimitEndsVerificationFailedNotVerifying() throws IOException {
    assertFails(
        PluginJars.variant(tmp, "ok", "1.0.0-" + "a".repeat(70), Map.of()),
        "limits",
        "the version is 76 characters; the limit is 64");
  }

  @Test
  void aSummaryOverItsLimitIsRefused() throws IOException {
    assertFails(
        PluginJars.variant(
            tmp, "ok", "4.7.0", Map.of(), Map.of("summary.txt", "s".repeat(300_000))),
        "limits",
        "the summary is 300000 characters; the limit is 300");
  }

  @Test
  void aPatternTheServerCannotEvaluateInLinearTimeIsRefused() throws IOException {
    assertFails(
        PluginJars.variant(tmp, "ok", "4.8.0", Map.of(), Map.of("pattern.txt", "(a+)\\1b")),
        "limits",
        "field label's pattern is not a pattern the platform can evaluate in linear time");
  }

  @Test
  void aCatastrophicPatternCostsTheServerNothing() throws IOException {
    String id =
        Api.upload(
            "victor",
            PluginJars.variant(tmp, "ok", "4.9.0", Map.of(), Map.of("pattern.txt", "((a+)+)+b"))
                .toFile());
    assertEquals("VERIFIED", Api.awaitVerified("victor", id).getString("status"));
    as("victor").post("/api/v1/plugins/" + id + "/submit").then().statusCode(200);
    as("admin").post("/api/v1/plugins/" + id + "/approve").then().statusCode(200);
    as("alice")
        .contentType("application/json")
        .body(
            Map.of(
                "appId",
                "misbehaving-app",
                "version",
                "4.9.0",
                "inputs",
                Map.of("label", "a".repeat(10_000))))
        .post("/api/v1/runs/quote")
        .then()
        .statusCode(422)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("inputs.label"));
  }

  @Test
  void aVendorBuildsOnAnotherVendorsAppOnlyWhenAllowed() throws IOException {
    io.parasol.server.Fixtures.heatTransferPublished();
    Path derived =
        PluginJars.variant(
            tmp, "ok", "5.0.0", Map.of("Plugin-Dependencies", "heat-transfer@>=1.0.0"));
    try {
      derivation("ivy", Map.of("policy", "NONE")).then().statusCode(200);
      assertFails(derived, "dependencies", "whose vendor thermosoft does not allow fluidworks");
      derivation("victor", Map.of("policy", "ANYONE")).then().statusCode(404);
      derivation("ivy", Map.of("policy", "VENDORS", "vendors", List.of("fluidworks")))
          .then()
          .statusCode(200)
          .body("vendors", org.hamcrest.Matchers.contains("fluidworks"));
      String id =
          Api.upload(
              "victor",
              PluginJars.variant(
                      tmp, "ok", "5.0.1", Map.of("Plugin-Dependencies", "heat-transfer@>=1.0.0"))
                  .toFile());
      assertEquals("VERIFIED", Api.awaitVerified("victor", id).getString("status"));
    } finally {
      derivation("ivy", Map.of("policy", "NONE")).then().statusCode(200);
    }
  }

  private static io.restassured.response.Response derivation(String user, Map<String, ?> rule) {
    return as(user)
        .contentType("application/json")
        .body(rule)
        .put("/api/v1/apps/heat-transfer/derivation");
  }

  private static void assertFails(Path jar, String check, String message) {
    String id = Api.upload("victor", jar.toFile());
    JsonPath plugin = Api.awaitVerified("victor", id);
    assertEquals("VERIFICATION_FAILED", plugin.getString("status"), plugin.prettify());
    List<Map<String, Object>> checks = plugin.getList("report.checks");
    boolean found =
        checks.stream()
            .anyMatch(
                c ->
                    check.equals(c.get("name"))
                        && Boolean.FALSE.equals(c.get("passed"))
                        && String.valueOf(c.get("message")).contains(message));
    assertTrue(
        found, "expected failed check " + check + " mentioning '" + message + "' in " + checks);
    as("victor").post("/api/v1/plugins/" + id + "/submit").then().statusCode(409);
  }
}
