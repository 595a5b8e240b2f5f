package io.parasol.server.run;

import io.parasol.server.common.Page;
import io.parasol.server.common.ProblemException;
import io.parasol.server.run.RunViews.LaunchRequest;
import io.parasol.server.run.RunViews.RunView;
import io.parasol.server.tenancy.CallerResolver;
import io.parasol.server.tenancy.Role;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Launching runs and following them to their results. */
@Path("/api/v1/runs")
@Tag(name = "Runs")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.ENGINEER_ID, Role.ADMIN_ID})
public class RunResource {

  private final RunService runs;
  private final CallerResolver callers;

  RunResource(RunService runs, CallerResolver callers) {
    this.runs = runs;
    this.callers = callers;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Role.ENGINEER_ID)
  @Operation(
      operationId = "launchRun",
      summary = "Launch a run; a retry with the same Idempotency-Key returns the same run")
  @RequestBody(
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              examples =
                  @ExampleObject(
                      name = "heat-transfer",
                      value =
                          "{\"appId\":\"heat-transfer\",\"inputs\":{\"nx\":51,\"ny\":51,\"duration\":60,\"material\":\"aluminium\",\"cores\":2},\"objective\":\"balanced\",\"priority\":\"normal\"}")))
  public Uni<Response> launch(
      LaunchRequest request, @HeaderParam("Idempotency-Key") String idempotencyKey) {
    return runs.launch(callers.caller(), request, idempotencyKey)
        .map(
            launched -> {
              URI location = URI.create("/api/v1/runs/" + launched.run().id());
              return launched.created()
                  ? Response.created(location).entity(launched.run()).build()
                  : Response.ok(launched.run()).location(location).build();
            });
  }

  @POST
  @Path("quote")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Role.ENGINEER_ID)
  @Operation(
      operationId = "quoteRun",
      summary = "Price a launch: at the expected wall time and at most (the hold)")
  @RequestBody(
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              examples =
                  @ExampleObject(
                      name = "heat-transfer, fastest",
                      value =
                          "{\"appId\":\"heat-transfer\",\"inputs\":{\"nx\":101,\"ny\":101,\"duration\":600},\"objective\":\"fastest\"}")))
  public RunViews.QuoteView quote(LaunchRequest request) {
    return runs.quote(callers.caller(), request);
  }

  @GET
  @Operation(operationId = "listRuns", summary = "List your org's runs, newest first")
  public Page<RunView> list(
      @QueryParam("state") String state,
      @QueryParam("page") @DefaultValue("0") int page,
      @QueryParam("size") @DefaultValue("50") int size) {
    return runs.list(
        callers.caller(),
        Optional.ofNullable(state).filter(s -> !s.isBlank()).map(RunState::parse),
        page,
        size);
  }

  @GET
  @Path("{id}")
  @Operation(
      operationId = "getRun",
      summary = "Show a run: state, progress, times, pinned version and transitions")
  public RunView get(@PathParam("id") UUID id) {
    return runs.get(callers.caller(), id);
  }

  @POST
  @Path("{id}/cancel")
  @Operation(operationId = "cancelRun", summary = "Cancel a run that has not ended")
  public RunView cancel(@PathParam("id") UUID id) {
    return runs.cancel(callers.caller(), id);
  }

  @GET
  @Path("{id}/logs")
  @Produces(MediaType.TEXT_PLAIN)
  @Operation(
      operationId = "getRunLogs",
      summary = "The run's log (source=solver) or its worker's console (source=console)")
  public String logs(
      @PathParam("id") UUID id, @QueryParam("source") @DefaultValue("solver") String source) {
    if (!source.equals("solver") && !source.equals("console")) {
      throw ProblemException.invalid("source", "must be solver or console");
    }
    return runs.logs(callers.caller(), id, source.equals("console"));
  }

  @GET
  @Path("{id}/outputs")
  @Operation(operationId = "listRunOutputs", summary = "List the run's output files")
  public List<RunViews.Output> outputs(@PathParam("id") UUID id) {
    return runs.outputs(callers.caller(), id);
  }

  @GET
  @Path("{id}/outputs/{name: .+}")
  @Produces(MediaType.WILDCARD)
  @Operation(operationId = "downloadRunOutput", summary = "Download one output file")
  public Response output(@PathParam("id") UUID id, @PathParam("name") String name) {
    Map.Entry<java.nio.file.Path, String> file = runs.output(callers.caller(), id, name);
    String fileName = file.getKey().getFileName().toString();
    return Response.ok(file.getKey().toFile(), file.getValue())
        .header("Content-Disposition", "inline; filename=\"" + fileName + "\"")
        .build();
  }
}
