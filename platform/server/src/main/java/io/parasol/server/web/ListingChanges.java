package io.parasol.server.web;

import io.parasol.plugin.api.Field;
import io.parasol.plugin.api.IntegerField;
import io.parasol.plugin.api.NumberField;
import io.parasol.plugin.api.ResourceProfile;
import io.parasol.plugin.api.Section;
import io.parasol.protocol.AppDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** What a listing changes against the version published before it, for the admin's review. */
public final class ListingChanges {

  private ListingChanges() {}

  /** The changes from {@code before} (null: none published) to {@code after}, one per line. */
  public static List<String> between(AppDescriptor before, AppDescriptor after) {
    List<String> changes = new ArrayList<>();
    if (after == null) {
      return changes;
    }
    if (before == null) {
      changes.add("a new app: " + after.manifest().id() + " " + after.manifest().version());
      return changes;
    }
    var b = before.manifest();
    var a = after.manifest();
    changed(changes, "version", b.version(), a.version());
    changed(changes, "name", b.name(), a.name());
    changed(changes, "industry", b.industry(), a.industry());
    changed(changes, "summary", b.summary(), a.summary());
    if (!Objects.equals(b.description(), a.description())) {
      changes.add("the description changed");
    }
    TreeSet<String> added = new TreeSet<>(a.tags());
    added.removeAll(b.tags());
    TreeSet<String> removed = new TreeSet<>(b.tags());
    removed.removeAll(a.tags());
    if (!added.isEmpty()) {
      changes.add("tags added: " + String.join(", ", added));
    }
    if (!removed.isEmpty()) {
      changes.add("tags removed: " + String.join(", ", removed));
    }
    Map<String, Field> old = fields(before);
    Map<String, Field> now = fields(after);
    now.forEach(
        (id, f) -> {
          Field was = old.get(id);
          if (was == null) {
            changes.add("field added: " + id + " (" + f.label() + ")");
          } else if (!was.equals(f)) {
            changes.add("field " + id + " changed" + detail(was, f));
          }
        });
    old.keySet().stream()
        .filter(id -> !now.containsKey(id))
        .forEach(id -> changes.add("field removed: " + id));
    ResourceProfile rb = before.resources();
    ResourceProfile ra = after.resources();
    changed(
        changes,
        "cores (min/default/max)",
        rb.minCores() + "/" + rb.defaultCores() + "/" + rb.maxCores(),
        ra.minCores() + "/" + ra.defaultCores() + "/" + ra.maxCores());
    changed(changes, "memory per core (MB)", rb.memoryPerCoreMb(), ra.memoryPerCoreMb());
    changed(changes, "accelerators", rb.accelerators(), ra.accelerators());
    return changes;
  }

  private static void changed(List<String> changes, String what, Object before, Object after) {
    if (!Objects.equals(before, after)) {
      changes.add(what + ": " + before + " → " + after);
    }
  }

  private static String detail(Field was, Field now) {
    List<String> parts = new ArrayList<>();
    if (!was.label().equals(now.label())) {
      parts.add("label \"" + was.label() + "\" → \"" + now.label() + "\"");
    }
    if (was instanceof NumberField n && now instanceof NumberField m) {
      diff(parts, "min", n.min(), m.min());
      diff(parts, "max", n.max(), m.max());
      diff(parts, "default", n.defaultValue(), m.defaultValue());
      diff(parts, "unit", n.unit(), m.unit());
    } else if (was instanceof IntegerField n && now instanceof IntegerField m) {
      diff(parts, "min", n.min(), m.min());
      diff(parts, "max", n.max(), m.max());
      diff(parts, "default", n.defaultValue(), m.defaultValue());
    } else if (was.getClass() != now.getClass()) {
      parts.add("kind " + was.getClass().getSimpleName() + " → " + now.getClass().getSimpleName());
    } else {
      diff(parts, "default", was.defaultValue(), now.defaultValue());
    }
    return parts.isEmpty() ? "" : ": " + String.join(", ", parts);
  }

  private static void diff(List<String> parts, String what, Object before, Object after) {
    if (!Objects.equals(before, after)) {
      parts.add(what + " " + before + " → " + after);
    }
  }

  private static Map<String, Field> fields(AppDescriptor d) {
    Map<String, Field> all = new LinkedHashMap<>();
    if (d.form() != null) {
      for (Section s : d.form().sections()) {
        s.fields().forEach(f -> all.put(f.id(), f));
      }
    }
    return all;
  }
}
