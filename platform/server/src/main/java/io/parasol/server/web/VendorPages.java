package io.parasol.server.web;

import io.parasol.server.billing.FinanceService;
import io.parasol.server.common.Page;
import io.parasol.server.common.ProblemException;
import io.parasol.server.publishing.PluginView;
import io.parasol.server.publishing.PublishingService;
import io.parasol.server.tenancy.Caller;
import io.parasol.server.tenancy.CallerResolver;
import io.parasol.server.tenancy.Role;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The ISV's page: upload, verification reports, submitting for review, usage and revenue. */
@Path("/ui/vendor")
@Produces(MediaType.TEXT_HTML)
public class VendorPages {

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance vendor(
        Page<PluginView> plugins, FinanceService.VendorStatement statement);
  }

  private final PublishingService publishing;
  private final FinanceService finance;
  private final CallerResolver callers;
  private final WebRenderer renderer;

  VendorPages(
      PublishingService publishing,
      FinanceService finance,
      CallerResolver callers,
      WebRenderer renderer) {
    this.publishing = publishing;
    this.finance = finance;
    this.callers = callers;
    this.renderer = renderer;
  }

  @GET
  public Response vendor(@QueryParam("period") String period) {
    return renderer.render(
        () -> {
          Caller caller = callers.caller();
          if (caller.role() != Role.ISV) {
            throw ProblemException.forbidden("this page is for vendors");
          }
          String p = WebRenderer.periodOrThisMonth(period);
          return Templates.vendor(
              publishing.list(caller, 0, 100), finance.vendorStatement(caller, caller.org(), p));
        });
  }
}
