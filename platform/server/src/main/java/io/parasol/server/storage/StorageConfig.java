package io.parasol.server.storage;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How large and how many workspace files may be. */
@ConfigMapping(prefix = "parasol.storage")
public interface StorageConfig {

  /** The largest workspace file an engineer may upload. */
  @WithDefault("100M")
  MemorySize maxFileBytes();

  /** The most files one org's workspace may hold. */
  @WithDefault("10000")
  int maxFilesPerOrg();
}
