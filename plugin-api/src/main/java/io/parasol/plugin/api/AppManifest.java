package io.parasol.plugin.api;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who an app is, as shown in the catalog.
 *
 * @param id stable kebab-case identifier, for example {@code heat-transfer}; equal to the plugin id
 * @param name display name
 * @param version Semantic Version of the app, equal to the plugin version
 * @param vendor the vendor's display name
 * @param industry the discipline the app serves
 * @param summary one sentence for the catalog card
 * @param description Markdown shown on the app page
 * @param tags search tags, lower case
 * @param licence the licence terms the engineer accepts by launching
 */
public record AppManifest(
    String id,
    String name,
    String version,
    String vendor,
    Industry industry,
    String summary,
    String description,
    List<String> tags,
    String licence) {

  /** Ids are kebab-case: lower-case letters and digits separated by single hyphens. */
  public static final Pattern ID_PATTERN = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  /** Versions are SemVer 2.0 core versions with an optional pre-release. */
  public static final Pattern VERSION_PATTERN =
      Pattern.compile("(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?");

  /** Checks the values. */
  public AppManifest {
    if (id == null || id.length() > 64 || !ID_PATTERN.matcher(id).matches()) {
      throw new IllegalArgumentException("app id must be kebab-case, at most 64 characters: " + id);
    }
    if (version == null || !VERSION_PATTERN.matcher(version).matches()) {
      throw new IllegalArgumentException("app version must be a SemVer version: " + version);
    }
    requireText(name, "name");
    requireText(vendor, "vendor");
    requireText(summary, "summary");
    Objects.requireNonNull(industry, "industry");
    description = description == null ? "" : description;
    licence = licence == null ? "" : licence;
    tags = List.copyOf(tags == null ? List.of() : tags);
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("manifest " + name + " must not be blank");
    }
  }
}
