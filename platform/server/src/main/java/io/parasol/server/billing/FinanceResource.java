package io.parasol.server.billing;

import io.parasol.server.tenancy.CallerResolver;
import io.parasol.server.tenancy.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Subscriptions, costs and the finance reports. */
@Path("/api/v1")
@Tag(name = "Finance")
@Produces(MediaType.APPLICATION_JSON)
public class FinanceResource {

  private final FinanceService finance;
  private final SubscriptionService subscriptions;
  private final CallerResolver callers;

  FinanceResource(
      FinanceService finance, SubscriptionService subscriptions, CallerResolver callers) {
    this.finance = finance;
    this.subscriptions = subscriptions;
    this.callers = callers;
  }

  @GET
  @Path("finance/reports/{period}")
  @Produces({MediaType.APPLICATION_JSON, "text/csv"})
  @RolesAllowed(Role.ADMIN_ID)
  @Operation(
      operationId = "getFinanceReport",
      summary =
          "Revenue, renewal rate, cost allocation, gross margin and ISV payouts of a month (2026-03) or quarter (2026-Q1); format=csv for CSV")
  public Response report(
      @PathParam("period") String period,
      @QueryParam("format") @DefaultValue("json") String format) {
    Map<String, Object> report = finance.report(callers.caller(), period);
    if ("csv".equalsIgnoreCase(format)) {
      return Response.ok(finance.csv(report), "text/csv")
          .header("Content-Disposition", "attachment; filename=\"finance-" + period + ".csv\"")
          .build();
    }
    return Response.ok(report, MediaType.APPLICATION_JSON).build();
  }

  @GET
  @Path("vendors/{org}/statements/{period}")
  @RolesAllowed({Role.ISV_ID, Role.ADMIN_ID})
  @Operation(
      operationId = "getVendorStatement",
      summary =
          "A vendor's usage and revenue share of its apps in a month (2026-03) or quarter (2026-Q1)")
  public FinanceService.VendorStatement vendorStatement(
      @PathParam("org") String org, @PathParam("period") String period) {
    return finance.vendorStatement(callers.caller(), org, period);
  }

  @POST
  @Path("finance/costs")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Role.ADMIN_ID)
  @Operation(
      operationId = "addCost",
      summary =
          "Enter a month's purchased compute or depreciation of a partition, or IDC rent of a site")
  public Response addCost(FinanceService.CostView cost) {
    return Response.status(201).entity(finance.addCost(callers.caller(), cost)).build();
  }

  @POST
  @Path("subscriptions")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Role.ADMIN_ID)
  @Operation(
      operationId = "createSubscription",
      summary = "Reserve cores on a partition for a term, paid up front or monthly")
  public Response subscribe(
      SubscriptionService.SubscriptionView subscription,
      @HeaderParam("Idempotency-Key") String key) {
    return Response.status(201)
        .entity(subscriptions.create(callers.caller(), subscription, key))
        .build();
  }

  @GET
  @Path("subscriptions")
  @RolesAllowed({Role.ENGINEER_ID, Role.ADMIN_ID})
  @Operation(
      operationId = "listSubscriptions",
      summary = "Your org's subscriptions (any org's, for admins)")
  public List<SubscriptionService.SubscriptionView> list(@QueryParam("org") String org) {
    return subscriptions.list(callers.caller(), Optional.ofNullable(org).filter(s -> !s.isBlank()));
  }
}
