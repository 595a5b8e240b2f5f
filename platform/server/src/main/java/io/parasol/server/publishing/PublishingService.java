package io.parasol.server.publishing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.parasol.protocol.AppDescriptor;
import io.parasol.protocol.VerificationReport;
import io.parasol.protocol.VerificationReport.Check;
import io.parasol.server.audit.AuditService;
import io.parasol.server.common.Hashing;
import io.parasol.server.common.JsonText;
import io.parasol.server.common.Page;
import io.parasol.server.common.ProblemException;
import io.parasol.server.scheduling.PlacementConfig;
import io.parasol.server.storage.DataDirectory;
import io.parasol.server.tenancy.Caller;
import io.parasol.server.tenancy.Role;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The publishing pipeline: upload (content-addressed), verification in the worker sandbox, submit,
 * review (approve / reject), unlist; and the published versions the catalog shows.
 */
@ApplicationScoped
public class PublishingService {

  private static final Logger LOG = Logger.getLogger(PublishingService.class);

  private final DataDirectory data;
  private final PublishingConfig config;
  private final VerificationService verification;
  private final ObjectMapper json;
  private final AuditService audit;
  private final jakarta.enterprise.event.Event<ListingChanged> listingChanged;

  /**
   * What launches read of the catalog (an app's published versions, a plugin's base jars): read
   * again once older than the placement snapshot's TTL (by the one caller that finds it so, while
   * the others are served the last reading), and dropped when this replica's change of a listing
   * commits, so a change made on another replica shows here within about the TTL.
   */
  private final LoadingCache<String, List<PublishedApp>> versions;

  private final LoadingCache<UUID, List<String>> bases;

  PublishingService(
      DataDirectory data,
      PublishingConfig config,
      VerificationService verification,
      ObjectMapper json,
      AuditService audit,
      PlacementConfig placement,
      jakarta.enterprise.event.Event<ListingChanged> listingChanged) {
    this.audit = audit;
    this.listingChanged = listingChanged;
    this.versions = readAgainAfter(placement.snapshotTtl(), this::readPublishedVersions);
    this.bases = readAgainAfter(placement.snapshotTtl(), this::readBaseJars);
    this.data = data;
    this.config = config;
    this.verification = verification;
    this.json = json;
  }

  public long maxPluginBytes() {
    return config.maxPluginBytes().asLongValue();
  }

  // ---------------------------------------------------------------- upload and verification

  /** Stores an uploaded jar and starts its verification; the answer says VERIFYING. */
  public PluginView upload(Caller caller, String fileName, InputStream content) {
    requireRole(caller, Role.ISV);
    return store(caller, fileName, content, false);
  }

