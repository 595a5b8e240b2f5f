package io.parasol.server.publishing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

/**
 * Derived apps: a plugin that declares {@code Plugin-Dependencies} builds on other published apps
 * (PF4J loads the bases first and gives the derived app their classes). The platform resolves each
 * base to its newest published version, for verification and for every launch, and refuses a
 * derived app whose base is missing or unpublished.
 */
public final class DerivedApps {

  private static final Pattern APP_ID = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  private DerivedApps() {}

  /**
   * The app ids a plugin jar requires, from {@code Plugin-Dependencies} ({@code id@range, ...};
   * optional ones, {@code id?@range}, are left out). Reads the manifest only.
   *
   * @throws IllegalArgumentException when an entry is not an app id
   */
  static List<String> declared(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile(), false)) {
      String value =
          file.getManifest() == null
              ? null
              : file.getManifest().getMainAttributes().getValue("Plugin-Dependencies");
      return parse(value);
    }
  }

  static List<String> parse(String value) {
    List<String> ids = new ArrayList<>();
    if (value == null || value.isBlank()) {
      return ids;
    }
    for (String entry : value.split(",")) {
      String id = entry.strip();
      int at = id.indexOf('@');
      if (at >= 0) {
        id = id.substring(0, at).strip();
      }
      if (id.endsWith("?")) {
        continue;
      }
      if (!APP_ID.matcher(id).matches()) {
        throw new IllegalArgumentException(
            "Plugin-Dependencies entry '" + entry.strip() + "' does not name an app id");
      }
      if (!ids.contains(id)) {
        ids.add(id);
      }
    }
    return ids;
  }

  /** The newest published plugin of an app, if any. */
  static Optional<Plugin> newestPublished(String appId) {
    return Plugin.<Plugin>list("appId = ?1 and status = ?2", appId, PluginStatus.PUBLISHED).stream()
        .max((a, b) -> SemVer.COMPARATOR.compare(a.appVersion, b.appVersion));
  }
}
