package io.parasol.server.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parasol.server.Api;
import io.parasol.server.Fixtures;
import io.parasol.server.storage.DataDirectory;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Kept work directories go once their run has been over for the retention; sweeps on a set clock.
 */
@QuarkusTest
class WorkDirSweeperTest {

  @Inject WorkDirSweeper sweeper;
  @Inject DataDirectory data;
  @Inject ComputeConfig config;

  @Test
  void aKeptWorkDirectoryGoesAfterTheRetentionAndAnOrphanedOneAtOnce() throws Exception {
    Fixtures.heatTransferPublished();
    String id =
        Api.launch(
            "alice",
            Map.of("appId", "heat-transfer", "inputs", Map.of("nx", 11, "ny", 11, "duration", 1)));
    assertEquals("SUCCEEDED", Api.awaitEnd("alice", id).getString("state"));
    // as parasol.worker.keep-work leaves it
    Path kept = data.runDir(UUID.fromString(id)).resolve("work");
    Files.createDirectories(kept.resolve("outputs/deep"));
    Files.writeString(kept.resolve("outputs/deep/field.csv"), "x,y\n");
    // a work directory of no run at all (its run directory outlived the record)
    Path orphan = data.runDir(UUID.randomUUID()).resolve("work");
    Files.createDirectories(orphan);
    Files.writeString(orphan.resolve("left.txt"), "left");

    Instant now = Instant.now();
    sweeper.sweep(now);
    assertTrue(Files.exists(kept.resolve("outputs/deep/field.csv")), "kept within the retention");
    assertFalse(Files.exists(orphan), "a directory of no run goes at once");

    Duration retention = config.keepWorkRetention();
    sweeper.sweep(now.plus(retention).plusSeconds(60));
    assertFalse(Files.exists(kept), "gone after the retention");
    assertTrue(Files.isDirectory(kept.getParent()), "the run's own directory stays");
  }
}
