package io.parasol.server.common;

import static io.parasol.server.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Body limits hold on the bytes that arrive, whatever the client declares. */
@QuarkusTest
class BodyLimitFilterTest {

  /** More than the JSON limit, sent without a Content-Length. */
  private static final long OVERSIZE = 64L * 1024 * 1024;

  @TestHTTPResource("/")
  URI base;

  /** The server closes a connection whose body it refused: each request gets its own client. */
  private static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body)
      throws Exception {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    return http.send(request, body);
  }

  @Test
  void aChunkedJsonBodyOverTheLimitIs413AndIsNotReadToTheEnd() throws Exception {
    AtomicLong sent = new AtomicLong();
    HttpResponse<String> response =
        send(
            chunked("/api/v1/runs", sent)
                .header("Authorization", basic("alice"))
                .header("Content-Type", "application/json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(413, response.statusCode());
    assertEquals(Problem.MEDIA_TYPE, response.headers().firstValue("Content-Type").orElse(""));
    assertTrue(response.body().contains("1048576 bytes"), response.body());
    assertTrue(sent.get() < OVERSIZE, "the server read the whole body: " + sent.get());
  }

  @Test
  void aWorkerReportWithoutAValidTokenIsRefusedBeforeItsBodyIsRead() throws Exception {
    for (String path : new String[] {"events", "samples"}) {
      AtomicLong sent = new AtomicLong();
      HttpResponse<String> response =
          send(
              chunked("/api/v1/worker/runs/" + UUID.randomUUID() + "/" + path, sent)
                  .header("Authorization", "Bearer not-a-token")
                  .header("Content-Type", "application/json")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(401, response.statusCode(), path);
      assertEquals(Problem.MEDIA_TYPE, response.headers().firstValue("Content-Type").orElse(""));
      assertTrue(sent.get() < OVERSIZE, "the server read the whole body: " + sent.get());
    }
  }

  @Test
  void aChunkedUploadOverItsLimitIs413AndIsNotReadToTheEnd() throws Exception {
    AtomicLong sent = new AtomicLong();
    HttpResponse<String> response =
        send(
            chunked(
                    "/api/v1/plugins",
                    sent,
                    "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jar\"\r\n"
                        + "Content-Type: application/java-archive\r\n\r\n")
                .header("Authorization", basic("victor"))
                .header("Content-Type", "multipart/form-data; boundary=x")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(413, response.statusCode());
    assertEquals(Problem.MEDIA_TYPE, response.headers().firstValue("Content-Type").orElse(""));
    assertTrue(response.body().contains("the plugin is larger than the limit"), response.body());
    assertTrue(sent.get() < OVERSIZE, "the server read the whole body: " + sent.get());
  }

  @Test
  void aSmallChunkedBodyIsRead() throws Exception {
    byte[] json = "{\"appId\":\"heat-transfer\",\"inputs\":{}}".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(base.resolve("/api/v1/runs/quote"))
                .header("Authorization", basic("alice"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(json)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
  }

  @Test
  void aValidationAnswerListsAtMostFiftyFieldsAndEchoesNoLongText() {
    Map<String, Object> inputs = new LinkedHashMap<>();
    for (int i = 0; i < 5_000; i++) {
      inputs.put("unknown-" + i + "-" + "k".repeat(150), i);
    }
    String answer =
        as("alice")
            .contentType("application/json")
            .body(Map.of("appId", "heat-transfer", "inputs", inputs))
            .post("/api/v1/runs/quote")
            .then()
            .statusCode(422)
            .contentType("application/problem+json")
            .body("errors.size()", equalTo(ProblemMappers.MAX_FIELD_ERRORS))
            .body("omittedErrors", equalTo(5_000 - ProblemMappers.MAX_FIELD_ERRORS))
            .body("errors[0].field.length()", lessThanOrEqualTo(ProblemMappers.MAX_FIELD_NAME))
            .extract()
            .asString();
    assertTrue(answer.length() < 20_000, "answer of " + answer.length() + " characters");
  }

  @Test
  void aTruncatedMultipartBodyIs400AndStoresNothing() {
    long before =
        as("alice").get("/api/v1/files").then().extract().jsonPath().getList("items").size();
    for (String path : new String[] {"/api/v1/files", "/api/v1/plugins"}) {
      as(path.endsWith("files") ? "alice" : "victor")
          .contentType("multipart/form-data; boundary=fz")
          .body(
              "--fz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nabc"
                  .getBytes(StandardCharsets.UTF_8))
          .post(path)
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    long after =
        as("alice").get("/api/v1/files").then().extract().jsonPath().getList("items").size();
    assertEquals(before, after);
  }

  @Test
  void nulInThePathTheQueryOrAJsonTextIs400NamingTheField() {
    as("alice")
        .urlEncodingEnabled(false)
        .get("/api/v1/apps/a%00b")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("path"));
    as("alice")
        .urlEncodingEnabled(false)
        .get("/api/v1/runs?state=a%00b")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("state"));
    as("alice")
        .contentType("application/json")
        .body("{\"appId\":\"heat-transfer\",\"inputs\":{\"title\":[\"ok\",\"a\\u0000b\"]}}")
        .post("/api/v1/runs/quote")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("inputs.title[1]"));
  }

  @Test
  void protocolDetailsAreProblemsThatNameTheirPart() {
    as("alice")
        .get("/api/v1/runs?page=abc")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("page"));
    as("alice")
        .get("/api/v1/apps?size=1e3")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("size"));
    as("alice")
        .header("Idempotency-Key", "  ")
        .contentType("application/json")
        .body(io.parasol.server.Api.TRIVIAL_HEAT)
        .post("/api/v1/runs")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("Idempotency-Key"));
    as("alice")
        .get("/api/v1/apps?q=" + "a".repeat(RequestChecks.MAX_TARGET))
        .then()
        .statusCode(414)
        .contentType("application/problem+json");
    as("alice")
        .header("X-Padding", "a".repeat(RequestChecks.MAX_HEADERS))
        .get("/api/v1/apps")
        .then()
        .statusCode(431)
        .contentType("application/problem+json");
  }

  private HttpRequest.Builder chunked(String path, AtomicLong sent) {
    return chunked(path, sent, "");
  }

  /** A POST of {@code prefix}, then bytes up to {@link #OVERSIZE}, without a Content-Length. */
  private HttpRequest.Builder chunked(String path, AtomicLong sent, String prefix) {
    return HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(30))
        .POST(
            HttpRequest.BodyPublishers.ofInputStream(
                () ->
                    new java.io.SequenceInputStream(
                        new java.io.ByteArrayInputStream(prefix.getBytes(StandardCharsets.UTF_8)),
                        new Endless(sent, OVERSIZE))));
  }

  private static String basic(String user) {
    return "Basic "
        + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
  }

  /** {@code size} bytes of JSON-ish text, counting what was taken. */
  private static final class Endless extends InputStream {
    private final AtomicLong sent;
    private final long size;

    Endless(AtomicLong sent, long size) {
      this.sent = sent;
      this.size = size;
    }

    @Override
    public int read() {
      return read(new byte[1], 0, 1) < 0 ? -1 : 'a';
    }

    @Override
    public int read(byte[] b, int off, int len) {
      long left = size - sent.get();
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      java.util.Arrays.fill(b, off, off + n, (byte) '[');
      sent.addAndGet(n);
      return n;
    }
  }
}
