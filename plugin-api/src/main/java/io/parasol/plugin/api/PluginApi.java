package io.parasol.plugin.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Facts about this build of the plugin API, chiefly its Semantic Version, against which a plugin's
 * {@code Plugin-Requires} range is checked.
 */
public final class PluginApi {

  private static final String VERSION = load();

  private PluginApi() {}

  /**
   * The version of this plugin API, for example {@code 1.0.0}.
   *
   * @return the SemVer string of this API
   */
  public static String version() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = PluginApi.class.getResourceAsStream("plugin-api.properties")) {
      if (in == null) {
        throw new IllegalStateException("plugin-api.properties is missing from the plugin API jar");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
