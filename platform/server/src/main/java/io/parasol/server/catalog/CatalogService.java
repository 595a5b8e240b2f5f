package io.parasol.server.catalog;

import io.parasol.plugin.api.AppManifest;
import io.parasol.plugin.api.Field;
import io.parasol.plugin.api.Industry;
import io.parasol.server.common.Page;
import io.parasol.server.common.ProblemException;
import io.parasol.server.publishing.PublishedApp;
import io.parasol.server.publishing.PublishingService;
import io.parasol.server.scheduling.PlacementService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What engineers browse: published apps, searchable, with their forms. */
@ApplicationScoped
public class CatalogService {

  private final PlacementService placement;

  private final PublishingService publishing;
  private final CatalogConfig config;

  CatalogService(PublishingService publishing, CatalogConfig config, PlacementService placement) {
    this.placement = placement;
    this.publishing = publishing;
    this.config = config;
  }

  /** Reads an industry filter (any case), answering 422 with the industries when it is none. */
  public static Industry industry(String value) {
    try {
      return Industry.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalid(
          "industry",
          "must be one of "
              + java.util.Arrays.toString(Industry.values()).toLowerCase(Locale.ROOT));
    }
  }

  /** The accelerator filter's values: what an app's runs ask for besides cores. */
  public static final List<String> ACCELERATOR_FILTERS = List.of("none", "gpu", "fpga");

  /** Checks an accelerator filter value ({@link #ACCELERATOR_FILTERS}), answering 422 if bad. */
  public static String accelerator(String value) {
    String v = value.toLowerCase(Locale.ROOT).strip();
    if (!ACCELERATOR_FILTERS.contains(v)) {
      throw ProblemException.invalid("accelerator", "must be one of " + ACCELERATOR_FILTERS);
    }
    return v;
  }

  /** What the app's runs ask for besides cores: {@code none}, {@code gpu} or {@code fpga}. */
  static String accelerator(PublishedApp app) {
    return app.descriptor().resources().accelerators().stream()
        .findFirst()
        .map(a -> a.kind().name().toLowerCase(Locale.ROOT))
        .orElse("none");
  }

  /** Searches the newest published version of every app. */
  public Page<AppSummary> search(
      Optional<String> text,
      Optional<Industry> industry,
      Optional<String> tag,
      Optional<String> accelerator,
      int page,
      int size) {
    Page.check(page, size);
    String needle = text.map(t -> t.toLowerCase(Locale.ROOT).strip()).orElse("");
    List<AppSummary> matches =
        publishing.newestPublished().stream()
            .filter(
                a -> industry.isEmpty() || a.descriptor().manifest().industry() == industry.get())
            .filter(
                a ->
                    tag.isEmpty()
                        || a.descriptor()
                            .manifest()
                            .tags()
                            .contains(tag.get().toLowerCase(Locale.ROOT)))
            .filter(a -> needle.isEmpty() || haystack(a).contains(needle))
            .filter(a -> accelerator.isEmpty() || accelerator.get().equals(accelerator(a)))
            .map(CatalogService::summary)
            .toList();
    return Page.of(matches, page, size);
  }

  /** An app's page, for its newest published version or the one asked for. */
  public AppDetail get(String appId, Optional<String> version) {
    List<PublishedApp> versions = publishing.publishedVersions(appId);
    if (versions.isEmpty()) {
      throw ProblemException.notFound("app " + appId);
    }
    PublishedApp shown = resolve(versions, appId, version);
    AppManifest m = shown.descriptor().manifest();
    List<Field> platform =
        PlatformFields.forProfile(
            shown.descriptor().resources(), config, placement.partitionNames());
    Map<String, Object> defaults = new LinkedHashMap<>(shown.descriptor().form().defaults());
    platform.forEach(f -> defaults.put(f.id(), f.defaultValue()));
    return new AppDetail(
        m.id(),
        m.name(),
        m.version(),
        versions.stream().map(PublishedApp::version).toList(),
        shown.vendorOrg(), // the uploading organisation, not the manifest's free text
        shown.vendorOrg(),
        m.industry(),
        m.summary(),
        m.description(),
        m.tags(),
        m.licence(),
        shown.descriptor().form(),
        platform,
        defaults,
        shown.descriptor().resources(),
        shown.pluginId(),
        shown.jarSha256(),
        shown.publishedAt());
  }

  /** The published version a launch targets: the one asked for, or the newest. */
  public PublishedApp launchTarget(String appId, Optional<String> version) {
    List<PublishedApp> versions = publishing.publishedVersions(appId);
    if (versions.isEmpty()) {
      throw ProblemException.invalid("appId", "names no published app: " + appId);
    }
    return resolve(versions, appId, version);
  }

  /** The platform's launch fields for an app version. */
  public List<Field> platformFields(PublishedApp app) {
    return PlatformFields.forProfile(
        app.descriptor().resources(), config, placement.partitionNames());
  }

  private static PublishedApp resolve(
      List<PublishedApp> versions, String appId, Optional<String> version) {
    if (version.isEmpty()) {
      return versions.get(0);
    }
    return versions.stream()
        .filter(v -> v.version().equals(version.get()))
        .findFirst()
        .orElseThrow(
            () ->
                ProblemException.invalid(
                    "version", "is not a published version of " + appId + ": " + version.get()));
  }

  private static String haystack(PublishedApp a) {
    AppManifest m = a.descriptor().manifest();
    return String.join(
            " ",
            m.id(),
            m.name(),
            m.summary(),
            m.description(),
            a.vendorOrg(),
            String.join(" ", m.tags()))
        .toLowerCase(Locale.ROOT);
  }

  private static AppSummary summary(PublishedApp a) {
    AppManifest m = a.descriptor().manifest();
    return new AppSummary(
        m.id(),
        m.name(),
        m.version(),
        a.vendorOrg(), // the uploading organisation, not the manifest's free text
        a.vendorOrg(),
        m.industry(),
        m.summary(),
        m.tags(),
        a.descriptor().resources(),
        a.publishedAt());
  }
}
