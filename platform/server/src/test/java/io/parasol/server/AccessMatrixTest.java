package io.parasol.server;

import static io.parasol.server.Api.as;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint, called as anonymous, alice (engineer, acme), bob (engineer, globex), ivy (isv,
 * thermosoft), victor (isv, fluidworks) and admin, against resources of each owner: the exact
 * status of every cell. An endpoint in the OpenAPI document without a row fails the test.
 */
@QuarkusTest
class AccessMatrixTest {

  static final List<String> CALLERS =
      List.of("anonymous", "alice", "bob", "ivy", "victor", "admin");

  /** One row: an endpoint against one owner's resource, and the status for each caller. */
  record Row(
      String method,
      String template,
      String path,
      Function<RequestSpecification, RequestSpecification> body,
      int... expected) {}

  static String aliceRun;
  static String bobRun;
  static String thermosoftPlugin;
  static String fluidworksPlugin;
  static String aliceFile;
  static String bobFile;

  @TempDir static Path tmp;

  /** Creates the resources once, inside a test (REST Assured points at the app only there). */
  static synchronized void resources() throws IOException {
    if (aliceRun != null) {
      return;
    }
    Fixtures.heatTransferPublished();
    Fixtures.billedPartitions("matrix");
    Fixtures.appOwned("matrix-app", "thermosoft");
    aliceRun = Api.launch("alice", Api.TRIVIAL_HEAT);
    bobRun = Api.launch("bob", Api.TRIVIAL_HEAT);
    Api.awaitEnd("alice", aliceRun);
    Api.awaitEnd("bob", bobRun);
    thermosoftPlugin = Api.upload("ivy", PluginJars.notAJar(tmp, 100).toFile());
    fluidworksPlugin = Api.upload("victor", PluginJars.notAJar(tmp, 200).toFile());
    Api.awaitVerified("ivy", thermosoftPlugin);
    Api.awaitVerified("victor", fluidworksPlugin);
    aliceFile = file("alice");
    bobFile = file("bob");
  }

  static String file(String user) {
    String name = user + "-matrix-" + System.nanoTime() + ".txt";
    as(user).multiPart("file", name, "x".getBytes()).post("/api/v1/files").then().statusCode(201);
    return name;
  }

  static Function<RequestSpecification, RequestSpecification> json(Object body) {
    return r -> r.contentType("application/json").body(body);
  }

  static final Function<RequestSpecification, RequestSpecification> NONE = r -> r;

  /** A row of an admin-only endpoint: 401 anonymous, 403 for everyone but the admin. */
  static Row adminOnly(
      String method,
      String template,
      String path,
      Function<RequestSpecification, RequestSpecification> body,
      int admin) {
    return new Row(method, template, path, body, 401, 403, 403, 403, 403, admin);
  }

