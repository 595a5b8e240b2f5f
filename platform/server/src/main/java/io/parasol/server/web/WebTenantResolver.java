package io.parasol.server.web;

import io.quarkus.oidc.TenantResolver;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends the web app's requests to the OIDC tenant {@value #TENANT} (authorisation-code flow, client
 * {@code parasol-web}) where people sign in with Keycloak: the pages under {@code /ui}, and the
 * page script's API calls that carry that tenant's session cookie and no bearer token. Every other
 * request stays with the default tenant (bearer tokens for {@code parasol-api}).
 */
@ApplicationScoped
public class WebTenantResolver implements TenantResolver {

  /** The web app's OIDC tenant. */
  public static final String TENANT = "web";

  /** The session cookie of the {@value #TENANT} tenant. */
  static final String SESSION_COOKIE = "q_session_" + TENANT;

  private final boolean code;

  WebTenantResolver(
      @ConfigProperty(name = "quarkus.http.auth.permission.web.auth-mechanism") String mechanism) {
    this.code = "code".equals(mechanism);
  }

  @Override
  public String resolve(RoutingContext context) {
    if (!code) {
      return null;
    }
    String path = context.normalizedPath();
    if (path.equals("/ui") || path.startsWith("/ui/")) {
      return TENANT;
    }
    if (path.startsWith("/api/")
        && context.request().getHeader("Authorization") == null
        && context.request().getCookie(SESSION_COOKIE) != null) {
      return TENANT;
    }
    return null;
  }
}
