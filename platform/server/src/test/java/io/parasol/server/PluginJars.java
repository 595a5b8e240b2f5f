package io.parasol.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds real plugin archives in a temporary directory: copies of the test plugin, bent on purpose.
 */
public final class PluginJars {

  /** The well-behaved test plugin as built. */
  public static final Path MISBEHAVING = Path.of("target/test-plugins/misbehaving-app.jar");

  /** The heat-transfer example as bundled in the server. */
  public static final Path HEAT_TRANSFER =
      Path.of("target/classes/parasol/examples/heat-transfer.jar");

  private PluginJars() {}

  /**
   * A copy of the test plugin whose self-test does {@code behaviour}, at app version {@code
   * version}, with manifest attributes overridden (a null value removes the attribute).
   */
  public static Path variant(
      Path dir, String behaviour, String version, Map<String, String> manifest) throws IOException {
    return variant(dir, behaviour, version, manifest, Map.of());
  }

  /**
   * As {@link #variant(Path, String, String, Map)}, with further text resources of the test plugin
   * ({@code summary.txt}, {@code pattern.txt}) by name.
   */
  public static Path variant(
      Path dir,
      String behaviour,
      String version,
      Map<String, String> manifest,
      Map<String, String> resources)
      throws IOException {
    Path target =
        dir.resolve(
            "misbehaving-"
                + behaviour
                + "-"
                + Integer.toHexString(version.hashCode())
                + "-"
                + Integer.toHexString(resources.hashCode())
                + ".jar");
    try (JarInputStream in = new JarInputStream(Files.newInputStream(MISBEHAVING))) {
      Manifest mf = new Manifest(in.getManifest());
      Attributes main = mf.getMainAttributes();
      main.putValue("Plugin-Version", version);
      manifest.forEach(
          (k, v) -> {
            if (v == null) {
              main.remove(new Attributes.Name(k));
            } else {
              main.putValue(k, v);
            }
          });
      try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target), mf)) {
        JarEntry entry;
        while ((entry = in.getNextJarEntry()) != null) {
          out.putNextEntry(new JarEntry(entry.getName()));
          in.transferTo(out);
          out.closeEntry();
        }
        put(out, "io/parasol/testplugin/behaviour.txt", behaviour);
        put(out, "io/parasol/testplugin/version.txt", version);
        for (Map.Entry<String, String> r : resources.entrySet()) {
          put(out, "io/parasol/testplugin/" + r.getKey(), r.getValue());
        }
      }
    }
    return target;
  }

  /** A copy of the test plugin without META-INF/MANIFEST.MF at all. */
  public static Path withoutManifest(Path dir) throws IOException {
    Path target = dir.resolve("no-manifest.jar");
    try (JarInputStream in = new JarInputStream(Files.newInputStream(MISBEHAVING));
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
      JarEntry entry;
      while ((entry = in.getNextJarEntry()) != null) {
        out.putNextEntry(new ZipEntry(entry.getName()));
        in.transferTo(out);
        out.closeEntry();
      }
    }
    return target;
  }

  /** A small archive whose one entry expands to {@code expandedBytes} of zeros. */
  public static Path zipBomb(Path dir, long expandedBytes) throws IOException {
    Path target = dir.resolve("bomb.jar");
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    mf.getMainAttributes().putValue("Plugin-Id", "bomb");
    mf.getMainAttributes().putValue("Plugin-Version", "1.0.0");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target), mf)) {
      out.setLevel(9);
      out.putNextEntry(new JarEntry("zeros.bin"));
      byte[] zeros = new byte[1 << 20];
      for (long written = 0; written < expandedBytes; written += zeros.length) {
        out.write(zeros);
      }
      out.closeEntry();
    }
    return target;
  }

  /** A file of the given size that is not an archive. */
  public static Path notAJar(Path dir, int size) throws IOException {
    Path target = dir.resolve("not-a-jar-" + size + ".jar");
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) ('a' + i % 26);
    }
    Files.write(target, bytes);
    return target;
  }

  private static void put(OutputStream out, String name, String text) throws IOException {
    ((JarOutputStream) out).putNextEntry(new JarEntry(name));
    out.write(text.getBytes(StandardCharsets.UTF_8));
    ((JarOutputStream) out).closeEntry();
  }
}
