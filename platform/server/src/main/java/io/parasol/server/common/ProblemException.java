package io.parasol.server.common;

import java.util.List;
import java.util.Map;

/**
 * A failure the client can act on, answered as RFC 9457 {@code application/problem+json}. Services
 * throw it; {@link ProblemMappers} renders it.
 */
public class ProblemException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String title;
  private final List<FieldProblem> errors;
  private final Map<String, Object> extensions;

  /**
   * One invalid field.
   *
   * @param field the field name or JSON path
   * @param message what is wrong with it
   */
  public record FieldProblem(String field, String message) {}

  public ProblemException(int status, String title, String detail) {
    this(status, title, detail, List.of(), Map.of());
  }

  public ProblemException(
      int status,
      String title,
      String detail,
      List<FieldProblem> errors,
      Map<String, Object> extensions) {
    super(detail);
    this.status = status;
    this.title = title;
    this.errors = List.copyOf(errors);
    this.extensions = Map.copyOf(extensions);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public List<FieldProblem> errors() {
    return errors;
  }

  public Map<String, Object> extensions() {
    return extensions;
  }

  public static ProblemException notFound(String what) {
    return new ProblemException(404, "Not Found", what + " was not found");
  }

  public static ProblemException badRequest(String detail) {
    return new ProblemException(400, "Bad Request", detail);
  }

  public static ProblemException conflict(String detail) {
    return new ProblemException(409, "Conflict", detail);
  }

  public static ProblemException forbidden(String detail) {
    return new ProblemException(403, "Forbidden", detail);
  }

  public static ProblemException tooLarge(String detail) {
    return new ProblemException(413, "Content Too Large", detail);
  }

  public static ProblemException invalid(String detail, List<FieldProblem> errors) {
    return new ProblemException(422, "Unprocessable Content", detail, errors, Map.of());
  }

  public static ProblemException invalid(String field, String message) {
    return invalid(field + " " + message, List.of(new FieldProblem(field, message)));
  }
}
