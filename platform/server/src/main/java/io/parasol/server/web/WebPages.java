package io.parasol.server.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parasol.plugin.api.Industry;
import io.parasol.server.billing.BillingService;
import io.parasol.server.billing.BillingViews;
import io.parasol.server.catalog.AppDetail;
import io.parasol.server.catalog.AppSummary;
import io.parasol.server.catalog.CatalogService;
import io.parasol.server.common.Page;
import io.parasol.server.common.ProblemException;
import io.parasol.server.run.RunService;
import io.parasol.server.run.RunState;
import io.parasol.server.run.RunViews.RunView;
import io.parasol.server.tenancy.Caller;
import io.parasol.server.tenancy.CallerResolver;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The web app's pages (ADR 0012): rendered on the server from the services the API uses; the live
 * and interactive parts are {@code /ui/static/parasol.js} calling the API.
 */
@Path("/ui")
@Produces(MediaType.TEXT_HTML)
public class WebPages {

  static final int RUNS_PER_PAGE = 25;
  static final int LEDGER_PER_PAGE = 20;

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance signIn(boolean failed);

    static native TemplateInstance catalog(
        Page<AppSummary> apps, Filters filters, List<String> industries, List<String> accelerators);

    static native TemplateInstance app(AppDetail app, FormView form);

    static native TemplateInstance runs(Page<RunView> runs, String state, List<String> states);

    static native TemplateInstance run(RunView run, List<Input> inputs, String inputsJson);

