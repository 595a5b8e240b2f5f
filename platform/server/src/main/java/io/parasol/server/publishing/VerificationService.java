package io.parasol.server.publishing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parasol.protocol.VerificationReport;
import io.parasol.protocol.VerificationReport.Check;
import io.parasol.server.common.FileTrees;
import io.parasol.server.compute.SandboxedWorker;
import io.parasol.server.storage.DataDirectory;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Verifies uploaded plugins in sandboxed worker processes, a few at a time, off the request thread:
 * the archive check here, then {@code worker describe} under memory, time and output limits. The
 * server never loads the plugin's classes.
 */
@ApplicationScoped
public class VerificationService {

  private static final Logger LOG = Logger.getLogger(VerificationService.class);

  private final SandboxedWorker workers;
  private final DataDirectory data;
  private final PublishingConfig config;
  private final ObjectMapper json;
  private final ArchiveInspector inspector;
  private final ExecutorService pool;

  VerificationService(
      SandboxedWorker workers, DataDirectory data, PublishingConfig config, ObjectMapper json) {
    this.workers = workers;
    this.data = data;
    this.config = config;
    this.json = json;
    this.inspector =
        new ArchiveInspector(
            this.config.maxArchiveEntries(),
            this.config.maxUncompressedBytes().asLongValue(),
            this.config.maxCompressionRatio());
    this.pool =
        Executors.newFixedThreadPool(
            Math.max(1, this.config.verifyConcurrency()),
            r -> {
              Thread t = new Thread(r, "parasol-verify");
              t.setDaemon(true);
              return t;
            });
  }

  /** Verifies a jar in the background and hands the report to {@code done}. */
  void submit(UUID pluginId, Path jar, Consumer<VerificationReport> done) {
    pool.submit(
        () -> {
          VerificationReport report;
          try {
            report = verify(pluginId, jar);
          } catch (RuntimeException | IOException e) {
            LOG.errorf(e, "verification of plugin %s failed unexpectedly", pluginId);
            report =
                VerificationReport.failed(
                    "verification", "verification could not run: " + e.getMessage());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          io.micrometer.core.instrument.Metrics.counter(
                  "parasol.verifications", "outcome", report.passed() ? "passed" : "failed")
              .increment();
          done.accept(report);
        });
  }

  VerificationReport verify(UUID pluginId, Path jar) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    var refusal = inspector.inspect(jar);
    if (refusal.isPresent()) {
      return VerificationReport.failed("archive", refusal.get());
    }
    Check archive =
        new Check(
            "archive",
            true,
            "a readable JAR within the size limits",
            (System.nanoTime() - t0) / 1_000_000);
    List<String> bases;
    try {
      bases = DerivedApps.declared(jar);
    } catch (IllegalArgumentException e) {
      return VerificationReport.failed("dependencies", e.getMessage());
    }
    List<String> baseJars = new ArrayList<>();
    List<String> baseNames = new ArrayList<>();
    for (String base : bases) {
      Optional<Plugin> published = awaitPublished(base);
      if (published.isEmpty()) {
        return new VerificationReport(
            false,
            List.of(
                archive,
                new Check(
                    "dependencies",
                    false,
                    "this app builds on "
                        + base
                        + ", which is not published on this platform; publish "
                        + base
                        + " first",
                    0)),
            null);
      }
      Optional<String> notAllowed = derivationRefusal(pluginId, base);
      if (notAllowed.isPresent()) {
        return new VerificationReport(
            false, List.of(archive, new Check("dependencies", false, notAllowed.get(), 0)), null);
      }
      baseJars.add(data.pluginJar(published.get().jarSha256).toAbsolutePath().toString());
      baseNames.add(base + " " + published.get().appVersion);
    }

    Path dir = data.verifyDir(pluginId);
    FileTrees.deleteTree(dir);
    Files.createDirectories(dir);
    Path report = dir.resolve("report.json");
    Path console = dir.resolve("console.txt");
    long limitBytes = 64L * 1024 * 1024;
    Process process =
        workers.start(
            dir,
            console,
            new SandboxedWorker.Limits(config.verifyHeapMb(), 1, limitBytes),
            describeArgs(jar, dir, report, baseJars));
    boolean finished = process.waitFor(config.verifyTimeout().toMillis(), TimeUnit.MILLISECONDS);
    if (!finished) {
      workers.kill(process);
      process.waitFor(10, TimeUnit.SECONDS);
    }
    VerificationReport fromWorker =
        Files.exists(report) ? json.readValue(report.toFile(), VerificationReport.class) : null;
    List<Check> checks = new ArrayList<>();
    checks.add(archive);
    if (!bases.isEmpty()) {
      checks.add(new Check("dependencies", true, "builds on " + String.join(", ", baseNames), 0));
    }
    if (fromWorker != null) {
      checks.addAll(fromWorker.checks());
    }
    VerificationReport result;
    if (!finished) {
      checks.add(
          new Check(
              "self-test",
              false,
              "verification did not finish within "
                  + config.verifyTimeout().toSeconds()
                  + " s; the worker was killed",
              config.verifyTimeout().toMillis()));
      result =
          new VerificationReport(
              false, checks, fromWorker == null ? null : fromWorker.descriptor());
    } else if (process.exitValue() != 0 || fromWorker == null) {
      checks.add(new Check("worker", false, exitReason(process.exitValue(), console), 0));
      result =
          new VerificationReport(
              false, checks, fromWorker == null ? null : fromWorker.descriptor());
    } else {
      result = new VerificationReport(fromWorker.passed(), checks, fromWorker.descriptor());
    }
    FileTrees.deleteTree(dir.resolve("work"));
    return result;
  }

