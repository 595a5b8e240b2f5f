package io.parasol.server;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The packaged server in production identity mode against a real Keycloak (started by the build
 * from org.keycloak:keycloak-quarkus-dist with platform/keycloak imported): real tokens for people
 * (password grant) and for a vendor's pipeline (client credentials), part of the access matrix, and
 * the tokens that must be refused; and the web app's sign-in through Keycloak's own page
 * (authorisation-code flow with PKCE) in Debian's Chromium.
 */
class KeycloakIT {

  // The realm's parasol-web client sends people back to 127.0.0.1:8080 (platform/keycloak/realm).
  static final int PORT = 8080;
  static final String KEYCLOAK = System.getProperty("keycloak.url", "http://127.0.0.1:8180");
  static final String TOKEN_URL = KEYCLOAK + "/realms/%s/protocol/openid-connect/token";

  static Process server;

  @BeforeAll
  static void start() throws Exception {
    Path data = Path.of("target/keycloak-it-data");
    PackagedServer.deleteTree(data);
    RestAssured.port = PORT;
    server =
        PackagedServer.start(
            PORT,
            data,
            Map.of(
                "PARASOL_OIDC_ENABLED", "true",
                "PARASOL_OIDC_URL", KEYCLOAK + "/realms/parasol",
                "PARASOL_IDENTITY_DEMO_USERS_ENABLED", "false",
                "PARASOL_WEB_SIGN_IN", "code"),
            "target/keycloak-it-server.log");
    Api.poll(
        java.time.Duration.ofSeconds(60),
        () ->
            bearer(person("alice")).get("/api/v1/apps").then().extract().jsonPath().getInt("total"),
        total -> total >= 1,
        "the bundled example in the catalog");
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (server != null) {
      PackagedServer.kill(server, true);
    }
  }

  static String person(String user) {
    return token(
        "parasol",
        Map.of(
            "grant_type",
            "password",
            "client_id",
            "parasol-cli",
            "username",
            user,
            "password",
            user));
  }

  static String token(String realm, Map<String, String> form) {
    return given()
        .baseUri(String.format(TOKEN_URL, realm))
        .port(-1)
        .formParams(form)
        .post()
        .then()
        .statusCode(200)
        .extract()
        .path("access_token");
  }

  static RequestSpecification bearer(String token) {
    return given().auth().oauth2(token);
  }

