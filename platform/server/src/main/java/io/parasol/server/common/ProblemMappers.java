package io.parasol.server.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.parasol.server.tenancy.Challenges;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure into an RFC 9457 problem answer; nothing leaves as a bare 500 page. */
public class ProblemMappers {

  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

  /**
   * At most this many field errors are listed (the rest are counted in {@code omittedErrors}), and
   * no text the client sent is echoed at more than these lengths: an answer stays small whatever
   * the request was.
   */
  static final int MAX_FIELD_ERRORS = 50;

  static final int MAX_FIELD_NAME = 120;
  static final int MAX_TEXT = 1000;
  @Inject Challenges challenges;

  @ServerExceptionMapper
  public Response problem(ProblemException e, UriInfo uri) {
    return respond(e.status(), e.title(), e.getMessage(), uri, e.errors(), e.extensions());
  }

  @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
  public Response unauthorized(RuntimeException e, UriInfo uri) {
    if (uri.getPath().equals("/j_security_check")) {
      // The web app's sign-in form: back to it, saying that the sign-in failed.
      return Response.seeOther(java.net.URI.create("/ui/sign-in?failed=true")).build();
    }
    Response response =
        respond(
            401,
            "Unauthorized",
            "sign in: this endpoint needs credentials",
            uri,
            List.of(),
            Map.of());
    return challenge(response);
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e, UriInfo uri) {
    return respond(403, "Forbidden", "your role may not do this", uri, List.of(), Map.of());
  }

