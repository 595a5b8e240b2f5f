package io.parasol.server.publishing;

import io.parasol.server.publishing.DerivationService.DerivationRequest;
import io.parasol.server.publishing.DerivationService.DerivationView;
import io.parasol.server.tenancy.CallerResolver;
import io.parasol.server.tenancy.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Who may build derived apps on an app: read by its vendor and admins, set by its vendor. */
@Path("/api/v1/apps/{appId}/derivation")
@Tag(name = "Plugins")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.ISV_ID, Role.ADMIN_ID})
public class DerivationResource {

  private final DerivationService derivation;
  private final CallerResolver callers;

  DerivationResource(DerivationService derivation, CallerResolver callers) {
    this.derivation = derivation;
    this.callers = callers;
  }

  @GET
  @Operation(
      operationId = "getAppDerivation",
      summary = "Who may build derived apps on an app (its vendor always may)")
  public DerivationView get(@PathParam("appId") String appId) {
    return derivation.get(callers.caller(), appId);
  }

  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "setAppDerivation",
      summary = "Allow no other vendor, named vendors or anyone to build derived apps on an app")
  public DerivationView set(@PathParam("appId") String appId, DerivationRequest request) {
    return derivation.set(callers.caller(), appId, request);
  }
}
