package io.parasol.server.compute;

import io.parasol.server.common.WakeableLoop;
import io.parasol.server.run.Run;
import io.parasol.server.storage.DataDirectory;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Removes the work directories that {@code parasol.worker.keep-work} kept for debugging, once their
 * run has been over for {@code parasol.worker.keep-work-retention}, and any a worker could not
 * remove (a killed worker leaves its run's behind). A run still in flight keeps its directory.
 */
@ApplicationScoped
public class WorkDirSweeper {

  private static final Logger LOG = Logger.getLogger(WorkDirSweeper.class);

  private final DataDirectory data;
  private final Duration retention;
  private final WakeableLoop loop;

  WorkDirSweeper(DataDirectory data, ComputeConfig config) {
    this.data = data;
    this.retention = config.keepWorkRetention();
    this.loop =
        new WakeableLoop(
            "parasol-work-sweeper", Duration.ofMinutes(10), () -> sweep(Instant.now()));
  }

  void start(@Observes StartupEvent event) {
    loop.start();
  }

  void stop(@Observes ShutdownEvent event) {
    loop.stop();
  }

  /**
   * One round at {@code now}: the work directories of runs that ended before {@code now} less the
   * retention (or that no longer exist) are removed.
   *
   * @return how many were removed
   */
  public int sweep(Instant now) {
    Path runs = data.root().resolve("runs");
    if (!Files.isDirectory(runs)) {
      return 0;
    }
    List<UUID> candidates = new ArrayList<>();
    try (var list = Files.list(runs)) {
      for (Path dir : (Iterable<Path>) list::iterator) {
        if (Files.isDirectory(dir.resolve("work"), LinkOption.NOFOLLOW_LINKS)) {
          try {
            candidates.add(UUID.fromString(dir.getFileName().toString()));
          } catch (IllegalArgumentException e) {
            // not a run's directory
          }
        }
      }
    } catch (IOException e) {
      LOG.debugf("cannot list the run directories: %s", e.getMessage());
      return 0;
    }
    Instant cutoff = now.minus(retention);
    int removed = 0;
    for (UUID id : candidates) {
      boolean due =
          QuarkusTransaction.requiringNew()
              .call(
                  () -> {
                    Run run = Run.findById(id);
                    if (run == null) {
                      return true;
                    }
                    Instant ended = run.finishedAt != null ? run.finishedAt : run.updatedAt;
                    return run.state.isTerminal() && ended != null && ended.isBefore(cutoff);
                  });
      if (due && delete(data.runDir(id).resolve("work"))) {
        removed++;
      }
    }
    if (removed > 0) {
      LOG.infof("removed %d kept work director%s", removed, removed == 1 ? "y" : "ies");
    }
    return removed;
  }

  private static boolean delete(Path dir) {
    try (var walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.debugf("cannot remove %s: %s", dir.getFileName(), e.getMessage());
      return false;
    }
  }
}
