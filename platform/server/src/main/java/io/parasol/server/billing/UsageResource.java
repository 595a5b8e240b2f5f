package io.parasol.server.billing;

import io.parasol.server.tenancy.CallerResolver;
import io.parasol.server.tenancy.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Metered usage: batches in (admins and backends), monthly totals out. */
@Path("/api/v1/usage")
@Tag(name = "Usage")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.ENGINEER_ID, Role.ADMIN_ID})
public class UsageResource {

  /**
   * A batch of usage records.
   *
   * @param records the records, at most 5,000
   */
  public record Batch(List<MeteringService.UsageIn> records) {}

  private final MeteringService metering;
  private final CallerResolver callers;

  UsageResource(MeteringService metering, CallerResolver callers) {
    this.metering = metering;
    this.callers = callers;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Role.ADMIN_ID)
  @Operation(
      operationId = "reportUsage",
      summary = "Record usage; a record whose key was seen before is ignored")
  public MeteringService.Ingested report(Batch batch) {
    return metering.ingest(callers.caller(), batch == null ? null : batch.records());
  }

  @GET
  @Path("{org}")
  @Operation(operationId = "getUsageTotals", summary = "An org's usage in a month (period=yyyy-MM)")
  public MeteringService.Totals totals(
      @PathParam("org") String org, @QueryParam("period") String period) {
    return metering.totals(callers.caller(), org, period);
  }
}
