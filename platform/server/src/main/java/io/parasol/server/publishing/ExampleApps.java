package io.parasol.server.publishing;

import io.parasol.server.common.Hashing;
import io.parasol.server.tenancy.Caller;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * On start of the embedded default, uploads the example apps bundled with the server through the
 * same verification pipeline as any vendor's upload, and publishes those that pass.
 */
@ApplicationScoped
public class ExampleApps {

  private static final Logger LOG = Logger.getLogger(ExampleApps.class);

  /** The bundled example jars, under /parasol/examples/. */
  static final List<String> BUNDLED =
      List.of("heat-transfer.jar", "cavity-flow.jar", "truss-fea.jar", "heat-transfer-gpu.jar");

  void publish(
      @Observes @Priority(20) StartupEvent event,
      ExamplesConfig config,
      PublishingService publishing) {
    if (!config.publishOnStart()) {
      return;
    }
    Caller vendor = Caller.system(config.vendorOrg());
    for (String name : BUNDLED) {
      try (InputStream in = ExampleApps.class.getResourceAsStream("/parasol/examples/" + name)) {
        if (in == null) {
          LOG.warnf("bundled example %s is missing from this build", name);
          continue;
        }
        byte[] bytes = in.readAllBytes();
        String sha =
            Hashing.copyAndHash(
                new ByteArrayInputStream(bytes), new ByteArrayOutputStream(), Long.MAX_VALUE);
        if (publishing.existsWithSha(sha)) {
          continue;
        }
        LOG.infof("publishing the bundled example %s", name);
        publishing.store(vendor, name, new ByteArrayInputStream(bytes), true);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
