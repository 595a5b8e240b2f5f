package io.parasol.server.catalog;

import io.parasol.plugin.api.Field;
import io.parasol.plugin.api.FormSpec;
import io.parasol.plugin.api.Industry;
import io.parasol.plugin.api.ResourceProfile;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An app's page: its manifest, the form of the version shown, and the launch fields the platform
 * adds.
 *
 * @param id the app id
 * @param name the display name
 * @param version the version shown
 * @param versions every published version, newest first
 * @param vendor the vendor: the organisation that uploaded the app (what its manifest says of
 *     itself is not shown, so no vendor can pass for another)
 * @param vendorOrg the vendor org
 * @param industry the discipline
 * @param summary one sentence
 * @param description Markdown
 * @param tags search tags
 * @param licence the licence terms
 * @param form the app's form
 * @param platformFields the platform's launch fields (cores, wall time, partition)
 * @param defaults the default value of every field
 * @param resources the resource profile
 * @param pluginId the plugin upload of this version
 * @param jarSha256 the jar's hash
 * @param publishedAt when this version was published
 */
public record AppDetail(
    String id,
    String name,
    String version,
    List<String> versions,
    String vendor,
    String vendorOrg,
    Industry industry,
    String summary,
    String description,
    List<String> tags,
    String licence,
    FormSpec form,
    List<Field> platformFields,
    Map<String, Object> defaults,
    ResourceProfile resources,
    UUID pluginId,
    String jarSha256,
    Instant publishedAt) {}
