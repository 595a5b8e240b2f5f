package io.parasol.server.tenancy;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Gives an OIDC identity its organisation, read from the token's organisations claim (Keycloak
 * group membership, see docs/adr/0005-organisations-in-tokens.md), so that the rest of Parasol sees
 * demo users and Keycloak users alike.
 */
@ApplicationScoped
public class OidcOrgAugmentor implements SecurityIdentityAugmentor {

  private final IdentityConfig config;
  private final VerifiedTokenCache cache;

  OidcOrgAugmentor(IdentityConfig config, VerifiedTokenCache cache) {
    this.config = config;
    this.cache = cache;
  }

  @Override
  public Uni<SecurityIdentity> augment(
      SecurityIdentity identity, AuthenticationRequestContext context) {
    if (identity.isAnonymous()
        || !(identity.getPrincipal() instanceof JsonWebToken token)
        || identity.getAttribute(DemoIdentityProvider.ORG_ATTRIBUTE) != null) {
      return Uni.createFrom().item(identity);
    }
    List<String> orgs = orgs(token.getClaim(config.orgClaim()));
    String org;
    if (orgs.size() == 1) {
      org = orgs.get(0);
    } else if (orgs.isEmpty() && identity.hasRole(Role.ADMIN_ID)) {
      org = config.platformOrg();
    } else {
      // No organisation, or several: the caller gets no org and CallerResolver answers 403.
      return Uni.createFrom().item(identity);
    }
    cache.remember(token, identity.getRoles(), org);
    return Uni.createFrom()
        .item(
            QuarkusSecurityIdentity.builder(identity)
                .addAttribute(DemoIdentityProvider.ORG_ATTRIBUTE, org)
                .build());
  }

  static List<String> orgs(Object claim) {
    List<String> orgs = new ArrayList<>();
    if (claim instanceof JsonArray array) {
      for (var value : array) {
        if (value instanceof JsonString s) {
          orgs.add(s.getString());
        }
      }
    } else if (claim instanceof Collection<?> values) {
      values.forEach(v -> orgs.add(String.valueOf(v).replace("\"", "")));
    } else if (claim instanceof JsonString s) {
      orgs.add(s.getString());
    } else if (claim instanceof String s) {
      orgs.add(s);
    }
    return orgs.stream().map(o -> o.startsWith("/") ? o.substring(1) : o).distinct().toList();
  }
}
