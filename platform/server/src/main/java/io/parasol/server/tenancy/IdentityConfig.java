package io.parasol.server.tenancy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Map;
import java.util.Optional;

/** Identity settings: the embedded default's demo users. */
@ConfigMapping(prefix = "parasol.identity")
public interface IdentityConfig {

  @WithName("demo-users")
  DemoUsers demoUsers();

  /** The token claim that carries the caller's organisations (Keycloak group membership). */
  @WithDefault("orgs")
  String orgClaim();

  /** The organisation of admins whose token names none. */
  @WithDefault("parasol")
  String platformOrg();

  /** The demo users by name. */
  Map<String, User> users();

  interface DemoUsers {
    /** Whether HTTP Basic sign-in with the demo users is on. */
    @WithDefault("true")
    boolean enabled();

    /** Allow the demo users although the server listens on a non-loopback address. */
    @WithName("allow-non-loopback")
    @WithDefault("false")
    boolean allowNonLoopback();
  }

  interface User {
    /** The password; defaults to the user name. */
    Optional<String> password();

    /** engineer, isv or admin. */
    Role role();

    /** The organisation the user belongs to. */
    String org();
  }
}
