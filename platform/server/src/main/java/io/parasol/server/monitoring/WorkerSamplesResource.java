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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
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
  @RequestBody(
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              examples =
                  @ExampleObject(
                      name = "two frames",
                      value =
                          "[{\"at\":\"2026-11-29T10:00:00Z\",\"values\":{\"cpu_utilisation\":0.97,\"memory_used_bytes\":4.1e8,\"progress\":0.42,\"solver.residual\":1.2e-4}},{\"at\":\"2026-11-29T10:00:01Z\",\"values\":{\"cpu_utilisation\":0.95,\"progress\":0.43},\"unavailable\":[\"gpu_utilisation\"]}]")))
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
