package io.parasol.server.tenancy;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to start with the demo users on a non-loopback address, unless explicitly allowed: their
 * passwords are public.
 */
public class LoopbackGuard {

  void check(
      @Observes StartupEvent event,
      IdentityConfig config,
      @ConfigProperty(name = "quarkus.http.host") String host) {
    verify(config.demoUsers(), host);
  }

  /** Throws when demo users would be reachable on a non-loopback address without permission. */
  static void verify(IdentityConfig.DemoUsers demo, String host) {
    if (demo.enabled() && !demo.allowNonLoopback() && !isLoopback(host)) {
      throw new IllegalStateException(
          "the built-in demo users are enabled and the server would listen on "
              + host
              + ", which is not a loopback address. Disable them (PARASOL_DEMO_USERS=false, with"
              + " Keycloak configured) or set parasol.identity.demo-users.allow-non-loopback=true.");
    }
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