  @ServerExceptionMapper
  public Response json(JsonProcessingException e, UriInfo uri) {
    String detail = "the request body is not valid JSON for this endpoint";
    List<ProblemException.FieldProblem> errors = List.of();
    if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
      String path =
          mismatch.getPath().stream()
              .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
              .collect(Collectors.joining("."));
      String expected = "must be " + expected(mismatch.getTargetType());
      errors = List.of(new ProblemException.FieldProblem(path, expected));
      detail = path + " " + expected;
    }
    return respond(400, "Bad Request", detail, uri, errors, Map.of());
  }

  /** What a JSON value of a type must be, in words. */
  static String expected(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == java.time.Instant.class) {
      return "a time in ISO 8601, such as 2026-12-01T00:00:00Z";
    }
    if (type == java.time.Duration.class) {
      return "a duration in ISO 8601, such as PT30M";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == Integer.class
        || type == int.class
        || type == Long.class
        || type == long.class
        || type == java.math.BigInteger.class) {
      return "a whole number";
    }
    if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
      return "a number";
    }
    if (type.isEnum()) {
      return "one of "
          + java.util.Arrays.stream(type.getEnumConstants()).map(Object::toString).toList();
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a JSON array";
    }
    if (type == java.util.UUID.class) {
      return "a UUID";
    }
    return "a JSON object";
  }

  @ServerExceptionMapper
  public Response mismatch(MismatchedInputException e, UriInfo uri) {
    return json(e, uri);
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e, UriInfo uri) {
    int status = e.getResponse().getStatus();
    if (e.getCause() instanceof JsonProcessingException json) {
      return json(json, uri);
    }
    Response.Status known = Response.Status.fromStatusCode(status);
    String title = known == null ? "HTTP " + status : known.getReasonPhrase();
    String detail =
        switch (status) {
          case 404 -> "no resource at this path";
          case 405 -> "this method is not allowed here";
          case 406 -> "cannot produce the requested media type";
          case 415 -> "unsupported media type";
          default -> e.getMessage() == null ? title : e.getMessage();
        };
    Response response = respond(status, title, detail, uri, List.of(), Map.of());
    if (status == 401) {
      return challenge(response);
    }
    return response;
  }

  @ServerExceptionMapper
  public Response unexpected(Exception e, UriInfo uri) {
    if (isConcurrentUpdate(e)) {
      return respond(
          409,
          "Conflict",
          "the resource was changed by another request at the same time; read it again and retry",
          uri,
          List.of(),
          Map.of());
    }
    if (isDatabaseUnavailable(e)) {
      LOG.warnf(
          "the database cannot be reached (%s); answering 503 at %s",
          rootMessage(e), uri == null ? "?" : uri.getPath());
      Response unavailable =
          respond(
              503,
              "Service Unavailable",
              "the service cannot reach its database just now; nothing was changed, retry in a few"
                  + " seconds",
              uri,
              List.of(),
              Map.of("retryAfterSeconds", RETRY_AFTER_SECONDS));
      return Response.fromResponse(unavailable).header("Retry-After", RETRY_AFTER_SECONDS).build();
    }
    Optional<Response> refused = refusedByDatabase(e, uri);
    if (refused.isPresent()) {
      return refused.get();
    }
    if (isClosedConnection(e)) {
      LOG.debugf("the client closed the connection during %s", uri == null ? "?" : uri.getPath());
      return respond(400, "Bad Request", "the request body ended early", uri, List.of(), Map.of());
    }
    LOG.error("unexpected failure at " + (uri == null ? "?" : uri.getPath()), e);
    return respond(
        500,
        "Internal Server Error",
        "an unexpected error occurred; it has been logged",
        uri,
        List.of(),
        Map.of());
  }

  private Response challenge(Response response) {
    Response.ResponseBuilder builder = Response.fromResponse(response);
    challenges.all().forEach(c -> builder.header("WWW-Authenticate", c));
    return builder.build();
  }

  /**
   * The last line of defence for values that a service did not check: a statement the database
   * refused for its data (a text longer than its column, a number out of its range, text it cannot
   * encode, a second row where one is allowed) is the client's problem, not a server error. The
   * transaction has rolled back, so nothing was half-written.
   */
  static Optional<Response> refusedByDatabase(Throwable e, UriInfo uri) {
    int depth = 0;
    for (Throwable t = e; t != null && depth < 32; t = t.getCause() == t ? null : t.getCause()) {
      depth++;
      if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        String detail =
            switch (state) {
              case "22001" -> "a value is longer than the field allows";
              case "22003" -> "a number is out of the range the field allows";
              case "22021", "22P05" -> "a text holds a character that cannot be stored (NUL)";
              case "23505" -> null;
              default -> "";
            };
        if (detail == null) {
          LOG.debugf("unique constraint at %s: %s", uri == null ? "?" : uri.getPath(), sql);
          return Optional.of(
              respond(
                  409,
                  "Conflict",
                  "this already exists: an entry with the same key was recorded before",
                  uri,
                  List.of(),
                  Map.of()));
        }
        if (!detail.isEmpty()) {
          LOG.debugf("refused by the database at %s: %s", uri == null ? "?" : uri.getPath(), sql);
          return Optional.of(
              respond(422, "Unprocessable Content", detail, uri, List.of(), Map.of()));
        }
      }
    }
    return Optional.empty();
  }

  /** Seconds a client is asked to wait while the database cannot be reached. */
  static final int RETRY_AFTER_SECONDS = 5;

  /**
   * Whether a failure means that the database cannot be reached or cannot take connections now (SQL
   * state class 08, PostgreSQL's 57P01–57P03, a refused socket, a pool that times out waiting for a
   * connection), as opposed to a statement that failed.
   */
  public static boolean isDatabaseUnavailable(Throwable e) {
    int depth = 0;
    for (Throwable t = e; t != null && depth < 32; t = t.getCause() == t ? null : t.getCause()) {
      depth++;
      if (t instanceof org.hibernate.exception.JDBCConnectionException
          || t instanceof java.sql.SQLTransientConnectionException
          || t instanceof java.sql.SQLNonTransientConnectionException
          || t instanceof java.net.ConnectException) {
        return true;
      }
      if (t instanceof java.sql.SQLException sql) {
        String state = sql.getSQLState();
        if (state != null
            && (state.startsWith("08")
                || state.equals("57P01")
                || state.equals("57P02")
                || state.equals("57P03"))) {
          return true;
        }
        String message = sql.getMessage();
        if (message != null && message.contains("acquisition timeout")) {
          return true; // Agroal: no connection could be had within the pool's acquisition timeout
        }
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    int depth = 0;
    while (root.getCause() != null && root.getCause() != root && depth++ < 32) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  /** Whether the client went away while its request was read (a killed worker, say). */
  static boolean isClosedConnection(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof io.vertx.core.http.HttpClosedException) {
        return true;
      }
    }
    return false;
  }

  /** Whether an optimistic-locking failure is anywhere in the causes or suppressed exceptions. */
  static boolean isConcurrentUpdate(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof jakarta.persistence.OptimisticLockException
          || t instanceof org.hibernate.StaleStateException) {
        return true;
      }
      for (Throwable suppressed : t.getSuppressed()) {
        if (isConcurrentUpdate(suppressed)) {
          return true;
        }
      }
    }
    return false;
  }

  static Response respond(
      int status,
      String title,
      String detail,
      UriInfo uri,
      List<ProblemException.FieldProblem> errors,
      Map<String, Object> extensions) {
    List<ProblemException.FieldProblem> listed = errors;
    Map<String, Object> members = extensions;
    if (errors.size() > MAX_FIELD_ERRORS
        || errors.stream()
            .anyMatch(e -> length(e.field()) > MAX_FIELD_NAME || length(e.message()) > MAX_TEXT)) {
      listed =
          errors.stream()
              .limit(MAX_FIELD_ERRORS)
              .map(
                  e ->
                      new ProblemException.FieldProblem(
                          cut(e.field(), MAX_FIELD_NAME), cut(e.message(), MAX_TEXT)))
              .toList();
      if (errors.size() > MAX_FIELD_ERRORS) {
        members = new java.util.LinkedHashMap<>(extensions);
        members.put("omittedErrors", errors.size() - MAX_FIELD_ERRORS);
      }
    }
    Problem body =
        new Problem(
            "about:blank",
            title,
            status,
            cut(detail, MAX_TEXT),
            uri == null ? null : cut(uri.getPath(), MAX_TEXT),
            listed,
            members);
    return Response.status(status).type(Problem.MEDIA_TYPE).entity(body).build();
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }

  /** The text cut to {@code max} characters, with an ellipsis where it was cut. */
  static String cut(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    int end = max - 1;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end) + "\u2026";
  }
}