  List<Row> rows() {
    Map<String, Object> reject = Map.of("reason", "matrix");
    String events = "[{\"type\":\"PROGRESS\",\"progress\":0.5}]";
    List<Row> rows = new ArrayList<>();
    Map<String, Object> cost =
        Map.of("period", "2024-01", "kind", "DEPRECIATION", "partition", "matrix", "amount", 1);
    Map<String, Object> subscription =
        Map.of(
            "org",
            "globex",
            "partition",
            "matrix",
            "cores",
            1,
            "startsOn",
            "2024-01-01",
            "endsOn",
            "2024-02-01",
            "price",
            0,
            "billing",
            "UPFRONT");
    rows.add(
        new Row(
            "GET",
            "/api/v1/finance/reports/{period}",
            "/api/v1/finance/reports/2024-Q1",
            NONE,
            401,
            403,
            403,
            403,
            403,
            200));
    rows.add(
        new Row(
            "GET",
            "/api/v1/vendors/{org}/statements/{period}",
            "/api/v1/vendors/thermosoft/statements/2024-Q1",
            NONE,
            401,
            403,
            403,
            200,
            404,
            200));
    rows.add(
        new Row(
            "POST",
            "/api/v1/finance/costs",
            "/api/v1/finance/costs",
            json(cost),
            401,
            403,
            403,
            403,
            403,
            201));
    rows.add(
        new Row(
            "POST",
            "/api/v1/subscriptions",
            "/api/v1/subscriptions",
            json(subscription),
            401,
            403,
            403,
            403,
            403,
            201));
    rows.add(
        new Row(
            "GET",
            "/api/v1/subscriptions",
            "/api/v1/subscriptions",
            NONE,
            401,
            200,
            200,
            403,
            403,
            200));
    String period = java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString();
    Map<String, Object> usage =
        Map.of(
            "records",
            List.of(
                Map.of(
                    "idempotencyKey",
                    "matrix-usage",
                    "org",
                    "globex",
                    "partition",
                    "local",
                    "coreSeconds",
                    1,
                    "consumedAt",
                    "2026-01-01T00:00:00Z")));
    rows.add(
        new Row(
            "GET",
            "/api/v1/accounts/{org}/invoices/{period}",
            "/api/v1/accounts/acme/invoices/" + period,
            NONE,
            401,
            200,
            404,
            403,
            403,
            200));
    rows.add(
        new Row(
            "GET",
            "/api/v1/usage/{org}",
            "/api/v1/usage/globex?period=" + period,
            NONE,
            401,
            404,
            200,
            403,
            403,
            200));
    rows.add(
        new Row(
            "POST", "/api/v1/usage", "/api/v1/usage", json(usage), 401, 403, 403, 403, 403, 200));
    //                                  anonymous alice bob ivy victor admin
    rows.add(new Row("GET", "/api/v1/apps", "/api/v1/apps", NONE, 401, 200, 200, 200, 200, 200));
    rows.add(
        new Row(
            "GET",
            "/api/v1/apps/{appId}",
            "/api/v1/apps/heat-transfer",
            NONE,
            401,
            200,
            200,
            200,
            200,
            200));
    rows.add(new Row("GET", "/api/v1/audit", "/api/v1/audit", NONE, 401, 403, 403, 403, 403, 200));
    rows.add(new Row("GET", "/api/v1/files", "/api/v1/files", NONE, 401, 200, 200, 403, 403, 403));
    rows.add(
        new Row(
            "POST",
            "/api/v1/files",
            "/api/v1/files",
            r -> r.multiPart("file", "m-" + System.nanoTime() + ".txt", "x".getBytes()),
            401,
            201,
            201,
            403,
            403,
            403));
    rows.add(
        new Row(
            "GET",
            "/api/v1/files/{name}",
            "/api/v1/files/" + aliceFile,
            NONE,
            401,
            200,
            404,
            403,
            403,
            403));
    rows.add(
        new Row(
            "GET",
            "/api/v1/files/{name}",
            "/api/v1/files/" + bobFile,
            NONE,
            401,
            404,
            200,
            403,
            403,
            403));
    rows.add(
        new Row(
            "DELETE",
            "/api/v1/files/{name}",
            "/api/v1/files/" + bobFile,
            NONE,
            401,
            404,
            204,
            403,
            403,
            403));
    rows.add(
        new Row("GET", "/api/v1/plugins", "/api/v1/plugins", NONE, 401, 403, 403, 200, 200, 200));
    rows.add(
        new Row(
            "POST",
            "/api/v1/plugins",
            "/api/v1/plugins",
            r -> r.multiPart("file", "p.jar", "not a jar".getBytes()),
            401,
            403,
            403,
            202,
            202,
            403));
    rows.add(
        new Row(
            "GET",
            "/api/v1/apps/{appId}/derivation",
            "/api/v1/apps/heat-transfer/derivation",
            NONE,
            401,
            403,
            403,
            200,
            404,
            200));
    rows.add(
        new Row(
            "PUT",
            "/api/v1/apps/{appId}/derivation",
            "/api/v1/apps/heat-transfer/derivation",
            json(Map.of("policy", "NONE")),
            401,
            403,
            403,
            200,
            404,
            403));
    rows.add(
        new Row(
            "GET",
            "/api/v1/plugins/{id}",
            "/api/v1/plugins/" + thermosoftPlugin,
            NONE,
            401,
            403,
            403,
            200,
            404,
            200));
    rows.add(
        new Row(
            "GET",
            "/api/v1/plugins/{id}",
            "/api/v1/plugins/" + fluidworksPlugin,
            NONE,
            401,
            403,
            403,
            404,
            200,
            200));
    rows.add(
        new Row(
            "POST",
            "/api/v1/plugins/{id}/submit",
            "/api/v1/plugins/" + fluidworksPlugin + "/submit",
            NONE,
            401,
            403,
            403,
            404,
            409,
            403));
    rows.add(
        new Row(
            "POST",
            "/api/v1/plugins/{id}/approve",
            "/api/v1/plugins/" + thermosoftPlugin + "/approve",
            NONE,
            401,
            403,
            403,
            403,
            403,
            409));
    rows.add(
        new Row(
            "POST",
            "/api/v1/plugins/{id}/reject",
            "/api/v1/plugins/" + thermosoftPlugin + "/reject",
            json(reject),
            401,
            403,
            403,
            403,
            403,
            409));
    rows.add(
        new Row(
            "POST",
            "/api/v1/plugins/{id}/unlist",
            "/api/v1/plugins/" + fluidworksPlugin + "/unlist",
            NONE,
            401,
            403,
            403,
            403,
            403,
            409));
    rows.add(
        new Row(
            "GET",
            "/api/v1/accounts/{org}",
            "/api/v1/accounts/acme",
            NONE,
            401,
            200,
            404,
            403,
            403,
            200));
    rows.add(
        new Row(
            "GET",
            "/api/v1/accounts/{org}",
            "/api/v1/accounts/globex",
            NONE,
            401,
            404,
            200,
            403,
            403,
            200));
    rows.add(
        new Row(
            "GET",
            "/api/v1/accounts/{org}/ledger",
            "/api/v1/accounts/acme/ledger",
            NONE,
            401,
            200,
            404,
            403,
            403,
            200));
    rows.add(
        new Row(
            "PUT",
            "/api/v1/accounts/{org}",
            "/api/v1/accounts/matrix-org",
            json(Map.of("kind", "POSTPAID", "creditLimit", 10)),
            401,
            403,
            403,
            403,
            403,
            200));
    rows.add(
        new Row(
            "POST",
            "/api/v1/accounts/{org}/top-ups",
            "/api/v1/accounts/globex/top-ups",
            r ->
                r.header("Idempotency-Key", "matrix-" + System.nanoTime())
                    .contentType("application/json")
                    .body(Map.of("amount", 1)),
            401,
            403,
            403,
            403,
            403,
            200));
    rows.add(
        new Row("GET", "/api/v1/prices", "/api/v1/prices", NONE, 401, 200, 200, 200, 200, 200));
    rows.add(
        new Row(
            "POST",
            "/api/v1/prices",
            "/api/v1/prices",
            json(Map.of("partition", "matrix", "resource", "CORE_HOUR", "unitPrice", 1)),
            401,
            403,
            403,
            403,
            403,
            201));
    rows.add(
        new Row(
            "GET",
            "/api/v1/licence-fees",
            "/api/v1/licence-fees",
            NONE,
            401,
            200,
            200,
            200,
            200,
            200));
    rows.add(
        new Row(
            "POST",
            "/api/v1/licence-fees",
            "/api/v1/licence-fees",
            json(Map.of("appId", "matrix-app", "basis", "PER_RUN", "amount", 1, "isvShare", 0.5)),
            401,
            403,
            403,
            403,
            403,
            201));
    rows.add(
        new Row(
            "POST",
            "/api/v1/runs/quote",
            "/api/v1/runs/quote",
            json(Api.TRIVIAL_HEAT),
            401,
            200,
            200,
            403,
            403,
            403));
    rows.add(new Row("GET", "/api/v1/runs", "/api/v1/runs", NONE, 401, 200, 200, 403, 403, 200));
    rows.add(
        new Row(
            "GET",
            "/api/v1/orgs/{org}/policy",
            "/api/v1/orgs/acme/policy",
            NONE,
            401,
            200,
            404,
            404,
            404,
            200));
    rows.add(
        adminOnly(
            "PUT", "/api/v1/orgs/{org}/policy", "/api/v1/orgs/globex/policy", json(Map.of()), 200));
    rows.add(
        new Row(
            "POST",
            "/api/v1/runs",
            "/api/v1/runs",
            json(Api.TRIVIAL_HEAT),
            401,
            201,
            201,
            403,
            403,
            403));
    rows.add(
        new Row(
            "GET",
            "/api/v1/runs/{id}",
            "/api/v1/runs/" + aliceRun,
            NONE,
            401,
            200,
            404,
            403,
            403,
            200));
    rows.add(
        new Row(
            "GET",
            "/api/v1/runs/{id}",
            "/api/v1/runs/" + bobRun,
            NONE,
            401,
            404,
            200,
            403,
            403,
            200));
    rows.add(
        new Row(
            "POST",
            "/api/v1/runs/{id}/cancel",
            "/api/v1/runs/" + aliceRun + "/cancel",
            NONE,
            401,
            409,
            404,
            403,
            403,
            409));
    rows.add(
        new Row(
            "GET",
            "/api/v1/runs/{id}/logs",
            "/api/v1/runs/" + bobRun + "/logs",
            NONE,
            401,
            404,
            200,
            403,
            403,
            200));
    for (String monitoring : List.of("metrics", "findings", "performance", "metrics/stream")) {
      rows.add(
          new Row(
              "GET",
              "/api/v1/runs/{id}/" + monitoring,
              "/api/v1/runs/" + aliceRun + "/" + monitoring,
              NONE,
              401,
              200,
              404,
              403,
              403,
              200));
    }
    rows.add(
        new Row(
            "GET",
            "/api/v1/apps/{appId}/performance-model",
            "/api/v1/apps/heat-transfer/performance-model",
            NONE,
            401,
            200,
            200,
            200,
            200,
            200));
    rows.add(
        new Row(
            "GET",
            "/api/v1/runs/{id}/outputs",
            "/api/v1/runs/" + aliceRun + "/outputs",
            NONE,
            401,
            200,
            404,
            403,
            403,
            200));
    rows.add(
        new Row(
            "GET",
            "/api/v1/runs/{id}/outputs/{name}",
            "/api/v1/runs/" + aliceRun + "/outputs/summary.json",
            NONE,
            401,
            200,
            404,
            403,
            403,
            200));
    Map<String, Object> cluster =
        Map.of(
            "name", "matrix-k8s",
            "region", "eu-west",
            "site", "dc-9",
            "backend", "KUBERNETES",
            "kubernetes",
                Map.of("apiServerUrl", "http://127.0.0.1:1", "image", "parasol/worker:test"));
    Map<String, Object> partition =
        Map.of(
            "name", "matrix-part",
            "cluster", "matrix-k8s",
            "nodeType", Map.of("cores", 8, "memoryMb", 32000),
            "nodes", 2,
            "ownership", "PURCHASED");
    rows.add(adminOnly("GET", "/api/v1/clusters", "/api/v1/clusters", NONE, 200));
    rows.add(adminOnly("POST", "/api/v1/clusters", "/api/v1/clusters", json(cluster), 201));
    rows.add(adminOnly("GET", "/api/v1/clusters/{name}", "/api/v1/clusters/matrix-k8s", NONE, 200));
    rows.add(
        adminOnly(
            "PATCH",
            "/api/v1/clusters/{name}",
            "/api/v1/clusters/matrix-k8s",
            json(Map.of("site", "dc-8")),
            200));
    rows.add(
        adminOnly(
            "POST",
            "/api/v1/clusters/{name}/probe",
            "/api/v1/clusters/matrix-k8s/probe",
            NONE,
            200));
    rows.add(adminOnly("POST", "/api/v1/partitions", "/api/v1/partitions", json(partition), 201));
    rows.add(
        new Row(
            "GET", "/api/v1/partitions", "/api/v1/partitions", NONE, 401, 200, 200, 200, 200, 200));
    rows.add(
        new Row(
            "GET",
            "/api/v1/partitions/{name}",
            "/api/v1/partitions/matrix-part",
            NONE,
            401,
            200,
            200,
            200,
            200,
            200));
    rows.add(
        adminOnly(
            "PATCH",
            "/api/v1/partitions/{name}",
            "/api/v1/partitions/matrix-part",
            json(Map.of("nodes", 3)),
            200));
    rows.add(
        adminOnly(
            "DELETE", "/api/v1/partitions/{name}", "/api/v1/partitions/matrix-part", NONE, 204));
    rows.add(
        adminOnly("DELETE", "/api/v1/clusters/{name}", "/api/v1/clusters/matrix-k8s", NONE, 204));
    for (String worker : List.of("spec", "plugin", "inputs/{name}", "dependencies/{n}")) {
      rows.add(
          new Row(
              "GET",
              "/api/v1/worker/runs/{id}/" + worker,
              "/api/v1/worker/runs/"
                  + aliceRun
                  + "/"
                  + worker.replace("{name}", "x.txt").replace("{n}", "0"),
              NONE,
              401,
              401,
              401,
              401,
              401,
              401));
    }
    rows.add(
        new Row(
            "POST",
            "/api/v1/worker/runs/{id}/events",
            "/api/v1/worker/runs/" + aliceRun + "/events",
            json(events),
            401,
            401,
            401,
            401,
            401,
            401));
    rows.add(
        new Row(
            "POST",
            "/api/v1/worker/runs/{id}/samples",
            "/api/v1/worker/runs/" + aliceRun + "/samples",
            json(List.of()),
            401,
            401,
            401,
            401,
            401,
            401));
    rows.add(
        new Row(
            "PUT",
            "/api/v1/worker/runs/{id}/outputs/{name}",
            "/api/v1/worker/runs/" + aliceRun + "/outputs/x.txt",
            r -> r.contentType("application/octet-stream").body("x".getBytes()),
            401,
            401,
            401,
            401,
            401,
            401));
    return rows;
  }

