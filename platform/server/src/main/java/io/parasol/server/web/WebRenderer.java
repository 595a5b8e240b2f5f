package io.parasol.server.web;

import io.parasol.server.common.ProblemException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Renders the pages in the reader's language; a service's refusal becomes a page with its status
 * and message instead of problem+json.
 */
@ApplicationScoped
public class WebRenderer {

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance problem(int status, String title, String detail);
  }

  /** Renders a page. */
  interface Page {
    TemplateInstance get() throws Exception;
  }

  private final WebContext web;

  WebRenderer(WebContext web) {
    this.web = web;
  }

  /** Renders a page; a ProblemException becomes an HTML page with its status. */
  public Response render(Page page) {
    try {
      return Response.ok(localized(page.get())).type(MediaType.TEXT_HTML_TYPE).build();
    } catch (ProblemException e) {
      String detail =
          e.errors().isEmpty()
              ? e.getMessage()
              : String.join(
                  "; ", e.errors().stream().map(p -> p.field() + " " + p.message()).toList());
      return problem(e.status(), e.title(), detail);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A page that says what went wrong, with its status. */
  public Response problem(int status, String title, String detail) {
    return Response.status(status)
        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .entity(localized(Templates.problem(status, title, detail)))
        .build();
  }

  /** The period a page asks for, or this month (UTC) when it asks for none. */
  public static String periodOrThisMonth(String period) {
    return period == null || period.isBlank()
        ? java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString()
        : period.strip();
  }

  /** The page in the reader's language. */
  public TemplateInstance localized(TemplateInstance page) {
    return page.setLocale(web.locale());
  }
}
