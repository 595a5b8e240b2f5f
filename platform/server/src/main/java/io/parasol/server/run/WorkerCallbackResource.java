package io.parasol.server.run;

import io.parasol.protocol.RunEvent;
import io.parasol.protocol.RunSpec;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Where workers report, with their run-scoped bearer token (not a user's credentials). */
@Path("/api/v1/worker/runs/{id}")
@Tag(name = "Worker callbacks")
@PermitAll
public class WorkerCallbackResource {

  /**
   * The answer to a batch of events.
   *
   * @param cancel true when the worker should stop the solver
   */
  public record EventsAnswer(boolean cancel) {}

  private final WorkerCallbackService callbacks;

  WorkerCallbackResource(WorkerCallbackService callbacks) {
    this.callbacks = callbacks;
  }

  @POST
  @Path("events")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "reportRunEvents",
      summary = "Report state, progress, log and metric events of a run")
  public EventsAnswer events(
      @PathParam("id") UUID id,
      @HeaderParam("Authorization") String authorization,
      List<RunEvent> events) {
    io.micrometer.core.instrument.Metrics.counter("parasol.worker.callbacks", "kind", "events")
        .increment();
    return new EventsAnswer(callbacks.ingest(id, bearer(authorization), events));
  }

  @GET
  @Path("spec")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "getRunSpec",
      summary = "The run's spec, for a worker on a Kubernetes or Slurm cluster")
  public RunSpec spec(
      @PathParam("id") UUID id, @HeaderParam("Authorization") String authorization) {
    return callbacks.remoteSpec(id, bearer(authorization));
  }

  @GET
  @Path("plugin")
  @Produces("application/java-archive")
  @Operation(operationId = "getRunPlugin", summary = "The run's plugin jar, for a remote worker")
  public Response plugin(
      @PathParam("id") UUID id, @HeaderParam("Authorization") String authorization) {
    java.nio.file.Path jar = callbacks.pluginJar(id, bearer(authorization));
    return Response.ok(jar.toFile(), "application/java-archive").build();
  }

  @GET
  @Path("dependencies/{n}")
  @Produces("application/java-archive")
  @Operation(
      operationId = "getRunDependency",
      summary = "The n-th base plugin jar of a derived app's run, for a remote worker")
  public Response dependency(
      @PathParam("id") UUID id,
      @PathParam("n") int n,
      @HeaderParam("Authorization") String authorization) {
    java.nio.file.Path jar = callbacks.dependencyJar(id, bearer(authorization), n);
    return Response.ok(jar.toFile(), "application/java-archive").build();
  }

  @GET
  @Path("inputs/{name}")
  @Produces(MediaType.APPLICATION_OCTET_STREAM)
  @Operation(operationId = "getRunInput", summary = "One input file of a run, for a remote worker")
  public Response input(
      @PathParam("id") UUID id,
      @PathParam("name") String name,
      @HeaderParam("Authorization") String authorization) {
    java.nio.file.Path file = callbacks.input(id, bearer(authorization), name);
    return Response.ok(file.toFile(), MediaType.APPLICATION_OCTET_STREAM).build();
  }

  @PUT
  @Path("outputs/{name: .+}")
  @Consumes(MediaType.APPLICATION_OCTET_STREAM)
  @Operation(operationId = "uploadRunOutput", summary = "Store one output file of a run")
  public Response output(
      @PathParam("id") UUID id,
      @PathParam("name") String name,
      @HeaderParam("Authorization") String authorization,
      InputStream body) {
    callbacks.storeOutput(id, bearer(authorization), name, body);
    return Response.noContent().build();
  }

  /** The token of a {@code Bearer} Authorization header, or null. */
  public static String bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return authorization.substring(7).trim();
  }
}
