package io.parasol.plugin.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import japicmp.cmp.JApiCmpArchive;
import japicmp.cmp.JarArchiveComparator;
import japicmp.cmp.JarArchiveComparatorOptions;
import japicmp.model.JApiClass;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compatibility gate: this plugin API must stay binary compatible with its last release ({@code
 * baseline/}) unless its major version changed. Plugins built against 1.x keep loading on every
 * later 1.y. When a release ships, its jar becomes the new baseline.
 */
class CompatibilityTest {

  /** The last released plugin API, kept in {@code plugin-api/baseline/}. */
  static final String BASELINE = "1.0.0";

  static Path baseline() {
    return Path.of("baseline", "parasol-plugin-api-" + BASELINE + ".jar");
  }

  /** The API as built now, as a jar of {@code target/classes}. */
  static Path current(Path dir) throws IOException {
    Path classes = Path.of("target", "classes");
    Path jar = dir.resolve("current.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
    return jar;
  }

  /** The binary-incompatible changes from {@code from} to {@code to}, one line each. */
  static List<String> breaks(Path from, String fromVersion, Path to, String toVersion)
      throws URISyntaxException {
    JarArchiveComparatorOptions options = new JarArchiveComparatorOptions();
    options.setClassPathMode(JarArchiveComparatorOptions.ClassPathMode.ONE_COMMON_CLASSPATH);
    // ExtensionPoint, the one PF4J type the API extends, is provided by the platform.
    options
        .getClassPathEntries()
        .add(
            Path.of(
                    org.pf4j.ExtensionPoint.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString());
    List<JApiClass> classes =
        new JarArchiveComparator(options)
            .compare(
                new JApiCmpArchive(from.toFile(), fromVersion),
                new JApiCmpArchive(to.toFile(), toVersion));
    return classes.stream()
        .filter(c -> !c.isBinaryCompatible())
        .map(
            c ->
                c.getFullyQualifiedName()
                    + " "
                    + c.getChangeStatus()
                    + " "
                    + c.getCompatibilityChanges())
        .toList();
  }

  @Test
  void thisApiIsBinaryCompatibleWithItsLastReleaseWithinAMajorVersion(@TempDir Path dir)
      throws Exception {
    assertTrue(Files.isRegularFile(baseline()), "missing " + baseline());
    String version = PluginApi.version();
    List<String> breaks = breaks(baseline(), BASELINE, current(dir), version);
    if (major(version) == major(BASELINE)) {
      assertEquals(
          List.of(),
          breaks,
          "plugin API "
              + version
              + " breaks binary compatibility with "
              + BASELINE
              + ": undo the change, or deprecate now and remove in the next major version");
    }
  }

  @Test
  void theGateSeesABreak(@TempDir Path dir) throws Exception {
    // Going back from this version to the baseline removes what was added since: a break.
    List<String> breaks = breaks(current(dir), PluginApi.version(), baseline(), BASELINE);
    assertTrue(
        breaks.stream().anyMatch(b -> b.startsWith("io.parasol.plugin.api.SimulationApp ")),
        breaks.toString());
  }

  private static int major(String version) {
    return Integer.parseInt(version.substring(0, version.indexOf('.')));
  }
}
