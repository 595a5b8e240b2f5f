package io.parasol.server.tenancy;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/** Builds the {@link Caller} of the current request from its security identity. */
@RequestScoped
public class CallerResolver {

  @Inject SecurityIdentity identity;
  @Inject CurrentVertxRequest request;

  public Caller caller() {
    if (identity.isAnonymous()) {
      throw new UnauthorizedException();
    }
    Role role = null;
    for (Role r : Role.values()) {
      if (identity.hasRole(r.id())) {
        role = r;
        break;
      }
    }
    Object org = identity.getAttribute(DemoIdentityProvider.ORG_ATTRIBUTE);
    if (role == null || org == null) {
      throw new io.quarkus.security.ForbiddenException(
          "the identity carries no Parasol role or organisation");
    }
    return new Caller(identity.getPrincipal().getName(), org.toString(), role, origin());
  }

  private String origin() {
    var context = request.getCurrent();
    if (context == null || context.request().remoteAddress() == null) {
      return null;
    }
    return context.request().remoteAddress().hostAddress();
  }
}
