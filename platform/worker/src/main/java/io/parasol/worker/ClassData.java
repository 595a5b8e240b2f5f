package io.parasol.worker;

import io.parasol.worker.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * Class-data sharing for the plugin JVM (AppCDS): an archive of the classes a plugin process loads
 * (PF4J, Jackson, the plugin API, the worker's own), mapped at start instead of loaded and verified
 * again, which cuts the plugin JVM's start. The server makes it once per worker jar and JDK with a
 * training verification ({@code parasol.worker.plugin-class-data-train}), in which the plugin JVM
 * writes it into its work directory at exit and the supervisor keeps it at {@code
 * parasol.worker.plugin-class-data}; later plugin processes map it read-only. A missing, stale or
 * foreign archive is ignored by the JVM ({@code -Xshare:auto}).
 */
final class ClassData {

  private static final String TRAINED = ".classes.jsa";

  private ClassData() {}

  /** The archive to map, if one is configured and present. */
  static Optional<Path> forPlugin() {
    String path = System.getProperty("parasol.worker.plugin-class-data");
    if (path == null || training()) {
      return Optional.empty();
    }
    Path archive = Path.of(path);
    return Files.isRegularFile(archive) ? Optional.of(archive) : Optional.empty();
  }

  /** Whether this verification trains the archive. */
  static boolean training() {
    return Boolean.getBoolean("parasol.worker.plugin-class-data-train")
        && System.getProperty("parasol.worker.plugin-class-data") != null;
  }

  /** The plugin JVM's options for the archive: map it, write it, or nothing. */
  static List<String> pluginOptions(Sandbox.Layout layout) {
    if (training()) {
      return List.of(
          "-XX:ArchiveClassesAtExit=" + Sandbox.WORK + "/" + TRAINED,
          "-Xlog:cds=off,cds+dynamic=off");
    }
    if (layout.classData() != null) {
      // -Xshare:on (parasol.worker.plugin-class-data-require) makes a JVM that cannot map the
      // archive refuse to start, for checking that it is used
      return List.of(
          "-XX:SharedArchiveFile=" + Sandbox.CLASS_DATA,
          "-Xlog:cds=off,cds+dynamic=off",
          Boolean.getBoolean("parasol.worker.plugin-class-data-require")
              ? "-Xshare:on"
              : "-Xshare:auto");
    }
    return List.of();
  }

  /**
   * After a training verification: keeps the archive the plugin JVM wrote in its work directory.
   */
  static void keepTrained(Path work) {
    if (!training()) {
      return;
    }
    Path written = work.resolve(TRAINED);
    Path target = Path.of(System.getProperty("parasol.worker.plugin-class-data"));
    try {
      if (Files.isRegularFile(written) && Files.size(written) > 0) {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        Files.copy(written, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.deleteIfExists(written);
    } catch (IOException e) {
      System.out.println("parasol-worker: the class-data archive was not kept: " + e.getMessage());
    }
  }
}
