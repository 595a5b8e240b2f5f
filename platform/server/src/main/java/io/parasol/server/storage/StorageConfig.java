package io.parasol.server.storage;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** Where Parasol keeps its files, and how large a workspace file may be. */
@ConfigMapping(prefix = "parasol")
public interface StorageConfig {

  /** The data directory: database (embedded default), plugins, workspaces, runs. */
  @WithDefault("data")
  Path dataDir();

  Storage storage();

  interface Storage {
    /** The largest workspace file an engineer may upload. */
    @WithDefault("100M")
    MemorySize maxFileBytes();

    /** The most files one org's workspace may hold. */
    @WithDefault("10000")
    int maxFilesPerOrg();
  }
}