  @Test
  void theWebAppSignsPeopleInThroughKeycloak() throws Exception {
    Assumptions.assumeTrue(Chromium.installed(), Chromium.missing());
    Path shots = Path.of("target/web-journeys");
    Files.createDirectories(shots);
    WebDriver browser = Chromium.start(shots);
    try {
      String base = "http://127.0.0.1:" + PORT;
      browser.get(base + "/ui/runs");
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
      wait.until(ExpectedConditions.urlContains("/realms/parasol/protocol/openid-connect/auth"));
      assertTrue(browser.getCurrentUrl().contains("code_challenge="), "PKCE");
      browser.findElement(By.id("username")).sendKeys("alice");
      browser.findElement(By.id("password")).sendKeys("alice");
      Files.write(
          shots.resolve("keycloak-sign-in.png"),
          ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
      browser.findElement(By.id("kc-login")).click();
      wait.until(ExpectedConditions.urlToBe(base + "/ui/runs"));
      assertEquals("alice · acme", browser.findElement(By.className("who")).getText());
      // The page's script calls the API with the session: the catalog count comes from the API.
      browser.get(base + "/ui/apps/heat-transfer");
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("launch-form")));
      browser.findElement(By.id("quote-button")).click();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("quote-panel")));
      Files.write(
          shots.resolve("keycloak-signed-in.png"),
          ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
      // Without the session cookie the API still wants a bearer token.
      given().get("/api/v1/runs").then().statusCode(401);
      browser.get(base + "/ui/sign-out");
      browser.get(base + "/ui/runs");
      wait.until(ExpectedConditions.urlContains("/realms/parasol/protocol/openid-connect/auth"));
    } finally {
      browser.quit();
    }
  }

  @Test
  void peopleSignInWithRealTokensAndTheMatrixHolds() {
    String alice = person("alice");
    String bob = person("bob");
    String ivy = person("ivy");
    String admin = person("admin");

    for (String token : List.of(alice, bob, ivy, admin)) {
      bearer(token)
          .get("/api/v1/apps")
          .then()
          .statusCode(200)
          .body("items.id", hasItem("heat-transfer"));
    }
    bearer(ivy).get("/api/v1/runs").then().statusCode(403);
    bearer(alice).get("/api/v1/audit").then().statusCode(403);

    String run =
        bearer(alice)
            .contentType("application/json")
            .body(Api.TRIVIAL_HEAT)
            .post("/api/v1/runs")
            .then()
            .statusCode(201)
            .body("org", equalTo("acme"))
            .body("createdBy", equalTo("alice"))
            .extract()
            .path("id");
    // The worker reports with its run token, not a Keycloak token: the run must still finish.
    String state =
        Api.poll(
            java.time.Duration.ofSeconds(60),
            () ->
                bearer(alice)
                    .get("/api/v1/runs/" + run)
                    .then()
                    .extract()
                    .jsonPath()
                    .getString("state"),
            Api.TERMINAL::contains,
            "the run to end");
    assertEquals("SUCCEEDED", state);
    bearer(alice).get("/api/v1/runs/" + run + "/outputs/summary.json").then().statusCode(200);
    bearer(bob).get("/api/v1/runs/" + run).then().statusCode(404);
    bearer(admin).get("/api/v1/runs/" + run).then().statusCode(200);
    bearer(admin)
        .get("/api/v1/audit?action=run.read")
        .then()
        .statusCode(200)
        .body("items.targetId", hasItem(run))
        .body("items.actor", hasItem("admin"));
  }

  @Test
  void aVendorPipelinePublishesWithClientCredentials() {
    String pipeline =
        token(
            "parasol",
            Map.of(
                "grant_type",
                "client_credentials",
                "client_id",
                "thermosoft-ci",
                "client_secret",
                "change-me-thermosoft-ci"));
    String id =
        bearer(pipeline)
            .multiPart("file", PluginJars.MISBEHAVING.toFile())
            .post("/api/v1/plugins")
            .then()
            .statusCode(202)
            .body("vendor", equalTo("thermosoft"))
            .body("uploadedBy", equalTo("service-account-thermosoft-ci"))
            .extract()
            .path("id");
    String status =
        Api.poll(
            java.time.Duration.ofSeconds(60),
            () ->
                bearer(pipeline)
                    .get("/api/v1/plugins/" + id)
                    .then()
                    .extract()
                    .jsonPath()
                    .getString("status"),
            s -> !"VERIFYING".equals(s),
            "verification");
    assertEquals("VERIFIED", status);
    bearer(pipeline)
        .post("/api/v1/plugins/" + id + "/submit")
        .then()
        .statusCode(200)
        .body("status", equalTo("IN_REVIEW"));
    bearer(person("victor")).get("/api/v1/plugins/" + id).then().statusCode(404);
  }

  @Test
  void missingExpiredForeignAndTamperedTokensAre401() throws Exception {
    given()
        .get("/api/v1/runs")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", containsString("Bearer"));
    given().auth().preemptive().basic("alice", "alice").get("/api/v1/runs").then().statusCode(401);

    String foreign =
        token(
            "other",
            Map.of(
                "grant_type",
                "password",
                "client_id",
                "parasol-cli",
                "username",
                "alice",
                "password",
                "alice"));
    bearer(foreign).get("/api/v1/runs").then().statusCode(401);

    String[] parts = person("alice").split("\\.");
    char last = parts[2].charAt(10);
    parts[2] = parts[2].substring(0, 10) + (last == 'A' ? 'B' : 'A') + parts[2].substring(11);
    bearer(String.join(".", parts)).get("/api/v1/runs").then().statusCode(401);

    String[] claims = person("alice").split("\\.");
    claims[1] =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(claims[1]))
                    .replace("\"acme\"", "\"globex\"")
                    .getBytes());
    bearer(String.join(".", claims)).get("/api/v1/runs").then().statusCode(401);

    // Accepted (and remembered) while valid, refused once expired.
    String expiring = shortLivedToken();
    bearer(expiring).get("/api/v1/runs").then().statusCode(200);
    Thread.sleep(7_000);
    bearer(expiring).get("/api/v1/runs").then().statusCode(401);
  }

  /** A token from a client whose access tokens live five seconds, made through the admin API. */
  static String shortLivedToken() {
    String master =
        token(
            "master",
            Map.of(
                "grant_type",
                "password",
                "client_id",
                "admin-cli",
                "username",
                "admin",
                "password",
                "admin"));
    Map<String, Object> client =
        Map.of(
            "clientId",
            "short-lived",
            "publicClient",
            true,
            "directAccessGrantsEnabled",
            true,
            "standardFlowEnabled",
            false,
            "attributes",
            Map.of("access.token.lifespan", "1"),
            "protocolMappers",
            List.of(
                Map.of(
                    "name", "aud",
                    "protocol", "openid-connect",
                    "protocolMapper", "oidc-audience-mapper",
                    "config",
                        Map.of(
                            "included.client.audience",
                            "parasol-api",
                            "access.token.claim",
                            "true")),
                Map.of(
                    "name", "orgs",
                    "protocol", "openid-connect",
                    "protocolMapper", "oidc-group-membership-mapper",
                    "config",
                        Map.of(
                            "full.path",
                            "false",
                            "claim.name",
                            "orgs",
                            "access.token.claim",
                            "true"))));
    int status =
        given()
            .baseUri(KEYCLOAK + "/admin/realms/parasol/clients")
            .port(-1)
            .auth()
            .oauth2(master)
            .contentType("application/json")
            .body(client)
            .post()
            .statusCode();
    if (status != 201 && status != 409) {
      throw new AssertionError("creating the short-lived client answered " + status);
    }
    return token(
        "parasol",
        Map.of(
            "grant_type",
            "password",
            "client_id",
            "short-lived",
            "username",
            "alice",
            "password",
            "alice"));
  }
}