    static native TemplateInstance account(
        BillingViews.AccountView account, Page<BillingViews.TransactionView> ledger);
  }

  /**
   * The catalog's filters as the page shows them.
   *
   * @param q the search text
   * @param industry the industry, lower case, or empty
   * @param tag the tag, or empty
   * @param accelerator none, gpu, fpga or empty
   */
  public record Filters(String q, String industry, String tag, String accelerator) {}

  /**
   * One of a run's inputs, for the run page's table.
   *
   * @param name the input's id
   * @param value its value as text
   */
  public record Input(String name, String value) {}

  private final CatalogService catalog;
  private final RunService runs;
  private final BillingService billing;
  private final CallerResolver callers;
  private final WebContext web;
  private final WebRenderer renderer;
  private final ObjectMapper json;
  private final Messages english;
  private final Messages chinese;

  WebPages(
      CatalogService catalog,
      RunService runs,
      BillingService billing,
      CallerResolver callers,
      WebContext web,
      WebRenderer renderer,
      ObjectMapper json,
      Messages english,
      @Localized("zh-CN") Messages chinese) {
    this.catalog = catalog;
    this.runs = runs;
    this.billing = billing;
    this.callers = callers;
    this.web = web;
    this.renderer = renderer;
    this.json = json;
    this.english = english;
    this.chinese = chinese;
  }

  @GET
  public Response home() {
    return Response.seeOther(URI.create("/ui/apps")).build();
  }

  @GET
  @Path("sign-in")
  public TemplateInstance signIn(@QueryParam("failed") boolean failed) {
    return localized(Templates.signIn(failed));
  }

  /** Ends the session: the form sign-in's cookie is dropped. */
  @GET
  @Path("sign-out")
  public Response signOut() {
    return Response.seeOther(URI.create("/ui/sign-in"))
        .cookie(
            new NewCookie.Builder(WebContext.SESSION_COOKIE)
                .path("/")
                .maxAge(0)
                .httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT)
                .build())
        .build();
  }

  /** Switches the language and goes back to the page it was asked from. */
  @GET
  @Path("lang/{tag}")
  public Response language(@PathParam("tag") String tag, @QueryParam("back") String back) {
    if (!WebContext.LANGUAGES.contains(tag)) {
      return page(404, "not found", "no such language: " + tag);
    }
    // Only a page of this app: never an open redirect.
    String target =
        back != null && back.matches("/ui(/[A-Za-z0-9._~\\-/]*)?(\\?[A-Za-z0-9._~\\-=&%+]*)?")
            ? back
            : "/ui/apps";
    return Response.seeOther(URI.create(target))
        .cookie(
            new NewCookie.Builder(WebContext.LANG_COOKIE)
                .value(tag)
                .path("/")
                .maxAge(365 * 24 * 3600)
                .sameSite(NewCookie.SameSite.LAX)
                .build())
        .build();
  }

  @GET
  @Path("apps")
  @Authenticated
  public Response apps(
      @QueryParam("q") String q,
      @QueryParam("industry") String industry,
      @QueryParam("tag") String tag,
      @QueryParam("accelerator") String accelerator,
      @QueryParam("page") @DefaultValue("0") int page) {
    return render(
        () -> {
          if (q != null && q.length() > 200) {
            throw ProblemException.invalid("q", "must be at most 200 characters");
          }
          Optional<String> text = present(q);
          Optional<Industry> ind = present(industry).map(CatalogService::industry);
          Optional<String> acc = present(accelerator).map(CatalogService::accelerator);
          Page<AppSummary> found =
              catalog.search(text, ind, present(tag), acc, Math.max(0, page), 24);
          Filters filters =
              new Filters(
                  text.orElse(""),
                  ind.map(i -> i.name().toLowerCase(Locale.ROOT)).orElse(""),
                  present(tag).orElse(""),
                  acc.orElse(""));
          return Templates.catalog(
              found,
              filters,
              Arrays.stream(Industry.values()).map(i -> i.name().toLowerCase(Locale.ROOT)).toList(),
              CatalogService.ACCELERATOR_FILTERS);
        });
  }

  @GET
  @Path("apps/{appId}")
  @Authenticated
  public Response app(@PathParam("appId") String appId, @QueryParam("version") String version) {
    return render(
        () -> {
          AppDetail app = catalog.get(appId, present(version));
          return Templates.app(app, FormView.of(app, json, text().runSettings()));
        });
  }

  @GET
  @Path("runs")
  @Authenticated
  public Response runList(
      @QueryParam("state") String state, @QueryParam("page") @DefaultValue("0") int page) {
    return render(
        () -> {
          Optional<RunState> s = present(state).map(RunState::parse);
          Caller caller = callers.caller();
          return Templates.runs(
              runs.list(caller, s, Math.max(0, page), RUNS_PER_PAGE),
              s.map(Enum::name).orElse(""),
              Arrays.stream(RunState.values()).map(Enum::name).toList());
        });
  }

  @GET
  @Path("runs/{id}")
  @Authenticated
  public Response run(@PathParam("id") String id) {
    return render(
        () -> {
          UUID runId;
          try {
            runId = UUID.fromString(id);
          } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("run " + id);
          }
          RunView run = runs.get(callers.caller(), runId);
          List<Input> inputs =
              run.inputs().entrySet().stream()
                  .sorted(java.util.Map.Entry.comparingByKey())
                  .map(e -> new Input(e.getKey(), String.valueOf(e.getValue())))
                  .toList();
          return Templates.run(run, inputs, json.writeValueAsString(run.inputs()));
        });
  }

  @GET
  @Path("account")
  @Authenticated
  public Response account(@QueryParam("page") @DefaultValue("0") int page) {
    return render(
        () -> {
          Caller caller = callers.caller();
          return Templates.account(
              billing.account(caller, caller.org()),
              billing.ledger(caller, caller.org(), Math.max(0, page), LEDGER_PER_PAGE));
        });
  }

  // ---------------------------------------------------------------- helpers

  private Response render(WebRenderer.Page page) {
    return renderer.render(page);
  }

  private Response page(int status, String title, String detail) {
    return renderer.problem(status, title, detail);
  }

  private TemplateInstance localized(TemplateInstance page) {
    return renderer.localized(page);
  }

  /** The page's text in Java code, in the page's language. */
  private Messages text() {
    return web.lang().equals("zh-CN") ? chinese : english;
  }

  private static Optional<String> present(String value) {
    return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
  }
}
