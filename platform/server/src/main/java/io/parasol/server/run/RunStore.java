package io.parasol.server.run;

import com.fasterxml.jackson.core.type.TypeReference;
import io.parasol.protocol.Json;
import io.parasol.server.common.JsonText;
import io.parasol.server.storage.DataDirectory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Shared state-change and file-layout rules of runs; callers hold a transaction. */
final class RunStore {

  private RunStore() {}

  /** Records a transition and moves the run to its new state. */
  static RunTransition record(Run run, RunState from, RunState to, String reason) {
    RunTransition t = new RunTransition();
    t.runId = run.id;
    t.fromState = from;
    t.toState = to;
    t.reason = truncate(reason);
    t.at = Instant.now();
    t.persist();
    run.state = to;
    run.updatedAt = t.at;
    return t;
  }

  static void move(Run run, RunState to, String reason) {
    record(run, run.state, to, reason);
  }

  /** Ends a run: terminal state, reason, end time; its worker token stops working. */
  static void finish(Run run, RunState to, String reason) {
    move(run, to, reason);
    run.reason = truncate(reason);
    run.finishedAt = run.updatedAt;
    run.tokenHash = null;
    run.tokenExpiresAt = null;
    if (to == RunState.SUCCEEDED) {
      run.progress = 1.0;
    }
  }

  static Path outputsDir(DataDirectory data, UUID runId) {
    return data.runDir(runId).resolve("outputs");
  }

  /** The base jars a derived app's run was launched with, as SHA-256; empty for other runs. */
  static List<String> dependencyShas(Run run) {
    return run.dependencyJars == null
        ? List.of()
        : JsonText.read(Json.mapper(), run.dependencyJars, new TypeReference<List<String>>() {});
  }

  static String truncate(String s) {
    if (s == null) {
      return "";
    }
    s = s.replace('\0', '\uFFFD'); // no database text column can hold NUL
    return s.length() <= 2000 ? s : s.substring(0, 1997) + "...";
  }
}
