package io.parasol.server.tenancy;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Restores a built-in user from the web app's signed-in session: the form sign-in's encrypted
 * cookie names the user, and the user must still exist with the demo users still on.
 */
@ApplicationScoped
public class DemoSessionIdentityProvider implements IdentityProvider<TrustedAuthenticationRequest> {

  private final IdentityConfig config;

  DemoSessionIdentityProvider(IdentityConfig config) {
    this.config = config;
  }

  @Override
  public Class<TrustedAuthenticationRequest> getRequestType() {
    return TrustedAuthenticationRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      TrustedAuthenticationRequest request, AuthenticationRequestContext context) {
    IdentityConfig.User user = config.users().get(request.getPrincipal());
    if (!config.demoUsers().enabled() || user == null) {
      return Uni.createFrom().failure(new AuthenticationFailedException("the session has ended"));
    }
    return Uni.createFrom().item(DemoIdentityProvider.identity(request.getPrincipal(), user));
  }
}