  private static List<String> describeArgs(Path jar, Path dir, Path report, List<String> baseJars) {
    List<String> args = new ArrayList<>();
    args.add("describe");
    args.add(jar.toAbsolutePath().toString());
    args.add(dir.resolve("work").toString());
    args.add(report.toString());
    args.addAll(baseJars);
    return args;
  }

  /**
   * The newest published version of a base app; when a version of it is still being verified (the
   * bundled examples are verified side by side), waits for that verification to end.
   */
  /** Why the uploading vendor may not build on {@code base}, if it may not (ADR 0009). */
  private Optional<String> derivationRefusal(UUID pluginId, String base) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Plugin upload = Plugin.findById(pluginId);
              AppOwner owner = AppOwner.findById(base);
              if (upload == null || owner == null || owner.allowsDerivationBy(upload.vendorOrg)) {
                return Optional.<String>empty();
              }
              return Optional.of(
                  "this app builds on "
                      + base
                      + ", whose vendor "
                      + owner.vendorOrg
                      + " does not allow "
                      + upload.vendorOrg
                      + " to build on it; ask them to allow it");
            });
  }

  private Optional<Plugin> awaitPublished(String appId) throws InterruptedException {
    long end = System.nanoTime() + config.verifyTimeout().toNanos() * 2;
    while (true) {
      Optional<Plugin> published =
          QuarkusTransaction.requiringNew().call(() -> DerivedApps.newestPublished(appId));
      boolean pending =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      Plugin.count("appId = ?1 and status = ?2", appId, PluginStatus.VERIFYING)
                          > 0);
      if (published.isPresent() || !pending || System.nanoTime() > end) {
        return published;
      }
      Thread.sleep(200);
    }
  }

  private String exitReason(int code, Path console) {
    return switch (code) {
      case SandboxedWorker.EXIT_OUT_OF_MEMORY ->
          "the plugin ran out of memory (limit "
              + config.verifyHeapMb()
              + " MiB) and the worker stopped";
      case SandboxedWorker.EXIT_FLOOD ->
          "the plugin wrote too much to standard output; the worker stopped it";
      default -> "the worker exited with code " + code + ": " + SandboxedWorker.tail(console, 400);
    };
  }

  @PreDestroy
  void shutdown() {
    pool.shutdownNow();
  }
}
