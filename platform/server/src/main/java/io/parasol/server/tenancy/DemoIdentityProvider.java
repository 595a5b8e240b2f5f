package io.parasol.server.tenancy;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Signs in the embedded default's demo users over HTTP Basic. */
@ApplicationScoped
public class DemoIdentityProvider
    implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

  /** The SecurityIdentity attribute holding the caller's organisation. */
  public static final String ORG_ATTRIBUTE = "parasol.org";

  private final IdentityConfig config;

  DemoIdentityProvider(IdentityConfig config) {
    this.config = config;
  }

  @Override
  public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
    return UsernamePasswordAuthenticationRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
    if (!config.demoUsers().enabled()) {
      return Uni.createFrom().failure(new AuthenticationFailedException("demo users are disabled"));
    }
    IdentityConfig.User user = config.users().get(request.getUsername());
    String expected = user == null ? null : user.password().orElse(request.getUsername());
    String given = new String(request.getPassword().getPassword());
    if (expected == null
        || !MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
      return Uni.createFrom()
          .failure(new AuthenticationFailedException("wrong user name or password"));
    }
    return Uni.createFrom().item(identity(request.getUsername(), user));
  }

  /** The identity of a built-in user. */
  static SecurityIdentity identity(String name, IdentityConfig.User user) {
    return QuarkusSecurityIdentity.builder()
        .setPrincipal(new QuarkusPrincipal(name))
        .addRole(user.role().id())
        .addAttribute(ORG_ATTRIBUTE, user.org())
        .build();
  }
}
