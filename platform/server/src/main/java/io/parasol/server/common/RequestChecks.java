package io.parasol.server.common;

import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.Optional;

/**
 * The checks every request passes before it is routed, each answered with a problem that names what
 * is wrong: a request target or header block over its limit (414, 431: the HTTP layer's own limits
 * are set higher, so that these answers, not a bare status, are what a client sees), the NUL
 * character in the path or the query, a blank {@code Idempotency-Key}, and paging parameters that
 * are not whole numbers.
 */
final class RequestChecks {

  /** The longest request target (path and query) answered. */
  static final int MAX_TARGET = 8 * 1024;

  /** The largest header block answered, names and values together. */
  static final int MAX_HEADERS = 20 * 1024;

  private static final java.util.regex.Pattern WHOLE =
      java.util.regex.Pattern.compile("-?\\d{1,9}");

  /**
   * A refusal.
   *
   * @param status the HTTP status
   * @param title its reason phrase
   * @param detail what is wrong, for a person
   * @param field the parameter or header concerned, if one is
   */
  record Refusal(int status, String title, String detail, String field) {}

  private RequestChecks() {}

  static Optional<Refusal> check(HttpServerRequest request) {
    String uri = request.uri() == null ? "" : request.uri();
    if (uri.length() > MAX_TARGET) {
      return Optional.of(
          new Refusal(
              414,
              "URI Too Long",
              "the request target is " + uri.length() + " characters; the limit is " + MAX_TARGET,
              null));
    }
    long headers = 0;
    for (Map.Entry<String, String> h : request.headers()) {
      headers += h.getKey().length() + h.getValue().length() + 4;
    }
    if (headers > MAX_HEADERS) {
      return Optional.of(
          new Refusal(
              431,
              "Request Header Fields Too Large",
              "the request's headers are " + headers + " bytes; the limit is " + MAX_HEADERS,
              null));
    }
    if (uri.contains("%00")) {
      String field = nulField(uri);
      return Optional.of(
          new Refusal(
              400,
              "Bad Request",
              ("path".equals(field) ? "the path" : "query parameter " + field)
                  + " must not contain the NUL character (U+0000)",
              field));
    }
    String key = request.getHeader("Idempotency-Key");
    if (key != null && key.isBlank()) {
      return Optional.of(
          new Refusal(
              400,
              "Bad Request",
              "Idempotency-Key is blank: send 1 to 200 visible ASCII characters, or leave the"
                  + " header out",
              "Idempotency-Key"));
    }
    for (String name : new String[] {"page", "size"}) {
      for (String value : request.params().getAll(name)) {
        if (!WHOLE.matcher(value.trim()).matches()) {
          return Optional.of(
              new Refusal(
                  400, "Bad Request", "query parameter " + name + " must be a whole number", name));
        }
      }
    }
    return Optional.empty();
  }

  /** The path, or the name of the first query parameter, that carries an encoded NUL. */
  private static String nulField(String uri) {
    int q = uri.indexOf('?');
    if (q < 0 || uri.substring(0, q).contains("%00")) {
      return "path";
    }
    for (String pair : uri.substring(q + 1).split("&")) {
      if (pair.contains("%00")) {
        String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
        return ProblemMappers.cut(name.replace("%00", ""), 60);
      }
    }
    return "query";
  }
}
