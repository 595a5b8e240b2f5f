package io.parasol.server.compute;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the worker binary is in place: without it no plugin can be verified or run. */
@Readiness
@ApplicationScoped
public class WorkerReadiness implements HealthCheck {

  private final WorkerBinary binary;
  private final LocalBackend local;

  WorkerReadiness(WorkerBinary binary, LocalBackend local) {
    this.binary = binary;
    this.local = local;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("worker")
        .status(Files.isReadable(binary.jar()))
        .withData("jar", binary.jar().toString())
        .withData("localCores", local.capacity())
        .build();
  }
}
