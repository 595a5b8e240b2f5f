package io.parasol.server.tenancy;

import io.parasol.server.common.Hashing;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Remembers bearer tokens that the OIDC mechanism has verified, until they expire (at most five
 * minutes), so that a client repeating its token does not pay for signature verification on every
 * request. The key is the SHA-256 of the exact token, signature included: a changed token is a miss
 * and goes through full verification. See docs/adr/0005-organisations-in-tokens.md.
 */
@ApplicationScoped
public class VerifiedTokenCache implements HttpAuthenticationMechanism {

  static final int MAX_ENTRIES = 10_000;
  static final Duration MAX_AGE = Duration.ofMinutes(5);

  private record Entry(JsonWebToken principal, Set<String> roles, String org, Instant expires) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  /** Called once the OIDC mechanism has verified a token and its organisation is known. */
  void remember(JsonWebToken token, Set<String> roles, String org) {
    if (token.getRawToken() == null) {
      return;
    }
    Instant expires = Instant.ofEpochSecond(token.getExpirationTime());
    Instant cap = Instant.now().plus(MAX_AGE);
    if (entries.size() >= MAX_ENTRIES) {
      Instant now = Instant.now();
      entries.values().removeIf(e -> e.expires().isBefore(now));
      if (entries.size() >= MAX_ENTRIES) {
        entries.clear();
      }
    }
    entries.put(
        Hashing.sha256Hex(token.getRawToken()),
        new Entry(token, Set.copyOf(roles), org, expires.isBefore(cap) ? expires : cap));
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager manager) {
    String header = context.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || entries.isEmpty()) {
      return Uni.createFrom().nullItem();
    }
    String token = header.substring(7).trim();
    String key = Hashing.sha256Hex(token);
    Entry entry = entries.get(key);
    if (entry == null) {
      return Uni.createFrom().nullItem();
    }
    if (!entry.expires().isAfter(Instant.now())) {
      entries.remove(key);
      return Uni.createFrom().nullItem();
    }
    return Uni.createFrom()
        .item(
            QuarkusSecurityIdentity.builder()
                .setPrincipal(entry.principal())
                .addRoles(entry.roles())
                .addCredential(new TokenCredential(token, "bearer"))
                .addAttribute(DemoIdentityProvider.ORG_ATTRIBUTE, entry.org())
                .build());
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    return Uni.createFrom().nullItem();
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of();
  }

  @Override
  public int getPriority() {
    // Before the OIDC bearer mechanism: a hit spares it the work, a miss falls through to it.
    return DEFAULT_PRIORITY + 1000;
  }
}
