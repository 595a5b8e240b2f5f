package io.parasol.server;

import static io.parasol.server.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

/** Shared catalog state: the apps that the run tests launch. */
public final class Fixtures {

  private Fixtures() {}

  /** Waits for the bundled heat-transfer example to be published on start. */
  public static void heatTransferPublished() {
    Api.poll(
        Duration.ofSeconds(60),
        () -> as("alice").get("/api/v1/apps/heat-transfer").statusCode(),
        code -> code == 200,
        "heat-transfer in the catalog");
  }

  /** Publishes the test plugin (version 1.0.0, vendor fluidworks) once per test run. */
  public static synchronized void misbehavingAppPublished() {
    // Asked every time: integration tests start packaged servers with fresh data directories.
    if (as("alice").get("/api/v1/apps/misbehaving-app?version=1.0.0").statusCode() == 200) {
      return;
    }
    String id = Api.upload("victor", PluginJars.MISBEHAVING.toFile());
    assertEquals("VERIFIED", Api.awaitVerified("victor", id).getString("status"));
    as("victor").post("/api/v1/plugins/" + id + "/submit").then().statusCode(200);
    as("admin").post("/api/v1/plugins/" + id + "/approve").then().statusCode(200);
  }
}
