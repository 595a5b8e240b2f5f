package io.parasol.server.tenancy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    assertThrows(
        IllegalStateException.class, () -> LoopbackGuard.verify(config(true, false), "0.0.0.0"));
    LoopbackGuard.verify(config(true, true), "0.0.0.0");
    LoopbackGuard.verify(config(false, false), "0.0.0.0");
    LoopbackGuard.verify(config(true, false), "127.0.0.1");
  }

  private static IdentityConfig.DemoUsers config(boolean enabled, boolean allowNonLoopback) {
    return new IdentityConfig.DemoUsers() {
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
}
