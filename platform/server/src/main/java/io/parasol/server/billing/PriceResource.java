package io.parasol.server.billing;

import io.parasol.server.tenancy.CallerResolver;
import io.parasol.server.tenancy.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The price book (per partition and resource) and the apps' licence fees, with their history. */
@Path("/api/v1")
@Tag(name = "Prices")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.ENGINEER_ID, Role.ISV_ID, Role.ADMIN_ID})
public class PriceResource {

  private final BillingService billing;
  private final CallerResolver callers;

  PriceResource(BillingService billing, CallerResolver callers) {
    this.billing = billing;
    this.callers = callers;
  }

  @GET
  @Path("prices")
  @Operation(
      operationId = "listPrices",
      summary = "Every price, newest first per partition and resource")
  public List<BillingViews.PriceView> prices() {
    return billing.prices();
  }

  @POST
  @Path("prices")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Role.ADMIN_ID)
  @Operation(
      operationId = "setPrice",
      summary = "Add a price in force from a time on (history is kept)")
  public Response setPrice(BillingViews.PriceView price) {
    return Response.status(201).entity(billing.setPrice(callers.caller(), price)).build();
  }

  @GET
  @Path("licence-fees")
  @Operation(operationId = "listLicenceFees", summary = "Every licence fee, newest first per app")
  public List<BillingViews.LicenceView> licenceFees() {
    return billing.licenceFees();
  }

  @POST
  @Path("licence-fees")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Role.ADMIN_ID)
  @Operation(
      operationId = "setLicenceFee",
      summary = "Add an app's licence fee and vendor share from a time on")
  public Response setLicenceFee(BillingViews.LicenceView fee) {
    return Response.status(201).entity(billing.setLicenceFee(callers.caller(), fee)).build();
  }
}
