package io.parasol.server.audit;

import io.parasol.server.common.Page;
import io.parasol.server.common.ProblemException;
import io.parasol.server.tenancy.CallerResolver;
import io.parasol.server.tenancy.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The audit log, for admins. */
@Path("/api/v1/audit")
@Tag(name = "Audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_ID)
public class AuditResource {

  private final AuditService audit;
  private final CallerResolver callers;

  AuditResource(AuditService audit, CallerResolver callers) {
    this.audit = audit;
    this.callers = callers;
  }

  @GET
  @Operation(operationId = "listAuditEvents", summary = "Security-relevant actions, newest first")
  public Page<AuditService.Entry> list(
      @QueryParam("actor") String actor,
      @QueryParam("action") String action,
      @QueryParam("since") String since,
      @QueryParam("page") @DefaultValue("0") int page,
      @QueryParam("size") @DefaultValue("50") int size) {
    return audit.list(
        callers.caller(),
        Optional.ofNullable(actor).filter(s -> !s.isBlank()),
        Optional.ofNullable(action).filter(s -> !s.isBlank()),
        Optional.ofNullable(since).filter(s -> !s.isBlank()).map(AuditResource::instant),
        page,
        size);
  }

  private static Instant instant(String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw ProblemException.invalid(
          "since", "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
    }
  }
}
