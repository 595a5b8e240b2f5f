package io.parasol.server.catalog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Platform-owned launch fields: the bounds of a run's wall time. */
@ConfigMapping(prefix = "parasol.runs")
public interface CatalogConfig {

  /** The shortest wall time a run may ask for, in minutes. */
  @WithDefault("1")
  double minWallTimeMinutes();

  /** The longest wall time a run may ask for, in minutes. */
  @WithDefault("1440")
  double maxWallTimeMinutes();
}
