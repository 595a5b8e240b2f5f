package io.parasol.server.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parasol.protocol.AppDescriptor;
import io.parasol.server.audit.AuditService;
import io.parasol.server.billing.BillingService;
import io.parasol.server.billing.BillingViews;
import io.parasol.server.billing.FinanceService;
import io.parasol.server.common.Page;
import io.parasol.server.common.ProblemException;
import io.parasol.server.compute.ClusterService;
import io.parasol.server.compute.ClusterViews;
import io.parasol.server.publishing.PluginView;
import io.parasol.server.publishing.PublishingService;
import io.parasol.server.tenancy.Caller;
import io.parasol.server.tenancy.CallerResolver;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin's pages: the review queue, clusters and partitions, the price book, accounts and
 * top-ups, finance reports and the audit log.
 */
@Path("/ui/admin")
@Produces(MediaType.TEXT_HTML)
public class AdminPages {

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance review(List<Review> queue);

    static native TemplateInstance clusters(
        List<ClusterViews.ClusterView> clusters, List<ClusterViews.PartitionView> partitions);

    static native TemplateInstance prices(
        List<BillingViews.PriceView> prices, List<BillingViews.LicenceView> fees);

    static native TemplateInstance accounts(List<BillingViews.AccountView> accounts);

    static native TemplateInstance finance(String period, List<Bar> revenue, String json);

    static native TemplateInstance audit(Page<AuditService.Entry> entries);
  }

  /**
   * A listing waiting for review.
   *
   * @param plugin the upload
   * @param form its form, as the launch page would show it
   * @param changes what it changes against the version published before it
   */
  public record Review(PluginView plugin, FormView form, List<String> changes) {}

  /**
   * One bar of a chart.
   *
   * @param label what it measures
   * @param amount its amount
   * @param percent its length, 0 to 100, against the longest bar
   */
  public record Bar(String label, BigDecimal amount, int percent) {}

  private final PublishingService publishing;
  private final ClusterService clusters;
  private final BillingService billing;
  private final FinanceService finance;
  private final AuditService audit;
  private final CallerResolver callers;
  private final WebRenderer renderer;
  private final ObjectMapper json;

  AdminPages(
      PublishingService publishing,
      ClusterService clusters,
      BillingService billing,
      FinanceService finance,
      AuditService audit,
      CallerResolver callers,
      WebRenderer renderer,
      ObjectMapper json) {
    this.publishing = publishing;
    this.clusters = clusters;
    this.billing = billing;
    this.finance = finance;
    this.audit = audit;
    this.callers = callers;
    this.renderer = renderer;
    this.json = json;
  }

  @GET
  @Path("review")
  public Response review() {
    return renderer.render(
        () -> {
          Caller caller = admin();
          List<Review> queue = new ArrayList<>();
          Map<String, AppDescriptor> published = new java.util.HashMap<>();
          publishing
              .newestPublished()
              .forEach(a -> published.put(a.descriptor().manifest().id(), a.descriptor()));
          for (PluginView p : publishing.reviewQueue(caller)) {
            AppDescriptor after = p.report() == null ? null : p.report().descriptor();
            AppDescriptor before = published.get(p.appId());
            FormView form =
                after == null
                    ? new FormView(List.of())
                    : FormView.of(after.form(), after.sampleInputs(), json);
            queue.add(new Review(p, form, ListingChanges.between(before, after)));
          }
          return Templates.review(queue);
        });
  }

  @GET
  @Path("clusters")
  public Response clusters() {
    return renderer.render(() -> Templates.clusters(clusters.clusters(), clusters.partitions()));
  }

  @GET
  @Path("prices")
  public Response prices() {
    return renderer.render(
        () -> {
          admin();
          return Templates.prices(billing.prices(), billing.licenceFees());
        });
  }

  @GET
  @Path("accounts")
  public Response accounts() {
    return renderer.render(() -> Templates.accounts(billing.accounts(admin())));
  }

  @GET
  @Path("finance")
  public Response finance(@QueryParam("period") String period) {
    return renderer.render(
        () -> {
          Caller caller = admin();
          String p = WebRenderer.periodOrThisMonth(period);
          Map<String, Object> report = finance.report(caller, p);
          return Templates.finance(
              p, bars(report), json.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        });
  }

  @GET
  @Path("audit")
  public Response audit(@QueryParam("page") @DefaultValue("0") int page) {
    return renderer.render(
        () ->
            Templates.audit(
                audit.list(
                    admin(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Math.max(0, page),
                    50)));
  }

  /** The caller, who must be an admin: others get a "forbidden" page. */
  private Caller admin() {
    Caller caller = callers.caller();
    if (!caller.isAdmin()) {
      throw ProblemException.forbidden("these pages are for admins");
    }
    return caller;
  }

  /** Revenue by contract as bars. */
  @SuppressWarnings("unchecked")
  private static List<Bar> bars(Map<String, Object> report) {
    Map<String, Object> revenue = (Map<String, Object>) report.get("revenue");
    List<Map<String, Object>> rows =
        revenue == null ? List.of() : (List<Map<String, Object>>) revenue.get("byContract");
    BigDecimal top =
        rows.stream()
            .map(r -> (BigDecimal) r.get("total"))
            .reduce(BigDecimal.ZERO, BigDecimal::max);
    List<Bar> bars = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      BigDecimal total = (BigDecimal) r.get("total");
      int percent =
          top.signum() == 0
              ? 0
              : total
                  .multiply(BigDecimal.valueOf(100))
                  .divide(top, 0, java.math.RoundingMode.HALF_UP)
                  .intValue();
      bars.add(new Bar(String.valueOf(r.get("contract")), total, Math.max(0, percent)));
    }
    return bars;
  }
}
