package io.parasol.server.storage;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The layout of the data directory. Every path Parasol writes is derived here. */
@ApplicationScoped
@Startup
public class DataDirectory {

  private final Path root;

  DataDirectory(@ConfigProperty(name = "parasol.data-dir", defaultValue = "data") Path dataDir) {
    this.root = dataDir.toAbsolutePath().normalize();
    try {
      for (String dir : new String[] {"plugins", "workspace", "runs", "bin", "verify", "tmp"}) {
        Files.createDirectories(root.resolve(dir));
      }
      restrict(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + root, e);
    }
  }

  /**
   * Only the server's user may read the data directory (run specs hold tokens, the embedded
   * database holds everything): the root and the database's folder 0700, the database's files 0600,
   * whatever the umask made of them when they were created.
   */
  private static void restrict(Path root) throws IOException {
    if (!root.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
    Path db = root.resolve("db");
    Files.createDirectories(db);
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rwx------"));
    try (var files = Files.list(db)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f)) {
          Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }
      }
    }
  }

  /** Writes a file that only the server's user may read (0600 from its creation on). */
  public static void writePrivate(Path file, byte[] content) {
    try {
      Files.deleteIfExists(file);
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path root() {
    return root;
  }

  /** A plugin jar, stored by the SHA-256 of its content. */
  public Path pluginJar(String sha256) {
    return root.resolve("plugins").resolve(sha256 + ".jar");
  }

  public Path workspaceFile(String org, UUID id) {
    return root.resolve("workspace").resolve(org).resolve(id.toString());
  }

  public Path runDir(UUID runId) {
    return root.resolve("runs").resolve(runId.toString());
  }

  public Path verifyDir(UUID pluginId) {
    return root.resolve("verify").resolve(pluginId.toString());
  }

  public Path bin() {
    return root.resolve("bin");
  }

  public Path tmp() {
    return root.resolve("tmp");
  }
}
