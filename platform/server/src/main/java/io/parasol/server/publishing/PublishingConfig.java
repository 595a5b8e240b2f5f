package io.parasol.server.publishing;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Limits on uploaded plugins and their verification. */
@ConfigMapping(prefix = "parasol.publishing")
public interface PublishingConfig {

  /** The largest plugin jar a vendor may upload. */
  @WithDefault("50M")
  MemorySize maxPluginBytes();

  /** The most entries a plugin archive may have. */
  @WithDefault("20000")
  int maxArchiveEntries();

  /** The most bytes a plugin archive may expand to. */
  @WithDefault("256M")
  MemorySize maxUncompressedBytes();

  /** The largest expansion ratio of one sizeable archive entry (zip-bomb guard). */
  @WithDefault("200")
  int maxCompressionRatio();

  /** How long verification, self-test included, may take. */
  @WithDefault("60S")
  Duration verifyTimeout();

  /** The verification worker's heap. */
  @WithDefault("256")
  long verifyHeapMb();

  /** How many plugins are verified at once. */
  @WithDefault("1")
  int verifyConcurrency();
}
