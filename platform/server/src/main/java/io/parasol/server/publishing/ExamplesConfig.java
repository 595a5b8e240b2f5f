package io.parasol.server.publishing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The example apps bundled with the server. */
@ConfigMapping(prefix = "parasol.examples")
public interface ExamplesConfig {

  /** Publish the bundled example apps on start (the embedded default). */
  @WithDefault("true")
  boolean publishOnStart();

  /** The vendor org that owns the example apps. */
  @WithDefault("thermosoft")
  String vendorOrg();
}