  PluginView store(Caller caller, String fileName, InputStream content, boolean autoPublish) {
    String sha;
    long size;
    try {
      Path tmp = Files.createTempFile(data.tmp(), "plugin-", ".part");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        sha = Hashing.copyAndHash(content, out, maxPluginBytes());
      } catch (Hashing.LimitExceededException e) {
        Files.deleteIfExists(tmp);
        throw ProblemException.tooLarge(
            "the plugin is larger than the limit of " + maxPluginBytes() + " bytes");
      }
      size = Files.size(tmp);
      Path target = data.pluginJar(sha);
      if (Files.exists(target)) {
        Files.delete(tmp);
      } else {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // The name is only a label: its last path segment, without control characters (NUL included).
    String label =
        fileName == null
            ? ""
            : fileName
                .substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1)
                .replaceAll("\\p{Cntrl}", "_");
    String name = label.isBlank() ? "plugin.jar" : label;
    if (name.length() > 255) {
      name = name.substring(0, 255);
    }
    String safeName = name;
    Plugin plugin =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  Plugin p = new Plugin();
                  p.id = UUID.randomUUID();
                  p.vendorOrg = caller.org();
                  p.uploadedBy = caller.name();
                  p.fileName = safeName;
                  p.jarSha256 = sha;
                  p.jarSize = size;
                  p.status = PluginStatus.VERIFYING;
                  p.autoPublish = autoPublish;
                  p.createdAt = Instant.now();
                  p.updatedAt = p.createdAt;
                  p.persist();
                  audit.record(
                      caller,
                      "plugin.upload",
                      "plugin",
                      p.id.toString(),
                      p.vendorOrg,
                      safeName + " sha256 " + sha);
                  return p;
                });
    startVerification(plugin.id, sha);
    return view(plugin);
  }

  private void startVerification(UUID pluginId, String sha) {
    verification.submit(pluginId, data.pluginJar(sha), report -> complete(pluginId, report));
  }

  /**
   * Records a verification outcome and, for the bundled examples, publishes at once. An outcome
   * that cannot be recorded as it is still ends the upload: VERIFICATION_FAILED, with the reason.
   */
  void complete(UUID pluginId, VerificationReport report) {
    try {
      record(pluginId, bounded(report));
    } catch (RuntimeException e) {
      LOG.errorf(e, "the verification of plugin %s could not be recorded", pluginId);
      record(
          pluginId,
          VerificationReport.failed(
              "verification",
              "the verification result could not be recorded; check the descriptor against the"
                  + " limits in the ISV guide and upload again"));
    }
  }

  /**
   * The report within the limits it is stored under: a descriptor over its limits is not kept (a
   * failed check says which text is too long), and no check message is longer than it may be.
   */
  private VerificationReport bounded(VerificationReport report) {
    AppDescriptor d = report.descriptor();
    List<Check> checks = new ArrayList<>();
    List<Check> given = report.checks() == null ? List.of() : report.checks();
    for (Check c : given.subList(0, Math.min(given.size(), DescriptorLimits.MAX_CHECKS))) {
      if (c == null) {
        continue;
      }
      String message = c.message() == null ? "" : c.message();
      if (message.length() > DescriptorLimits.MAX_CHECK_MESSAGE) {
        message = message.substring(0, DescriptorLimits.MAX_CHECK_MESSAGE - 1) + "\u2026";
      }
      checks.add(new Check(c.name(), c.passed(), message, c.durationMs()));
    }
    boolean passed = report.passed();
    if (d != null) {
      List<String> over = DescriptorLimits.problems(d, JsonText.write(json, d).length());
      if (!over.isEmpty()) {
        checks.add(new Check("limits", false, String.join("; ", over), 0));
        return new VerificationReport(false, checks, null);
      }
    }
    return new VerificationReport(passed, checks, d);
  }

  private void record(UUID pluginId, VerificationReport report) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Plugin p = Plugin.findById(pluginId);
              if (p == null || p.status != PluginStatus.VERIFYING) {
                return;
              }
              VerificationReport finalReport = report;
              AppDescriptor d = report.descriptor();
              if (d != null) {
                p.appId = d.manifest().id();
                p.appVersion = d.manifest().version();
                p.descriptor = JsonText.write(json, d);
              }
              try {
                List<String> bases = DerivedApps.declared(data.pluginJar(p.jarSha256));
                p.dependsOn = bases.isEmpty() ? null : String.join(",", bases);
              } catch (IOException | RuntimeException e) {
                p.dependsOn = null; // the report says why the archive was refused
              }
              if (report.passed()) {
                Optional<String> clash = clash(p);
                if (clash.isPresent()) {
                  List<Check> checks = new ArrayList<>(report.checks());
                  checks.add(new Check("listing", false, clash.get(), 0));
                  finalReport = new VerificationReport(false, checks, d);
                }
              }
              p.report = JsonText.write(json, finalReport);
              p.updatedAt = Instant.now();
              if (!finalReport.passed()) {
                p.status = PluginStatus.VERIFICATION_FAILED;
                return;
              }
              if (AppOwner.findById(p.appId) == null) {
                AppOwner owner = new AppOwner();
                owner.appId = p.appId;
                owner.vendorOrg = p.vendorOrg;
                owner.createdAt = Instant.now();
                owner.persist();
              }
              p.listedKey = p.appId + "@" + p.appVersion;
              p.status = PluginStatus.VERIFIED;
              if (p.autoPublish) {
                p.status = PluginStatus.PUBLISHED;
                p.reviewedBy = "parasol-bootstrap";
                p.publishedAt = Instant.now();
                listingChanged.fire(new ListingChanged(p.id));
              }
            });
    LOG.infof("plugin %s verified: %s", pluginId, report.passed() ? "passed" : "failed");
  }

  private Optional<String> clash(Plugin p) {
    AppOwner owner = AppOwner.findById(p.appId);
    if (owner != null && !owner.vendorOrg.equals(p.vendorOrg)) {
      return Optional.of("the app id " + p.appId + " belongs to another vendor; choose another id");
    }
    if (Plugin.count("listedKey", p.appId + "@" + p.appVersion) > 0) {
      return Optional.of(
          "version "
              + p.appVersion
              + " of "
              + p.appId
              + " already exists; raise Plugin-Version and the app version");
    }
    return Optional.empty();
  }

  /** Verifies again what a restart interrupted. */
  void resumeVerification(@Observes @Priority(10) StartupEvent event) {
    List<Plugin> pending =
        QuarkusTransaction.requiringNew()
            .call(() -> Plugin.<Plugin>list("status", PluginStatus.VERIFYING));
    for (Plugin p : pending) {
      LOG.infof("resuming the verification of plugin %s", p.id);
      startVerification(p.id, p.jarSha256);
    }
  }

  // ---------------------------------------------------------------- reads

  @Transactional
  public PluginView get(Caller caller, UUID id) {
    Plugin p = visible(caller, id);
    audit.recordAdminRead(caller, "plugin", p.id.toString(), p.vendorOrg);
    return view(p);
  }

  @Transactional
  public Page<PluginView> list(Caller caller, int page, int size) {
    Page.check(page, size);
    if (caller.isAdmin()) {
      audit.record(caller, "plugin.list", "plugin", null, null, "all vendors, page " + page);
    }
    var query =
        caller.isAdmin()
            ? Plugin.<Plugin>find("order by createdAt desc")
            : Plugin.<Plugin>find("vendorOrg = ?1 order by createdAt desc", caller.org());
    long total = query.count();
    List<PluginView> items = query.page(page, size).list().stream().map(this::view).toList();
    return new Page<>(items, page, size, total);
  }

  /** The listings waiting for an admin's review, oldest first (admin). */
  @Transactional
  public List<PluginView> reviewQueue(Caller caller) {
    if (!caller.isAdmin()) {
      throw ProblemException.forbidden("only admins review listings");
    }
    return Plugin.<Plugin>list("status = ?1 order by updatedAt", PluginStatus.IN_REVIEW).stream()
        .map(this::view)
        .toList();
  }

  /** Whether an upload with this content hash exists already (bundled examples). */
  @Transactional
  boolean existsWithSha(String sha) {
    return Plugin.count("jarSha256", sha) > 0;
  }

  // ---------------------------------------------------------------- review

  @Transactional
  public PluginView submit(Caller caller, UUID id) {
    Plugin p =
        review(caller, id, Role.ISV, PluginStatus.VERIFIED, PluginStatus.IN_REVIEW, "submit");
    return audited(caller, p, "plugin.submit", p.appId + " " + p.appVersion);
  }

  @Transactional
  public PluginView approve(Caller caller, UUID id) {
    Plugin p =
        review(caller, id, Role.ADMIN, PluginStatus.IN_REVIEW, PluginStatus.PUBLISHED, "approve");
    p.reviewedBy = caller.name();
    p.reviewReason = null;
    p.publishedAt = p.updatedAt;
    return audited(caller, p, "plugin.approve", p.appId + " " + p.appVersion);
  }

  @Transactional
  public PluginView reject(Caller caller, UUID id, String reason) {
    requireRole(caller, Role.ADMIN);
    if (reason == null || reason.isBlank()) {
      throw ProblemException.invalid("reason", "is required: tell the vendor why");
    }
    if (reason.length() > 2000) {
      throw ProblemException.invalid("reason", "must be at most 2000 characters");
    }
    Plugin p =
        review(caller, id, Role.ADMIN, PluginStatus.IN_REVIEW, PluginStatus.REJECTED, "reject");
    p.listedKey = null;
    p.reviewedBy = caller.name();
    p.reviewReason = reason.strip();
    return audited(caller, p, "plugin.reject", p.reviewReason);
  }

  @Transactional
  public PluginView unlist(Caller caller, UUID id) {
    Plugin p =
        review(caller, id, Role.ADMIN, PluginStatus.PUBLISHED, PluginStatus.UNLISTED, "unlist");
    p.reviewedBy = caller.name();
    return audited(caller, p, "plugin.unlist", p.appId + " " + p.appVersion);
  }

  /** One step of the review: role, visibility and the status it starts from are checked. */
  private Plugin review(
      Caller caller, UUID id, Role role, PluginStatus from, PluginStatus to, String action) {
    requireRole(caller, role);
    Plugin p = visible(caller, id);
    requireStatus(p, from, action);
    p.status = to;
    p.updatedAt = Instant.now();
    listingChanged.fire(new ListingChanged(p.id));
    return p;
  }

  /** A cache read again (in a transaction) by the one caller that finds an entry older than ttl. */
  private static <K, V> LoadingCache<K, V> readAgainAfter(
      java.time.Duration ttl, java.util.function.Function<K, V> read) {
    return Caffeine.newBuilder()
        .refreshAfterWrite(ttl)
        .expireAfterWrite(ttl.multipliedBy(10))
        .executor(Runnable::run)
        .maximumSize(10_000)
        .build(key -> QuarkusTransaction.joiningExisting().call(() -> read.apply(key)));
  }

  /** A CDI event: a listing's status changed; what launches read of the catalog is stale. */
  record ListingChanged(UUID pluginId) {}

  void onListingChanged(
      @Observes(during = jakarta.enterprise.event.TransactionPhase.AFTER_SUCCESS)
          ListingChanged change) {
    forgetListings();
  }

  private void forgetListings() {
    versions.invalidateAll();
    bases.invalidateAll();
  }

  private PluginView audited(Caller caller, Plugin p, String action, String detail) {
    audit.record(caller, action, "plugin", p.id.toString(), p.vendorOrg, detail);
    return view(p);
  }

  // ---------------------------------------------------------------- the catalog's view

  /** The newest published version of every app. */
  @Transactional
  public List<PublishedApp> newestPublished() {
    Map<String, PublishedApp> newest = new LinkedHashMap<>();
    for (Plugin p : Plugin.<Plugin>list("status", PluginStatus.PUBLISHED)) {
      PublishedApp app = published(p);
      newest.merge(
          app.appId(),
          app,
          (a, b) -> SemVer.COMPARATOR.compare(a.version(), b.version()) >= 0 ? a : b);
    }
    return newest.values().stream().sorted(Comparator.comparing(PublishedApp::appId)).toList();
  }

  /** Every published version of an app, newest first (as of at most the snapshot TTL ago). */
  public List<PublishedApp> publishedVersions(String appId) {
    return versions.get(appId);
  }

  private List<PublishedApp> readPublishedVersions(String appId) {
    return Plugin.<Plugin>list("appId = ?1 and status = ?2", appId, PluginStatus.PUBLISHED).stream()
        .map(this::published)
        .sorted(Comparator.comparing(PublishedApp::version, SemVer.COMPARATOR).reversed())
        .toList();
  }

  /** Whether runs of a plugin's app may start again after their job was lost. */
  @Transactional
  public boolean mayResubmit(UUID pluginId) {
    Plugin p = Plugin.findById(pluginId);
    return p == null || p.descriptor == null || published(p).descriptor().mayResubmit();
  }

  /**
   * The jars of the base apps a plugin builds on, newest published version of each, base first.
   *
   * @throws ProblemException 409 when a base is no longer published
   */
  public List<String> baseJars(UUID pluginId) {
    return bases.get(pluginId);
  }

  private List<String> readBaseJars(UUID pluginId) {
    Plugin p = Plugin.findById(pluginId);
    if (p == null || p.dependsOn == null || p.dependsOn.isBlank()) {
      return List.of();
    }
    List<String> shas = new ArrayList<>();
    for (String base : p.dependsOn.split(",")) {
      Plugin published =
          DerivedApps.newestPublished(base)
              .orElseThrow(
                  () ->
                      ProblemException.conflict(
                          p.appId + " builds on " + base + ", which is no longer published"));
      shas.add(published.jarSha256);
    }
    return List.copyOf(shas);
  }

  /** The jar of a plugin, for workers. */
  public Path jarPath(String sha256) {
    return data.pluginJar(sha256);
  }

  // ---------------------------------------------------------------- helpers

  private Plugin visible(Caller caller, UUID id) {
    Plugin p = Plugin.findById(id);
    if (p == null || !caller.canSee(p.vendorOrg)) {
      throw ProblemException.notFound("plugin " + id);
    }
    return p;
  }

  private static void requireRole(Caller caller, Role role) {
    if (caller.role() != role) {
      throw ProblemException.forbidden("only the " + role.id() + " role may do this");
    }
  }

  private static void requireStatus(Plugin p, PluginStatus expected, String action) {
    if (p.status != expected) {
      throw ProblemException.conflict(
          "cannot "
              + action
              + " plugin "
              + p.id
              + ": it is "
              + p.status
              + ", and only a "
              + expected
              + " plugin can be");
    }
  }

  private PublishedApp published(Plugin p) {
    return new PublishedApp(
        p.id,
        p.vendorOrg,
        p.jarSha256,
        JsonText.read(json, p.descriptor, AppDescriptor.class),
        p.publishedAt);
  }

  private PluginView view(Plugin p) {
    return new PluginView(
        p.id,
        p.vendorOrg,
        p.uploadedBy,
        p.fileName,
        p.jarSha256,
        p.jarSize,
        p.status,
        p.appId,
        p.appVersion,
        p.report == null ? null : JsonText.read(json, p.report, VerificationReport.class),
        p.reviewReason,
        p.reviewedBy,
        p.createdAt,
        p.updatedAt,
        p.publishedAt);
  }
}
