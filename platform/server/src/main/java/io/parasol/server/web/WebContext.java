package io.parasol.server.web;

import io.parasol.server.tenancy.DemoIdentityProvider;
import io.parasol.server.tenancy.Role;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import java.util.Locale;

/**
 * Who is looking at a page and in which language; templates read it as {@code inject:web}.
 *
 * <p>The language is the {@value #LANG_COOKIE} cookie that the header's switch sets, else the first
 * supported language of the browser's {@code Accept-Language}, else English.
 */
@Named("web")
@RequestScoped
public class WebContext {

  /** The form sign-in's session cookie (quarkus.http.auth.form.cookie-name). */
  public static final String SESSION_COOKIE = "parasol-session";

  /** The cookie that holds the chosen language. */
  public static final String LANG_COOKIE = "parasol-lang";

  /** The languages the pages speak, as language tags. */
  public static final List<String> LANGUAGES = List.of("en", "zh-CN");

  @Inject SecurityIdentity identity;
  @Inject CurrentVertxRequest request;

  private String lang;

  /** Whether someone is signed in. */
  public boolean signedIn() {
    return !identity.isAnonymous();
  }

  /** The signed-in user's name, or empty. */
  public String name() {
    return signedIn() ? identity.getPrincipal().getName() : "";
  }

  /** The signed-in user's organisation, or empty. */
  public String org() {
    Object org = identity.getAttribute(DemoIdentityProvider.ORG_ATTRIBUTE);
    return org == null ? "" : org.toString();
  }

  /** The signed-in user's role id, or empty. */
  public String role() {
    for (Role r : Role.values()) {
      if (identity.hasRole(r.id())) {
        return r.id();
      }
    }
    return "";
  }

  public boolean engineer() {
    return identity.hasRole(Role.ENGINEER_ID);
  }

  public boolean isv() {
    return identity.hasRole(Role.ISV_ID);
  }

  public boolean admin() {
    return identity.hasRole(Role.ADMIN_ID);
  }

  /** The page's language tag: {@code en} or {@code zh-CN}. */
  public String lang() {
    if (lang == null) {
      lang = resolve();
    }
    return lang;
  }

  /** The page's locale. */
  public Locale locale() {
    return Locale.forLanguageTag(lang());
  }

  private String resolve() {
    RoutingContext context = request.getCurrent();
    if (context == null) {
      return "en";
    }
    Cookie cookie = context.request().getCookie(LANG_COOKIE);
    if (cookie != null && LANGUAGES.contains(cookie.getValue())) {
      return cookie.getValue();
    }
    String accept = context.request().getHeader("Accept-Language");
    if (accept != null && accept.length() < 1000) {
      try {
        for (Locale.LanguageRange range : Locale.LanguageRange.parse(accept)) {
          String tag = range.getRange().toLowerCase(Locale.ROOT);
          if (tag.startsWith("zh")) {
            return "zh-CN";
          }
          if (tag.startsWith("en")) {
            return "en";
          }
        }
      } catch (IllegalArgumentException e) {
        // a malformed header: English
      }
    }
    return "en";
  }
}
