package io.parasol.server.tenancy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LoopbackGuardTest {

  @Test
  void loopbackAddressesAreRecognised() {
    assertTrue(LoopbackGuard.isLoopback("127.0.0.1"));
    assertTrue(LoopbackGuard.isLoopback("localhost"));
    assertTrue(LoopbackGuard.isLoopback("::1"));
    assertFalse(LoopbackGuard.isLoopback("0.0.0.0"));
    assertFalse(LoopbackGuard.isLoopback("192.0.2.10"));
  }

  @Test
  void demoUsersOnAPublicAddressStopTheStartUnlessAllowed() {
    LoopbackGuard guard = new LoopbackGuard();
    assertThrows(
        IllegalStateException.class, () -> guard.check(null, config(true, false), "0.0.0.0"));
    guard.check(null, config(true, true), "0.0.0.0");
    guard.check(null, config(false, false), "0.0.0.0");
    guard.check(null, config(true, false), "127.0.0.1");
  }

  private static IdentityConfig config(boolean enabled, boolean allowNonLoopback) {
    return new IdentityConfig() {
      @Override
      public DemoUsers demoUsers() {
        return new DemoUsers() {
          @Override
          public boolean enabled() {
            return enabled;
          }

          @Override
          public boolean allowNonLoopback() {
            return allowNonLoopback;
          }
        };
      }

      @Override
      public Map<String, User> users() {
        return Map.of();
      }
    };
  }
}
