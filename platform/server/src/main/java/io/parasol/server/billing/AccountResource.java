package io.parasol.server.billing;

import io.parasol.server.common.IfMatch;
import io.parasol.server.common.Page;
import io.parasol.server.tenancy.CallerResolver;
import io.parasol.server.tenancy.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Billing accounts of engineer orgs: balance, holds, credit, top-ups and the ledger. */
@Path("/api/v1/accounts/{org}")
@Tag(name = "Accounts")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.ENGINEER_ID, Role.ADMIN_ID})
public class AccountResource {

  private final BillingService billing;
  private final CallerResolver callers;

  AccountResource(BillingService billing, CallerResolver callers) {
    this.billing = billing;
    this.callers = callers;
  }

  @GET
  @Operation(
      operationId = "getAccount",
      summary = "Balance, holds, available funds and credit of an org")
  public Response get(@PathParam("org") String org) {
    BillingViews.AccountView view = billing.account(callers.caller(), org);
    return Response.ok(view).tag(new EntityTag(Long.toString(view.version()))).build();
  }

  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Role.ADMIN_ID)
  @Operation(
      operationId = "putAccount",
      summary = "Open an account or change its kind and credit limit (If-Match: version)")
  public Response put(
      @PathParam("org") String org,
      @HeaderParam("If-Match") String ifMatch,
      BillingViews.AccountRequest request) {
    BillingViews.AccountView view =
        billing.upsert(callers.caller(), org, request, IfMatch.parse(ifMatch));
    return Response.ok(view).tag(new EntityTag(Long.toString(view.version()))).build();
  }

  @POST
  @Path("top-ups")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Role.ADMIN_ID)
  @Operation(
      operationId = "topUpAccount",
      summary = "Add funds to a prepaid account (Idempotency-Key required)")
  public BillingViews.TransactionView topUp(
      @PathParam("org") String org,
      @HeaderParam("Idempotency-Key") String key,
      BillingViews.TopUpRequest request) {
    return billing.topUp(callers.caller(), org, request, key);
  }

  @GET
  @Path("ledger")
  @Operation(
      operationId = "getAccountLedger",
      summary = "The org's ledger transactions, newest first")
  public Page<BillingViews.TransactionView> ledger(
      @PathParam("org") String org,
      @QueryParam("page") @DefaultValue("0") int page,
      @QueryParam("size") @DefaultValue("50") int size) {
    return billing.ledger(callers.caller(), org, page, size);
  }

  @GET
  @Path("invoices/{period}")
  @Operation(
      operationId = "getInvoice",
      summary = "The account's charges of a month (yyyy-MM): the postpaid invoice")
  public BillingViews.Invoice invoice(
      @PathParam("org") String org, @PathParam("period") String period) {
    return billing.invoice(callers.caller(), org, period);
  }
}
