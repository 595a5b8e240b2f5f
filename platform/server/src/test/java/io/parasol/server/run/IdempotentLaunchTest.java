package io.parasol.server.run;

import static io.parasol.server.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parasol.server.Api;
import io.parasol.server.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Concurrent retries of one launch create exactly one run. Runs on H2 and PostgreSQL. */
@QuarkusTest
@Tag("db")
class IdempotentLaunchTest {

  @Test
  void concurrentRetriesCreateOneRun() throws Exception {
    Fixtures.heatTransferPublished();
    String key = "concurrent-" + System.nanoTime();
    Map<String, Object> body = Api.TRIVIAL_HEAT;
    int clients = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<String>> answers = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      answers.add(
          pool.submit(
              () -> {
                go.await();
                var response =
                    as("alice")
                        .header("Idempotency-Key", key)
                        .contentType("application/json")
                        .body(body)
                        .post("/api/v1/runs");
                int status = response.statusCode();
                if (status != 200 && status != 201) {
                  throw new AssertionError("status " + status + ": " + response.asString());
                }
                return response.jsonPath().getString("id");
              }));
    }
    go.countDown();
    Set<String> ids = new HashSet<>();
    for (Future<String> answer : answers) {
      ids.add(answer.get());
    }
    pool.shutdown();
    assertEquals(1, ids.size(), "distinct runs: " + ids);
    long stored =
        QuarkusTransaction.requiringNew()
            .call(() -> Run.count("org = ?1 and idempotencyKey = ?2", "acme", key));
    assertEquals(1, stored);
    Api.awaitEnd("alice", ids.iterator().next());
  }
}
