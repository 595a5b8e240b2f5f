package io.parasol.server.compute;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Ready only while the worker binary is in place and plugin code can be confined on this machine
 * (the worker's {@code check-sandbox}: bubblewrap and namespaces): without them no plugin can be
 * verified or run here. A server whose local compute is off stays ready without the sandbox (its
 * runs are confined on their clusters) and says so in {@code sandbox}; uploads are then refused
 * verification with the reason. The development setting {@code parasol.worker.unconfined} shows as
 * {@code sandbox: unconfined}; it is refused unless the server listens on loopback.
 */
@Readiness
@ApplicationScoped
public class WorkerReadiness implements HealthCheck {

  private static final Logger LOG = Logger.getLogger(WorkerReadiness.class);

  private final WorkerBinary binary;
  private final LocalBackend local;
  private final ComputeConfig config;
  private final String httpHost;
  private volatile String sandbox;
  private volatile long checkedAt;

  WorkerReadiness(
      WorkerBinary binary,
      LocalBackend local,
      ComputeConfig config,
      @ConfigProperty(name = "quarkus.http.host", defaultValue = "0.0.0.0") String httpHost) {
    this.binary = binary;
    this.local = local;
    this.config = config;
    this.httpHost = httpHost;
  }

  void refuseUnconfinedBeyondLoopback(@Observes StartupEvent event) {
    if (config.unconfined() && !loopback(httpHost)) {
      throw new IllegalStateException(
          "parasol.worker.unconfined runs plugin code without the sandbox and is a development"
              + " setting: it is allowed only while quarkus.http.host is a loopback address, not "
              + httpHost);
    }
    Thread check = new Thread(this::sandbox, "parasol-sandbox-check");
    check.setDaemon(true);
    check.start();
    if (config.unconfined()) {
      LOG.warn(
          "parasol.worker.unconfined is set: plugin code runs WITHOUT the sandbox (development"
              + " only)");
    }
  }

  @Override
  public HealthCheckResponse call() {
    String status = sandbox();
    boolean confined = "bubblewrap".equals(status);
    // a server that runs nothing here (its runs go to clusters, where the worker confines plugin
    // code itself) stays ready; plugin uploads are refused verification with the reason
    boolean runsHere = config.local().enabled();
    return HealthCheckResponse.named("worker")
        .status(Files.isReadable(binary.jar()) && (confined || config.unconfined() || !runsHere))
        .withData("jar", binary.jar().getFileName().toString())
        .withData("localCores", local.capacity())
        .withData("sandbox", config.unconfined() ? "unconfined (development setting)" : status)
        .build();
  }

  /** What the worker says of the sandbox here, asked once (again a minute after a failure). */
  String sandbox() {
    String known = sandbox;
    if (known != null
        && ("bubblewrap".equals(known)
            || System.currentTimeMillis() - checkedAt < TimeUnit.MINUTES.toMillis(1))) {
      return known;
    }
    synchronized (this) {
      String java =
          config.java().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      try {
        Process p =
            new ProcessBuilder(
                    List.of(
                        java,
                        "-Xmx64m",
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        binary.jar().toString(),
                        "check-sandbox"))
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String said = new String(p.getInputStream().readNBytes(4000), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          said = "unavailable: the sandbox check did not finish";
        }
        known =
            said.strip().isEmpty() ? "unavailable: the sandbox check said nothing" : said.strip();
      } catch (IOException e) {
        known = "unavailable: the worker could not be started (" + e.getMessage() + ")";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        known = "unavailable: interrupted";
      }
      sandbox = known;
      checkedAt = System.currentTimeMillis();
      if (!"bubblewrap".equals(known) && !config.unconfined()) {
        LOG.errorf("plugin code cannot be confined on this machine, so none is run: %s", known);
      }
      return known;
    }
  }

  private static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (IOException e) {
      return false;
    }
  }
}
