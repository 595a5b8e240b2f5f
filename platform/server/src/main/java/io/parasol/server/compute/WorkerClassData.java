package io.parasol.server.compute;

import io.parasol.server.storage.DataDirectory;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Class-data sharing (AppCDS) for the workers this server starts: two archives per worker jar and
 * JDK ({@code parasol.worker.class-data-sharing}), one of the supervisor's classes and one of the
 * plugin process's, made once in the background after start by a training verification of the
 * bundled heat-transfer example, then mapped by every local worker and verification ({@code
 * -XX:SharedArchiveFile}), which cuts both JVMs' start. Until they exist, or where they cannot be
 * made, workers start without them. Workers on Slurm and Kubernetes start without them (the
 * archives are this machine's).
 */
@ApplicationScoped
public class WorkerClassData {

  private static final Logger LOG = Logger.getLogger(WorkerClassData.class);
  private static final String TRAINING_APP = "/parasol/examples/heat-transfer.jar";

  private final WorkerBinary binary;
  private final DataDirectory data;
  private final ComputeConfig config;
  private final boolean enabled;
  private volatile boolean ready;

  WorkerClassData(WorkerBinary binary, DataDirectory data, ComputeConfig config) {
    this.binary = binary;
    this.data = data;
    this.config = config;
    this.enabled = config.classDataSharing();
  }

  void train(@Observes StartupEvent event) {
    if (!enabled) {
      return;
    }
    if (Files.isRegularFile(supervisor()) && Files.isRegularFile(plugin())) {
      ready = true;
      return;
    }
    Thread t = new Thread(this::trainNow, "parasol-class-data-training");
    t.setDaemon(true);
    t.start();
  }

  /** The JVM options a local worker gets for the archives: none until they exist. */
  List<String> options() {
    if (!ready) {
      return List.of();
    }
    return List.of(
        "-XX:SharedArchiveFile=" + supervisor(),
        "-Xlog:cds=off,cds+dynamic=off",
        "-Dparasol.worker.plugin-class-data=" + plugin());
  }

  Path supervisor() {
    return data.bin().resolve(stem() + "-supervisor.jsa");
  }

  Path plugin() {
    return data.bin().resolve(stem() + "-plugin.jsa");
  }

  /** The worker jar's name and the JDK's, so that a new jar or JDK gets archives of its own. */
  private String stem() {
    String jar = binary.jar().getFileName().toString().replaceAll("\\.jar$", "");
    return jar + "-jdk" + Integer.toHexString(java().hashCode());
  }

  private String java() {
    return config.java().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  synchronized void trainNow() {
    Path dir = data.bin().resolve("class-data-training");
    try (InputStream app = WorkerClassData.class.getResourceAsStream(TRAINING_APP)) {
      if (app == null) {
        LOG.debug("no bundled example to train the workers' class-data archives with");
        return;
      }
      io.parasol.server.common.FileTrees.deleteTree(dir);
      Files.createDirectories(dir);
      Path jar = dir.resolve("heat-transfer.jar");
      Files.copy(app, jar, StandardCopyOption.REPLACE_EXISTING);
      Path partial = dir.resolve("supervisor.jsa");
      List<String> command = new ArrayList<>();
      command.add(java());
      command.addAll(
          List.of(
              "-XX:ArchiveClassesAtExit=" + partial,
              "-Xlog:cds=off,cds+dynamic=off",
              "-Xmx" + SandboxedWorker.SUPERVISOR_HEAP_MB + "m",
              "-XX:TieredStopAtLevel=1",
              "-Dparasol.worker.plugin-class-data=" + plugin(),
              "-Dparasol.worker.plugin-class-data-train=true",
              "-jar",
              binary.jar().toString(),
              "describe",
              jar.toString(),
              dir.resolve("work").toString(),
              dir.resolve("report.json").toString()));
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("console.txt").toFile())
              .start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        LOG.warn("the workers' class-data training did not finish; workers start without it");
        return;
      }
      if (p.exitValue() == 0 && Files.isRegularFile(partial) && Files.isRegularFile(plugin())) {
        Files.move(
            partial,
            supervisor(),
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
        ready = true;
        LOG.infof("workers start with class-data archives (%s)", supervisor().getFileName());
      } else {
        LOG.infof(
            "the workers' class-data training ended with code %d; workers start without it",
            p.exitValue());
      }
    } catch (IOException e) {
      LOG.infof("the workers' class-data archives could not be made: %s", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
