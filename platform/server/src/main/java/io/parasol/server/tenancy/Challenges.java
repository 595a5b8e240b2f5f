package io.parasol.server.tenancy;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The WWW-Authenticate challenges of a 401: Bearer with Keycloak, Basic with the demo users. */
@ApplicationScoped
public class Challenges {

  private final List<String> challenges;

  Challenges(
      IdentityConfig config,
      @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false") boolean oidc) {
    List<String> list = new ArrayList<>();
    if (oidc) {
      list.add("Bearer realm=\"parasol\"");
    }
    if (config.demoUsers().enabled() || list.isEmpty()) {
      list.add("Basic realm=\"parasol\"");
    }
    this.challenges = List.copyOf(list);
  }

  public List<String> all() {
    return challenges;
  }
}
