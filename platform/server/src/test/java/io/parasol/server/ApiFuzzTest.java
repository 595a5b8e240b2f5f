package io.parasol.server;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Walks every operation of {@code openapi/openapi.yaml} as each principal (anonymous, two engineers
 * of different orgs, two ISVs of different vendors, an admin) with hostile input: malformed JSON,
 * wrong types, missing and unknown fields, huge strings and numbers, NUL, emoji and right-to-left
 * text, traversal in path parameters, the wrong content type, truncated multipart bodies (bodies
 * over the limits, chunked or not, are {@code common.BodyLimitFilterTest}'s). Every answer must be
 * below 500; every error problem+json; no answer may show a class name, a stack frame or a server
 * path; another org's resources never answer 2xx. The operations come from the document, so a new
 * operation is fuzzed as soon as it is documented (and the contract test keeps the document equal
 * to the code); an operation that got no request fails the test.
 *
 * <p>The inputs are drawn from a fixed seed, so a failure repeats. It runs on H2 and again on
 * PostgreSQL (tag {@code db}).
 */
@QuarkusTest
@Tag("db")
class ApiFuzzTest {

  private static final List<String> PRINCIPALS =
      List.of("", "alice", "bob", "ivy", "victor", "admin");

  /** Hostile values for path parameters: none names a real resource, each tests a decoder. */
  private static final List<String> PATH_VALUES =
      List.of(
          "fz-" + Long.toHexString(new Random(7).nextLong() & Long.MAX_VALUE),
          UUID.nameUUIDFromBytes(new byte[] {1}).toString(),
          "a%00b",
          "..%2F..%2Fetc%2Fpasswd",
          "%2e%2e",
          "x".repeat(300),
          "%F0%9F%92%A5%E2%80%AEevil",
          "-1",
          "99999999999999999999");

  /** Hostile scalar values for JSON fields and query parameters. */
  private static final List<Object> SCALARS =
      List.of(
          "a\u0000b",
          "x".repeat(70_000),
          "\uD83D\uDCA5\u202Eevil\u200F",
          "",
          " ",
          "../../etc/passwd",
          1e308,
          -1,
          1e13,
          Long.MAX_VALUE,
          true,
          List.of(1, "2"),
          Map.of("deep", Map.of("er", List.of())));

  /** What an answer must never show: class names, stack frames, server paths. */
  private static final Pattern INTERNAL =
      Pattern.compile(
          "java\\.|javax\\.|jakarta\\.|io\\.parasol\\.|org\\.hibernate|io\\.vertx|"
              + "Exception\\b|\\bat [a-z]+\\.[a-z]+\\.|\\.java:\\d|/tmp/|/work/|/root/|target/|"
              + "/etc/parasol|test-data");

  @Test
  void everyOperationAnswersHostileInputWithA4xxProblemAndShowsNothingInternal() throws Exception {
    OpenAPI api = OpenApiQualityTest.contract();
    Random random = new Random(20261206);
    Map<String, Integer> requests = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
      for (Map.Entry<PathItem.HttpMethod, Operation> entry :
          path.getValue().readOperationsMap().entrySet()) {
        String method = entry.getKey().name();
        Operation op = entry.getValue();
        String id = op.getOperationId();
        requests.put(id, 0);
        for (Attempt attempt : attempts(api, path.getKey(), op, random)) {
          for (String user : PRINCIPALS) {
            requests.merge(id, 1, Integer::sum);
            Response r;
            try {
              r = send(user, method, attempt);
            } catch (Exception e) {
              failures.add(where(user, method, attempt) + "no answer: " + e);
              continue;
            }
            check(failures, user, method, attempt, r);
          }
        }
      }
    }
    List<String> unfuzzed =
        requests.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey).toList();
    assertTrue(unfuzzed.isEmpty(), "operations that got no request: " + unfuzzed);
    assertTrue(
        failures.isEmpty(),
        failures.size()
            + " answers broke the rules:\n"
            + String.join("\n", failures.subList(0, Math.min(60, failures.size()))));
  }

  @Test
  void anotherOrgsResourcesNeverAnswer2xx() throws Exception {
    OpenAPI api = OpenApiQualityTest.contract();
    List<String> leaks = new ArrayList<>();
    for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
      if (!path.getKey().contains("{org}")) {
        continue;
      }
      Operation get = path.getValue().getGet();
      if (get == null) {
        continue;
      }
      String concrete =
          path.getKey()
              .replace("{org}", "acme")
              .replace("{period}", "2026-01")
              .replaceAll("\\{[^}]+}", "x");
      // bob is an engineer of globex, ivy an ISV of thermosoft: neither may read acme's things
      for (String user : List.of("bob", "ivy", "victor")) {
        Response r =
            given()
                .auth()
                .preemptive()
                .basic(user, user)
                .queryParam("period", "2026-01")
                .get(concrete);
        if (r.statusCode() < 300) {
          leaks.add(user + " GET " + concrete + " answered " + r.statusCode());
        }
      }
    }
    assertTrue(leaks.isEmpty(), String.join("\n", leaks));
  }

  /**
   * One request to make.
   *
   * @param path the concrete path, already encoded
   * @param query query parameters, raw
   * @param contentType the content type of the body, or null for none
   * @param body the body: text, or null
   * @param what what the attempt tries, for the failure message
   */
  record Attempt(
      String path, Map<String, Object> query, String contentType, String body, String what) {}

  private static List<Attempt> attempts(OpenAPI api, String template, Operation op, Random random) {
    List<Attempt> attempts = new ArrayList<>();
    List<String> pathParams = new ArrayList<>();
    List<Parameter> queryParams = new ArrayList<>();
    if (op.getParameters() != null) {
      for (Parameter p : op.getParameters()) {
        if ("path".equals(p.getIn())) {
          pathParams.add(p.getName());
        } else if ("query".equals(p.getIn())) {
          queryParams.add(p);
        }
      }
    }
    // each hostile path value, once, in every path parameter
    List<String> paths = new ArrayList<>();
    if (pathParams.isEmpty()) {
      paths.add(template);
    } else {
      for (String value : PATH_VALUES) {
        String concrete = template;
        for (String name : pathParams) {
          concrete = concrete.replace("{" + name + "}", value);
        }
        paths.add(concrete.replaceAll("\\{[^}]+}", value));
      }
    }
    String jsonType = bodyType(op);
    for (String p : paths) {
      attempts.add(new Attempt(p, Map.of(), null, null, "no body"));
    }
    String first = paths.get(0);
    for (Parameter q : queryParams) {
      for (Object v : List.of("a\u0000b", "x".repeat(5_000), "-1", "1e999", "\u202e")) {
        attempts.add(
            new Attempt(first, Map.of(q.getName(), v), null, null, "query " + q.getName()));
      }
    }
    if (jsonType == null) {
      return attempts;
    }
    if (jsonType.startsWith("multipart")) {
      attempts.add(
          new Attempt(
              first,
              Map.of(),
              "multipart/form-data; boundary=fz",
              "--fz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\u0000b.jar\"\r\n\r\nPK",
              "truncated multipart"));
      attempts.add(new Attempt(first, Map.of(), "application/json", "{}", "wrong content type"));
      return attempts;
    }
    attempts.add(new Attempt(first, Map.of(), "application/json", "{\"a\":", "malformed JSON"));
    attempts.add(new Attempt(first, Map.of(), "text/plain", "hello", "wrong content type"));
    attempts.add(new Attempt(first, Map.of(), "application/json", "[]", "an array"));
    attempts.add(new Attempt(first, Map.of(), "application/json", "\"x\"", "a string"));
    attempts.add(
        new Attempt(
            first,
            Map.of(),
            "application/json",
            "{" + "\"k".repeat(1) + "\":" + "[".repeat(3000) + "]".repeat(3000) + "}",
            "deep nesting"));
    Map<String, Schema> properties = properties(api, op);
    Map<String, Object> unknown = new LinkedHashMap<>();
    for (int i = 0; i < 3000; i++) {
      unknown.put("unknown" + i, i);
    }
    attempts.add(new Attempt(first, Map.of(), "application/json", json(unknown), "unknown fields"));
    for (String field : properties.keySet()) {
      for (int i = 0; i < 4; i++) {
        Object value = SCALARS.get(random.nextInt(SCALARS.size()));
        attempts.add(
            new Attempt(
                first,
                Map.of(),
                "application/json",
                json(Map.of(field, value)),
                "field " + field + " = " + preview(value)));
      }
    }
    return attempts;
  }

  private static String bodyType(Operation op) {
    if (op.getRequestBody() == null || op.getRequestBody().getContent() == null) {
      return null;
    }
    for (String type : op.getRequestBody().getContent().keySet()) {
      if (type.contains("json")) {
        return "application/json";
      }
      if (type.startsWith("multipart")) {
        return "multipart/form-data";
      }
    }
    return null;
  }

  @SuppressWarnings("rawtypes")
  private static Map<String, Schema> properties(OpenAPI api, Operation op) {
    Schema schema = null;
    for (var media : op.getRequestBody().getContent().values()) {
      schema = media.getSchema();
    }
    for (int i = 0; schema != null && schema.get$ref() != null && i < 5; i++) {
      String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
      schema = api.getComponents().getSchemas().get(name);
    }
    if (schema == null || schema.getProperties() == null) {
      return Map.of("value", new Schema<>());
    }
    @SuppressWarnings("unchecked")
    Map<String, Schema> props = schema.getProperties();
    return props;
  }

  private static Response send(String user, String method, Attempt a) {
    RequestSpecification r = given().urlEncodingEnabled(false).redirects().follow(false);
    if (!user.isEmpty()) {
      r = r.auth().preemptive().basic(user, user);
    }
    for (Map.Entry<String, Object> q : a.query().entrySet()) {
      r =
          r.queryParam(
              q.getKey(),
              java.net.URLEncoder.encode(
                  String.valueOf(q.getValue()), java.nio.charset.StandardCharsets.UTF_8));
    }
    if (a.contentType() != null) {
      r =
          r.contentType(a.contentType())
              .body(a.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return r.request(method, a.path());
  }

  private static void check(
      List<String> failures, String user, String method, Attempt a, Response r) {
    int status = r.statusCode();
    String where = where(user, method, a) + status;
    String body = r.asString();
    if (status >= 500) {
      failures.add(where + ": " + preview(body));
      return;
    }
    if (status >= 400) {
      String type = r.contentType() == null ? "" : r.contentType();
      if (!type.startsWith("application/problem+json")) {
        failures.add(where + ": not problem+json but '" + type + "'");
      }
      // the server's own words (a 2xx may carry vendor texts, which may say anything)
      if (INTERNAL.matcher(body).find()) {
        failures.add(where + ": shows internals: " + preview(body));
      }
    }
  }

  private static String where(String user, String method, Attempt a) {
    return (user.isEmpty() ? "anonymous" : user)
        + " "
        + method
        + " "
        + preview(a.path())
        + " ("
        + a.what()
        + ") -> ";
  }

  private static String json(Object value) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String preview(Object value) {
    String s = String.valueOf(value);
    return s.length() > 160 ? s.substring(0, 160) + "…(" + s.length() + ")" : s;
  }
}
