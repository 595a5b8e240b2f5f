package io.parasol.server.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A worker's console as its reader sees it: root cause first, no frames, no server paths. */
class SandboxedWorkerTest {

  @Test
  void theRootCauseLeadsAndFramesAndPathsAreGone() {
    String console =
        String.join(
            "\n",
            "starting solver in /work/main/data/runs/1234/work",
            "Exception in thread \"main\" java.lang.IllegalStateException: solve failed",
            "\tat io.parasol.apps.Heat.solve(Heat.java:42)",
            "\tat io.parasol.worker.WorkerMain.run(WorkerMain.java:300)",
            "Caused by: java.nio.file.NoSuchFileException: /etc/parasol/slurm/jwt.key",
            "\tat java.base/sun.nio.fs.UnixException.translateToIOException(UnixException.java:92)",
            "\t... 12 more");
    String summary = SandboxedWorker.summary(console);
    assertTrue(summary.startsWith("root cause: NoSuchFileException: [path]"), summary);
    assertFalse(summary.contains("/work/"), summary);
    assertFalse(summary.contains("/etc/parasol"), summary);
    assertFalse(summary.contains("Heat.java"), summary);
    assertFalse(summary.contains("io.parasol"), summary);
  }

  @Test
  void plainOutputIsKeptWithoutItsPaths() {
    assertEquals(
        "Error: Unable to access jarfile [path]",
        SandboxedWorker.summary("Error: Unable to access jarfile /srv/parasol/bin/worker.jar"));
    assertEquals("residual 1e-5 m/s", SandboxedWorker.summary("residual 1e-5 m/s"));
  }
}
