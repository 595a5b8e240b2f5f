package io.parasol.server.monitoring;

import io.parasol.server.common.ProblemException;
import io.parasol.server.tenancy.Caller;
import io.parasol.server.tenancy.CallerResolver;
import io.parasol.server.tenancy.Role;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** A run's live metrics, findings and performance against its app's model. */
@Path("/api/v1/runs")
@Tag(name = "Monitoring")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.ENGINEER_ID, Role.ADMIN_ID})
public class MonitoringResource {

  /**
   * One event of a run's live stream.
   *
   * @param type {@code samples}, {@code findings} or {@code end}
   * @param at when it was sent
   * @param state the run's state
   * @param points new points by metric, for {@code samples}
   * @param findings the run's findings, for {@code findings} (when they changed)
   */
  public record StreamEvent(
      String type,
      Instant at,
      String state,
      Map<String, List<SampleStore.Point>> points,
      List<FindingService.FindingView> findings) {}

  private final MonitoringService monitoring;
  private final CallerResolver callers;
  private final MonitoringConfig config;

  MonitoringResource(
      MonitoringService monitoring, CallerResolver callers, MonitoringConfig config) {
    this.monitoring = monitoring;
    this.callers = callers;
    this.config = config;
  }

  @GET
  @Path("{id}/metrics")
  @Operation(
      operationId = "getRunMetrics",
      summary = "A run's metric series over a range, as means per step")
  public MonitoringService.Metrics metrics(
      @PathParam("id") UUID id,
      @QueryParam("names") String names,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("step") Long step) {
    List<String> wanted =
        names == null || names.isBlank()
            ? List.of()
            : Arrays.stream(names.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    return monitoring.metrics(
        callers.caller(), id, wanted, instant("from", from), instant("to", to), step);
  }

  @GET
  @Path("{id}/findings")
  @Operation(
      operationId = "getRunFindings",
      summary =
          "A run's bottleneck findings, with evidence and a right-sized cost where it applies")
  public List<FindingService.FindingView> findings(@PathParam("id") UUID id) {
    return monitoring.findings(callers.caller(), id);
  }

  @GET
  @Path("{id}/performance")
  @Operation(
      operationId = "getRunPerformance",
      summary = "A run's progress rate against its app's performance model, and its ETA")
  public MonitoringService.Performance performance(@PathParam("id") UUID id) {
    return monitoring.performance(callers.caller(), id);
  }

  @GET
  @Path("{id}/metrics/stream")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RestStreamElementType(MediaType.APPLICATION_JSON)
  @Blocking
  @Operation(
      operationId = "streamRunMetrics",
      summary = "A run's new samples and findings as server-sent events, until the run ends")
  public Multi<StreamEvent> stream(@PathParam("id") UUID id) {
    Caller caller = callers.caller();
    monitoring.run(caller, id);
    Map<String, Instant> sent = new HashMap<>();
    AtomicBoolean ended = new AtomicBoolean();
    List<List<FindingService.FindingView>> lastFindings = new java.util.ArrayList<>();
    lastFindings.add(List.of());
    Duration half = config.sampleInterval().dividedBy(2);
    Duration every = half.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : half;
    return Multi.createFrom()
        .ticks()
        .startingAfter(Duration.ofMillis(10))
        .every(every)
        .onOverflow()
        .drop()
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .map(tick -> poll(id, sent, lastFindings))
        .select()
        .where(e -> e != null)
        .select()
        .first(
            e -> {
              boolean before = ended.get();
              if ("end".equals(e.type())) {
                ended.set(true);
              }
              return !before;
            });
  }

  private StreamEvent poll(
      UUID id, Map<String, Instant> sent, List<List<FindingService.FindingView>> lastFindings) {
    var run = monitoring.run(id).orElse(null);
    if (run == null) {
      return new StreamEvent("end", Instant.now(), "GONE", null, null);
    }
    Instant cursor = Instant.now().minusSeconds(10);
    Map<String, List<SampleStore.Point>> fresh = new HashMap<>();
    monitoring
        .since(id, cursor)
        .forEach(
            (name, points) -> {
              Instant last = sent.get(name);
              List<SampleStore.Point> newer =
                  points.stream().filter(p -> last == null || p.at().isAfter(last)).toList();
              if (!newer.isEmpty()) {
                fresh.put(name, newer);
                sent.put(name, newer.get(newer.size() - 1).at());
              }
            });
    List<FindingService.FindingView> findings = monitoring.findings(id);
    boolean findingsChanged = !findings.equals(lastFindings.get(0));
    lastFindings.set(0, findings);
    if (run.state().isTerminal()) {
      return new StreamEvent("end", Instant.now(), run.state().name(), fresh, findings);
    }
    if (fresh.isEmpty() && !findingsChanged) {
      return null;
    }
    return new StreamEvent(
        findingsChanged && fresh.isEmpty() ? "findings" : "samples",
        Instant.now(),
        run.state().name(),
        fresh,
        findingsChanged ? findings : null);
  }

  private static Instant instant(String field, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw ProblemException.invalid(
          field, "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
    }
  }
}
