package io.parasol.server.storage;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + root, e);
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
