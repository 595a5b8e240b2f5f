package io.parasol.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/configuration.md} is generated from the typed configuration: every
 * {@code @ConfigMapping} interface of the server, its keys (by reflection), defaults and Javadoc
 * (from the source). The test fails when the page is not current; regenerate it with {@code ./mvnw
 * verify -Dconfig.write=true}.
 */
class ConfigReferenceTest {

  static final Path SOURCES = Path.of("src/main/java");
  static final Path PAGE = Path.of("../../docs/configuration.md");
  static final Pattern MAPPING =
      Pattern.compile(
          "@ConfigMapping\\(prefix = \"([^\"]+)\"\\)\\s*(?:public\\s+)?(?:static\\s+)?interface\\s+(\\w+)");

  record Row(String key, String type, String defaultValue, String description) {}

  @Test
  void theConfigurationReferenceIsCurrent() throws Exception {
    String page = generate();
    if (Boolean.getBoolean("config.write")) {
      Files.writeString(PAGE, page);
    }
    assertEquals(
        page,
        Files.readString(PAGE),
        "docs/configuration.md differs from the typed configuration; regenerate it with"
            + " ./mvnw verify -Dconfig.write=true");
  }

  static String generate() throws Exception {
    Map<String, List<Row>> sections = new TreeMap<>();
    Map<String, String> summaries = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(SOURCES)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    for (Path file : files) {
      String source = Files.readString(file);
      Matcher m = MAPPING.matcher(source);
      while (m.find()) {
        String prefix = m.group(1);
        String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
        String fileType = file.getFileName().toString().replace(".java", "");
        String name =
            m.group(2).equals(fileType)
                ? pkg + "." + fileType
                : pkg + "." + fileType + "$" + m.group(2);
        Class<?> type = Class.forName(name);
        summaries.put(prefix, javadoc(source, m.start(), false));
        List<Row> rows = new ArrayList<>();
        describe(type, prefix, source, rows);
        sections.put(prefix, rows);
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("# Configuration reference\n\n")
        .append(
            "Generated from the server's typed configuration (`@ConfigMapping` interfaces) by\n")
        .append(
            "`ConfigReferenceTest`; regenerate with `./mvnw verify -Dconfig.write=true`. Every key\n")
        .append("can also be set from the environment: upper case, `.` and `-` as `_`\n")
        .append(
            "(`parasol.worker.local.max-cores` → `PARASOL_WORKER_LOCAL_MAX_CORES`). `*` stands for a\n")
        .append(
            "name of your choice (an organisation, a region pair, a user). Quarkus's own keys\n")
        .append(
            "(`quarkus.datasource.*`, `quarkus.oidc.*`, `quarkus.http.*`) are documented by Quarkus.\n");
    sections.forEach(
        (prefix, rows) -> {
          out.append("\n## `").append(prefix).append("`\n\n");
          if (!summaries.get(prefix).isBlank()) {
            out.append(summaries.get(prefix)).append("\n\n");
          }
          out.append("| key | type | default | what it does |\n|---|---|---|---|\n");
          for (Row r : rows) {
            out.append("| `")
                .append(r.key())
                .append("` | ")
                .append(r.type())
                .append(" | ")
                .append(r.defaultValue())
                .append(" | ")
                .append(r.description().replace("|", "\\|"))
                .append(" |\n");
          }
        });
    return out.toString();
  }

  static void describe(Class<?> type, String prefix, String source, List<Row> rows) {
    int typeStart = Math.max(0, source.indexOf("interface " + type.getSimpleName()));
    List<Method> methods = new ArrayList<>();
    for (Method m : type.getDeclaredMethods()) {
      if (!Modifier.isStatic(m.getModifiers()) && !m.isDefault() && m.getParameterCount() == 0) {
        methods.add(m);
      }
    }
    methods.sort(Comparator.comparingInt(m -> position(source, typeStart, m.getName())));
    for (Method m : methods) {
      WithName named = m.getAnnotation(WithName.class);
      String key = prefix + "." + (named != null ? named.value() : kebab(m.getName()));
      WithDefault def = m.getAnnotation(WithDefault.class);
      Type generic = m.getGenericReturnType();
      Class<?> raw = m.getReturnType();
      boolean optional = raw == Optional.class;
      if (optional) {
        generic = ((ParameterizedType) generic).getActualTypeArguments()[0];
        raw = rawClass(generic);
      }
      String doc = javadoc(source, position(source, typeStart, m.getName()), true);
      if (raw == Map.class) {
        Type value = ((ParameterizedType) generic).getActualTypeArguments()[1];
        if (isGroup(rawClass(value))) {
          describe(rawClass(value), key + ".*", source, rows);
        } else {
          rows.add(new Row(key + ".*", typeName(value), "none", doc));
        }
      } else if (isGroup(raw)) {
        describe(raw, key, source, rows);
      } else {
        rows.add(
            new Row(
                key,
                typeName(generic),
                def != null ? "`" + def.value() + "`" : optional ? "none" : "required",
                doc));
      }
    }
  }

  static boolean isGroup(Class<?> c) {
    return c.isInterface() && c.getName().startsWith("io.parasol.");
  }

  static Class<?> rawClass(Type t) {
    return t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) t;
  }

  static String typeName(Type t) {
    if (t instanceof ParameterizedType p) {
      return rawClass(p).getSimpleName()
          + " of "
          + Stream.of(p.getActualTypeArguments())
              .map(ConfigReferenceTest::typeName)
              .reduce((a, b) -> a + ", " + b)
              .orElse("");
    }
    Class<?> c = (Class<?>) t;
    return switch (c.getSimpleName()) {
      case "Duration" -> "duration (`5S`, `10M`, `2H`)";
      case "MemorySize" -> "size (`4M`, `1G`)";
      default ->
          c.isEnum()
              ? "one of " + List.of(c.getEnumConstants())
              : c.getSimpleName().toLowerCase(Locale.ROOT);
    };
  }

  static int position(String source, int from, String method) {
    Matcher m = Pattern.compile("\\s" + method + "\\(\\)\\s*;").matcher(source);
    return m.find(from) ? m.start() : (m.find(0) ? m.start() : Integer.MAX_VALUE);
  }

  /** The Javadoc just before {@code at}, on one line, without tags. */
  static String javadoc(String source, int at, boolean member) {
    if (at == Integer.MAX_VALUE || at <= 0) {
      return "";
    }
    int end = source.lastIndexOf("*/", at);
    int start = source.lastIndexOf("/**", at);
    if (end < 0 || start < 0 || start > end) {
      return "";
    }
    String between = source.substring(end + 2, at);
    if (member && between.contains(";")) {
      return ""; // the comment belongs to an earlier member
    }
    String text = source.substring(start + 3, end);
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.startsWith("*")) {
        l = l.substring(1).strip();
      }
      if (l.startsWith("@")) {
        break;
      }
      if (!l.isEmpty()) {
        out.append(out.isEmpty() ? "" : " ").append(l);
      }
    }
    return out.toString()
        .replaceAll("\\{@(?:code|link|linkplain) ([^}]*)}", "`$1`")
        .replaceAll("<p>", "")
        .strip();
  }

  static String kebab(String name) {
    return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }
}
