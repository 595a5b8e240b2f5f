package io.parasol.plugin.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Builds a plugin jar as the platform expects it: a PF4J manifest ({@code Plugin-Id}, {@code
 * Plugin-Version}, {@code Plugin-Requires}, optional {@code Plugin-Dependencies}) and the app's
 * compiled classes with their extension index.
 *
 * <pre>{@code
 * Path jar = PluginJar.of("my-app", "1.0.0")
 *     .requires(">=1.1.0 & <2.0.0")
 *     .from(Path.of("target/classes"))
 *     .writeTo(tempDir);
 * }</pre>
 */
public final class PluginJar {

  /** Where PF4J's annotation processor writes the extension index. */
  public static final String EXTENSION_INDEX = "META-INF/extensions.idx";

  private final String id;
  private final String version;
  private String requires = "*";
  private String provider;
  private final List<String> dependencies = new ArrayList<>();
  private final List<Path> roots = new ArrayList<>();

  private PluginJar(String id, String version) {
    this.id = Objects.requireNonNull(id, "id");
    this.version = Objects.requireNonNull(version, "version");
  }

  /**
   * A plugin jar with an id (the app id) and a version (the app version).
   *
   * @param id the Plugin-Id
   * @param version the Plugin-Version
   * @return a builder
   */
  public static PluginJar of(String id, String version) {
    return new PluginJar(id, version);
  }

  /**
   * The range of plugin API versions the app works with.
   *
   * @param range for example {@code >=1.1.0 & <2.0.0}
   * @return this builder
   */
  public PluginJar requires(String range) {
    this.requires = Objects.requireNonNull(range, "range");
    return this;
  }

  /**
   * The vendor's name.
   *
   * @param name the Plugin-Provider
   * @return this builder
   */
  public PluginJar provider(String name) {
    this.provider = name;
    return this;
  }

  /**
   * A plugin this one builds on (a derived app's base app).
   *
   * @param pluginId the base's Plugin-Id
   * @param range the base versions it works with, for example {@code >=1.0.0}
   * @return this builder
   */
  public PluginJar dependsOn(String pluginId, String range) {
    dependencies.add(pluginId + "@" + range);
    return this;
  }

  /**
   * A directory of compiled classes and resources to include, such as {@code target/classes}.
   *
   * @param classes the directory
   * @return this builder
   */
  public PluginJar from(Path classes) {
    roots.add(classes);
    return this;
  }

  /**
   * Writes {@code ID-VERSION.jar} into a directory.
   *
   * @param dir the directory, for example a JUnit {@code @TempDir}
   * @return the jar
   * @throws IllegalStateException when no included directory has an extension index
   */
  public Path writeTo(Path dir) throws IOException {
    if (roots.stream().noneMatch(r -> Files.isRegularFile(r.resolve(EXTENSION_INDEX)))) {
      throw new IllegalStateException(
          "no "
              + EXTENSION_INDEX
              + " in "
              + roots
              + ": compile the app with PF4J's annotation processor and mark it @Extension");
    }
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.putValue("Plugin-Id", id);
    main.putValue("Plugin-Version", version);
    main.putValue("Plugin-Requires", requires);
    if (provider != null) {
      main.putValue("Plugin-Provider", provider);
    }
    if (!dependencies.isEmpty()) {
      main.putValue("Plugin-Dependencies", String.join(", ", dependencies));
    }
    Files.createDirectories(dir);
    Path jar = dir.resolve(id + "-" + version + ".jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest)) {
      for (Path root : roots) {
        try (Stream<Path> files = Files.walk(root)) {
          for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
            String name = root.relativize(f).toString().replace('\\', '/');
            if (name.equals("META-INF/MANIFEST.MF")) {
              continue;
            }
            out.putNextEntry(new JarEntry(name));
            Files.copy(f, out);
            out.closeEntry();
          }
        }
      }
    }
    return jar;
  }
}
