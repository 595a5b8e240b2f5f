package io.parasol.server.publishing;

import io.parasol.protocol.AppDescriptor;
import java.time.Instant;
import java.util.UUID;

/**
 * A published app version, as the catalog and runs see it.
 *
 * @param pluginId the plugin (upload) id
 * @param vendorOrg the owning vendor org
 * @param jarSha256 the jar's content hash
 * @param descriptor what the worker extracted from the jar
 * @param publishedAt when it was published
 */
public record PublishedApp(
    UUID pluginId,
    String vendorOrg,
    String jarSha256,
    AppDescriptor descriptor,
    Instant publishedAt) {

  public String appId() {
    return descriptor.manifest().id();
  }

  public String version() {
    return descriptor.manifest().version();
  }
}
