package io.parasol.server.catalog;

import io.parasol.plugin.api.Industry;
import io.parasol.plugin.api.ResourceProfile;
import java.time.Instant;
import java.util.List;

/**
 * A catalog card: the newest published version of an app.
 *
 * @param id the app id
 * @param name the display name
 * @param version the newest published version
 * @param vendor the vendor: the organisation that uploaded the app (what its manifest says of
 *     itself is not shown, so no vendor can pass for another)
 * @param vendorOrg the vendor org
 * @param industry the discipline
 * @param summary one sentence
 * @param tags search tags
 * @param resources what a run needs
 * @param publishedAt when this version was published
 */
public record AppSummary(
    String id,
    String name,
    String version,
    String vendor,
    String vendorOrg,
    Industry industry,
    String summary,
    List<String> tags,
    ResourceProfile resources,
    Instant publishedAt) {}