  @Test
  void everyEndpointAnswersEachCallerExactly() throws IOException {
    resources();
    List<String> failures = new ArrayList<>();
    for (Row row : rows()) {
      // The owner of a deleted resource goes last, so that the others meet it first.
      List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5));
      if (row.method().equals("DELETE")) {
        for (int i = 0; i < 6; i++) {
          if (row.expected()[i] == 204) {
            order.remove(Integer.valueOf(i));
            order.add(i);
          }
        }
      }
      for (int i : order) {
        String caller = CALLERS.get(i);
        RequestSpecification request = caller.equals("anonymous") ? given() : as(caller);
        Response response = row.body().apply(request).request(row.method(), row.path());
        if (response.statusCode() != row.expected()[i]) {
          failures.add(
              row.method()
                  + " "
                  + row.path()
                  + " as "
                  + caller
                  + ": expected "
                  + row.expected()[i]
                  + ", got "
                  + response.statusCode());
        } else if (response.statusCode() >= 400) {
          assertEquals(
              "application/problem+json",
              response.contentType().split(";")[0],
              row.method() + " " + row.path());
        }
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  @Test
  void everyEndpointHasARow() throws IOException {
    resources();
    JsonPath openapi =
        given()
            .accept("application/json")
            .get("/q/openapi?format=json")
            .then()
            .extract()
            .jsonPath();
    Map<String, Map<String, Object>> paths = openapi.getMap("paths");
    Set<String> documented = new TreeSet<>();
    paths.forEach(
        (path, operations) ->
            operations.keySet().forEach(m -> documented.add(m.toUpperCase() + " " + path)));
    Set<String> covered = new TreeSet<>();
    rows().forEach(r -> covered.add(r.method() + " " + r.template()));
    documented.removeAll(covered);
    assertTrue(documented.isEmpty(), "endpoints without a row in the access matrix: " + documented);
  }
}
