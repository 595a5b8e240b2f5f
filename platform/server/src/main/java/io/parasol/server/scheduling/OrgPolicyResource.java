package io.parasol.server.scheduling;

import io.parasol.server.scheduling.OrgPolicyService.PolicyRequest;
import io.parasol.server.scheduling.OrgPolicyService.PolicyView;
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

/** Org placement policies: regions, data region, quotas and the highest priority. */
@Path("/api/v1/orgs/{org}/policy")
@Tag(name = "Placement")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.ENGINEER_ID, Role.ISV_ID, Role.ADMIN_ID})
public class OrgPolicyResource {

  private final OrgPolicyService policies;
  private final CallerResolver callers;

  OrgPolicyResource(OrgPolicyService policies, CallerResolver callers) {
    this.policies = policies;
    this.callers = callers;
  }

  @GET
  @Operation(
      operationId = "getOrgPolicy",
      summary = "An org's placement policy (admins: any org; others: their own)")
  public PolicyView get(@PathParam("org") String org) {
    return policies.get(callers.caller(), org);
  }

  @PUT
  @RolesAllowed(Role.ADMIN_ID)
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "setOrgPolicy",
      summary = "Set an org's allowed regions, data region, quotas and highest priority (admins)")
  public PolicyView set(@PathParam("org") String org, PolicyRequest request) {
    return policies.set(callers.caller(), org, request);
  }
}
