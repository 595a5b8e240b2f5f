package io.parasol.server.monitoring;

import static io.parasol.server.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parasol.server.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The labelled suite: each behaviour of the probe app runs through the real worker (sampling every
 * second in tests, 10 s each) on two cores, and exactly the expected findings must fire. Precision
 * and recall over the suite are written to {@code target/probe-suite.txt}.
 */
@QuarkusTest
public class ProbeSuiteTest {

  static final Path PROBE = Path.of("target/test-plugins/probe-app.jar");

  /** Behaviour → the findings it must raise, and no others. */
  static final Map<String, Set<String>> LABELS = new LinkedHashMap<>();

  static {
    LABELS.put("busy", Set.of());
    LABELS.put("one-core", Set.of(FindingRules.IDLE_CORES));
    LABELS.put("sleep", Set.of(FindingRules.IDLE_CORES));
    LABELS.put("memory", Set.of(FindingRules.MEMORY_NEAR_LIMIT));
    LABELS.put("leak", Set.of(FindingRules.MEMORY_LEAK));
    LABELS.put("io", Set.of(FindingRules.IO_BOUND));
    LABELS.put("stalled", Set.of(FindingRules.STALLED));
    LABELS.put("imbalanced", Set.of(FindingRules.LOAD_IMBALANCE));
  }

  /** Publishes the probe app (vendor fluidworks) unless it is published. */
  public static synchronized void probePublished() {
    if (as("alice").get("/api/v1/apps/probe-app").statusCode() == 200) {
      return;
    }
    String id = Api.upload("victor", PROBE.toFile());
    assertEquals("VERIFIED", Api.awaitVerified("victor", id).getString("status"));
    as("victor").post("/api/v1/plugins/" + id + "/submit").then().statusCode(200);
    as("admin").post("/api/v1/plugins/" + id + "/approve").then().statusCode(200);
  }

  /** Launches the probe app as alice with {@code behaviour} for {@code seconds} on two cores. */
  public static String probe(String behaviour, double seconds, int work) {
    return Api.launch(
        "alice",
        Map.of(
            "appId",
            "probe-app",
            "inputs",
            Map.of("behaviour", behaviour, "seconds", seconds, "work", work, "cores", 2)));
  }

  /** Waits for the end polling once a second, so that the test itself takes little CPU. */
  static JsonPath awaitEnd(String id) {
    long end = System.nanoTime() + 90_000_000_000L;
    while (System.nanoTime() < end) {
      JsonPath run = as("alice").get("/api/v1/runs/" + id).then().extract().jsonPath();
      if (Api.TERMINAL.contains(run.getString("state"))) {
        return run;
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("run " + id + " did not end in 90 s");
  }

  @Test
  void eachBehaviourRaisesExactlyItsFindings() throws IOException {
    probePublished();
    int truePositives = 0;
    int falsePositives = 0;
    int falseNegatives = 0;
    List<String> report = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, Set<String>> label : LABELS.entrySet()) {
      String id = probe(label.getKey(), 10, 100);
      JsonPath run = awaitEnd(id);
      assertEquals("SUCCEEDED", run.getString("state"), label.getKey() + ": " + run.prettify());
      List<Map<String, Object>> findings =
          as("alice")
              .get("/api/v1/runs/" + id + "/findings")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath()
              .getList("");
      Set<String> raised = new TreeSet<>();
      findings.forEach(f -> raised.add((String) f.get("rule")));
      for (String rule : raised) {
        if (label.getValue().contains(rule)) {
          truePositives++;
        } else {
          falsePositives++;
        }
      }
      for (String rule : label.getValue()) {
        if (!raised.contains(rule)) {
          falseNegatives++;
        }
      }
      String line =
          String.format(
              Locale.ROOT,
              "%-11s expected %-22s raised %s",
              label.getKey(),
              label.getValue(),
              raised);
      report.add(line);
      if (!raised.equals(new TreeSet<>(label.getValue()))) {
        wrong.add(line + " " + findings);
      }
    }
    double precision = truePositives / (double) Math.max(1, truePositives + falsePositives);
    double recall = truePositives / (double) Math.max(1, truePositives + falseNegatives);
    report.add(String.format(Locale.ROOT, "precision %.2f recall %.2f", precision, recall));
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target/probe-suite.txt"), report);
    assertEquals(List.of(), wrong, String.join("\n", report));
  }
}
