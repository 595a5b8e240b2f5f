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

  /**
   * Registers partitions that only prices and finance need (prices are refused for partitions that
   * do not exist), on a disabled cluster that nothing is placed on.
   */
  public static synchronized void billedPartitions(String... names) {
    int cluster =
        as("admin")
            .contentType("application/json")
            .body(
                java.util.Map.of(
                    "name", "billing-fixture",
                    "region", "eu-west",
                    "site", "dc-1",
                    "backend", "KUBERNETES",
                    "enabled", false,
                    "kubernetes",
                        java.util.Map.of(
                            "apiServerUrl", "http://127.0.0.1:1", "image", "parasol/worker:test")))
            .post("/api/v1/clusters")
            .statusCode();
    assertEquals(true, cluster == 201 || cluster == 409, "cluster status " + cluster);
    for (String name : names) {
      int status =
          as("admin")
              .contentType("application/json")
              .body(
                  java.util.Map.of(
                      "name",
                      name,
                      "cluster",
                      "billing-fixture",
                      "nodeType",
                      java.util.Map.of("cores", 8, "memoryMb", 32000),
                      "nodes",
                      1,
                      "ownership",
                      "PURCHASED",
                      "enabled",
                      false))
              .post("/api/v1/partitions")
              .statusCode();
      assertEquals(true, status == 201 || status == 409, "partition status " + status);
    }
  }

  /** Records that a vendor owns an app id, as its first verified upload would. */
  public static void appOwned(String appId, String vendorOrg) {
    io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
        .run(
            () -> {
              if (io.parasol.server.publishing.AppOwner.findById(appId) == null) {
                io.parasol.server.publishing.AppOwner owner =
                    new io.parasol.server.publishing.AppOwner();
                owner.appId = appId;
                owner.vendorOrg = vendorOrg;
                owner.createdAt = java.time.Instant.now();
                owner.persist();
              }
            });
  }
}
