package io.parasol.server.compute;

import io.parasol.server.common.Hashing;
import io.parasol.server.storage.DataDirectory;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The worker jar that ships inside the server, unpacked once into the data directory under its
 * content hash so that every worker process starts from a plain file.
 */
@ApplicationScoped
@Startup
public class WorkerBinary {

  static final String RESOURCE = "/parasol/parasol-worker.jar";

  private final Path jar;

  WorkerBinary(DataDirectory data) {
    try (InputStream in = WorkerBinary.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the worker jar " + RESOURCE + " is missing from the server build");
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      String sha = Hashing.copyAndHash(in, bytes, Long.MAX_VALUE);
      Path target = data.bin().resolve("parasol-worker-" + sha.substring(0, 16) + ".jar");
      if (!Files.exists(target)) {
        Path tmp = Files.createTempFile(data.bin(), "worker-", ".part");
        Files.write(tmp, bytes.toByteArray());
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      this.jar = target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path jar() {
    return jar;
  }
}
