package io.parasol.server.common;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The body of an RFC 9457 problem answer.
 *
 * @param type a URI naming the problem type ({@code about:blank} for plain HTTP statuses)
 * @param title the short, fixed summary of the type
 * @param status the HTTP status
 * @param detail what went wrong this time, for a person
 * @param instance the request path
 * @param errors per-field messages, for validation problems
 * @param extensions further members, such as {@code missing} amounts
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    List<ProblemException.FieldProblem> errors,
    @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extensions) {

  public static final String MEDIA_TYPE = "application/problem+json";

  @JsonAnyGetter
  public Map<String, Object> extensionMembers() {
    return extensions;
  }
}
