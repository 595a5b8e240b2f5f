package io.parasol.server.publishing;

import static io.parasol.server.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parasol.server.Api;
import io.parasol.server.PluginJars;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two admins deciding on one listing at once: one wins, the other gets 409. On H2 and PostgreSQL.
 */
@QuarkusTest
@Tag("db")
class ReviewConcurrencyTest {

  @TempDir Path tmp;

  @Test
  void concurrentApproveAndRejectHaveOneWinner() throws Exception {
    String id = Api.upload("victor", PluginJars.variant(tmp, "ok", "5.0.0", Map.of()).toFile());
    assertEquals("VERIFIED", Api.awaitVerified("victor", id).getString("status"));
    as("victor").post("/api/v1/plugins/" + id + "/submit").then().statusCode(200);

    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      boolean approve = i % 2 == 0;
      answers.add(
          pool.submit(
              () -> {
                go.await();
                return approve
                    ? as("admin").post("/api/v1/plugins/" + id + "/approve").statusCode()
                    : as("admin")
                        .contentType("application/json")
                        .body(Map.of("reason", "not this time"))
                        .post("/api/v1/plugins/" + id + "/reject")
                        .statusCode();
              }));
    }
    go.countDown();
    List<Integer> codes = new ArrayList<>();
    for (Future<Integer> answer : answers) {
      codes.add(answer.get());
    }
    pool.shutdown();
    assertEquals(1, codes.stream().filter(c -> c == 200).count(), "answers: " + codes);
    assertEquals(3, codes.stream().filter(c -> c == 409).count(), "answers: " + codes);
  }
}
