package io.parasol.server.publishing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads only the structure of an uploaded archive (its central directory), never its classes: is it
 * a ZIP at all, how many entries, how large would it expand, is any entry a compression bomb.
 */
final class ArchiveInspector {

  private static final long RATIO_CHECK_FLOOR = 1_048_576;

  private final int maxEntries;
  private final long maxUncompressed;
  private final int maxRatio;

  ArchiveInspector(int maxEntries, long maxUncompressed, int maxRatio) {
    this.maxEntries = maxEntries;
    this.maxUncompressed = maxUncompressed;
    this.maxRatio = maxRatio;
  }

  /** Returns why the archive is refused, or empty when it may go on to the worker. */
  Optional<String> inspect(Path jar) {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      int entries = 0;
      long total = 0;
      Enumeration<? extends ZipEntry> all = zip.entries();
      while (all.hasMoreElements()) {
        ZipEntry entry = all.nextElement();
        if (++entries > maxEntries) {
          return Optional.of("the archive has more than " + maxEntries + " entries");
        }
        String name = entry.getName();
        if (name.startsWith("/") || name.contains("../") || name.contains("..\\")) {
          return Optional.of("the archive has an entry with an unsafe path: " + name);
        }
        long size = entry.getSize();
        long compressed = entry.getCompressedSize();
        if (size < 0) {
          continue;
        }
        total += size;
        if (total > maxUncompressed) {
          return Optional.of(
              "the archive expands to more than "
                  + maxUncompressed
                  + " bytes (a compression bomb?)");
        }
        if (size > RATIO_CHECK_FLOOR && compressed > 0 && size / compressed > maxRatio) {
          return Optional.of(
              "the entry "
                  + name
                  + " expands "
                  + (size / compressed)
                  + " times (limit "
                  + maxRatio
                  + "): a compression bomb");
        }
      }
      if (zip.getEntry("META-INF/MANIFEST.MF") == null) {
        return Optional.of("no plugin descriptor: the jar has no META-INF/MANIFEST.MF");
      }
      return Optional.empty();
    } catch (ZipException e) {
      return Optional.of("the file is not a JAR (ZIP) archive: " + e.getMessage());
    } catch (IOException e) {
      return Optional.of("the archive could not be read: " + e.getMessage());
    }
  }
}
