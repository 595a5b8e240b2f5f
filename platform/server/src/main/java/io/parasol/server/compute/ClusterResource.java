package io.parasol.server.compute;

import io.parasol.server.compute.ClusterViews.ClusterRequest;
import io.parasol.server.compute.ClusterViews.ClusterView;
import io.parasol.server.compute.ClusterViews.PartitionRequest;
import io.parasol.server.compute.ClusterViews.PartitionView;
import io.parasol.server.scheduling.ClusterHealth;
import io.parasol.server.tenancy.CallerResolver;
import io.parasol.server.tenancy.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The compute registry: admins manage clusters and partitions; everyone reads partitions. */
@Path("/api/v1")
@Tag(name = "Clusters")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_ID)
public class ClusterResource {

  private final ClusterService clusters;
  private final ClusterHealth health;
  private final CallerResolver callers;

  ClusterResource(ClusterService clusters, ClusterHealth health, CallerResolver callers) {
    this.clusters = clusters;
    this.health = health;
    this.callers = callers;
  }

  @GET
  @Path("clusters")
  @Operation(operationId = "listClusters", summary = "Every cluster with its health")
  public List<ClusterView> list() {
    return clusters.clusters();
  }

  @GET
  @Path("clusters/{name}")
  @Operation(operationId = "getCluster", summary = "One cluster with its health")
  public ClusterView get(@PathParam("name") String name) {
    return clusters.cluster(name);
  }

  @POST
  @Path("clusters")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "createCluster", summary = "Register a Kubernetes or Slurm cluster")
  public Response create(ClusterRequest request) {
    ClusterView created = clusters.createCluster(callers.caller(), request);
    health.wake();
    return Response.status(201).entity(created).build();
  }

  @PATCH
  @Path("clusters/{name}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "updateCluster",
      summary = "Change a cluster's site, settings or enabled flag (absent fields stay)")
  public ClusterView update(@PathParam("name") String name, ClusterRequest request) {
    ClusterView updated = clusters.updateCluster(callers.caller(), name, request);
    health.forget(name);
    return updated;
  }

  @DELETE
  @Path("clusters/{name}")
  @Operation(operationId = "deleteCluster", summary = "Remove a cluster that has no partitions")
  public Response delete(@PathParam("name") String name) {
    clusters.deleteCluster(callers.caller(), name);
    health.forget(name);
    return Response.noContent().build();
  }

  @POST
  @Path("clusters/{name}/probe")
  @Operation(
      operationId = "probeCluster",
      summary = "Probe a cluster's backend now and answer its health")
  public ClusterView probe(@PathParam("name") String name) {
    clusters.cluster(name);
    health.probe(name);
    return clusters.cluster(name);
  }

  @GET
  @Path("partitions")
  @RolesAllowed({Role.ENGINEER_ID, Role.ISV_ID, Role.ADMIN_ID})
  @Operation(operationId = "listPartitions", summary = "Every partition, with its node type")
  public List<PartitionView> partitions() {
    return clusters.partitions();
  }

  @GET
  @Path("partitions/{name}")
  @RolesAllowed({Role.ENGINEER_ID, Role.ISV_ID, Role.ADMIN_ID})
  @Operation(operationId = "getPartition", summary = "One partition")
  public PartitionView partition(@PathParam("name") String name) {
    return clusters.partition(name);
  }

  @POST
  @Path("partitions")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "createPartition", summary = "Add a partition to a cluster")
  public Response createPartition(PartitionRequest request) {
    return Response.status(201).entity(clusters.createPartition(callers.caller(), request)).build();
  }

  @PATCH
  @Path("partitions/{name}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "updatePartition", summary = "Change a partition (absent fields stay)")
  public PartitionView updatePartition(@PathParam("name") String name, PartitionRequest request) {
    return clusters.updatePartition(callers.caller(), name, request);
  }

  @DELETE
  @Path("partitions/{name}")
  @Operation(
      operationId = "deletePartition",
      summary = "Remove a partition that has no queued or running runs")
  public Response deletePartition(@PathParam("name") String name) {
    clusters.deletePartition(callers.caller(), name);
    return Response.noContent().build();
  }
}
