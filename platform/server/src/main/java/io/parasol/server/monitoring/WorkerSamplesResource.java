package io.parasol.server.monitoring;

import io.parasol.protocol.MetricFrame;
import io.parasol.server.run.WorkerCallbackResource;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Where workers send their samples, with the run-scoped bearer token. */
@Path("/api/v1/worker/runs/{id}")
@Tag(name = "Worker callbacks")
@PermitAll
public class WorkerSamplesResource {

  private final MonitoringService monitoring;

  WorkerSamplesResource(MonitoringService monitoring) {
    this.monitoring = monitoring;
  }

  @POST
  @Path("samples")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "reportRunSamples",
      summary = "Report a batch of sampled metrics of a run (at most 500 frames)")
  public Response samples(
      @PathParam("id") UUID id,
      @HeaderParam("Authorization") String authorization,
      List<MetricFrame> frames) {
    io.micrometer.core.instrument.Metrics.counter("parasol.worker.callbacks", "kind", "samples")
        .increment();
    monitoring.ingest(id, WorkerCallbackResource.bearer(authorization), frames);
    return Response.accepted().build();
  }
}
