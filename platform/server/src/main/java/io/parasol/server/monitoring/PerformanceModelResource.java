package io.parasol.server.monitoring;

import io.parasol.server.common.ProblemException;
import io.parasol.server.tenancy.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Apps' performance models, learned from their completed runs. */
@Path("/api/v1/apps")
@Tag(name = "Monitoring")
@Produces(MediaType.APPLICATION_JSON)
public class PerformanceModelResource {

  private final MonitoringService monitoring;

  PerformanceModelResource(MonitoringService monitoring) {
    this.monitoring = monitoring;
  }

  @GET
  @Path("{appId}/performance-model")
  @RolesAllowed({Role.ENGINEER_ID, Role.ADMIN_ID, Role.ISV_ID})
  @Operation(
      operationId = "getAppPerformanceModel",
      summary = "Every version of an app's performance model, newest first")
  public List<PerformanceModels.Versioned> model(@PathParam("appId") String appId) {
    if (appId == null || !appId.matches("[a-z0-9][a-z0-9-]{0,99}")) {
      throw ProblemException.invalid("appId", "must be an app id (lower-case kebab-case)");
    }
    return monitoring.models(appId);
  }
}
