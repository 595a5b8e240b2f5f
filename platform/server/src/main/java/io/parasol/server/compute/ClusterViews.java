package io.parasol.server.compute;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.parasol.plugin.api.AcceleratorKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Requests and answers of the cluster registry API, and the JSON kept in its tables. */
public final class ClusterViews {

  private ClusterViews() {}

  /**
   * How to reach a Kubernetes cluster and what its worker pods look like.
   *
   * @param apiServerUrl the API server; absent: the service account of the pod Parasol runs in
   * @param namespace where run Jobs are created
   * @param image the worker image
   * @param tokenFile a file holding the bearer token for the API server
   * @param caCertFile the API server's CA certificate
   * @param callbackUrl how workers in the cluster reach this server
   * @param requestTimeoutSeconds the API request timeout
   * @param runtimeClassName the RuntimeClass run pods use (gVisor or Kata, for example); absent:
   *     the cluster's default runtime
   * @param serverCidrs where the server is, as the run pods' network policy lets them reach it
   *     (CIDRs); absent: the addresses the callback URL's host resolves to from this server
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record KubernetesSettings(
      String apiServerUrl,
      String namespace,
      String image,
      String tokenFile,
      String caCertFile,
      String callbackUrl,
      Integer requestTimeoutSeconds,
      String runtimeClassName,
      List<String> serverCidrs) {}

  /**
   * How to reach a Slurm cluster: slurmrestd with a JWT the server mints from the cluster's key, or
   * the Slurm CLI when no REST URL is set.
   *
   * @param restUrl slurmrestd, for example {@code http://slurm-head:6820}
   * @param apiVersion the slurmrestd API version (v0.0.36 to v0.0.38)
   * @param user the Slurm user jobs are submitted as
   * @param jwtKeyFile the HS256 key slurmctld checks JWTs with ({@code AuthAltParameters=jwt_key})
   * @param slurmConf SLURM_CONF for the CLI
   * @param binDir where sbatch, scontrol and scancel are; absent: the PATH
   * @param workDir a directory on the cluster's shared file system for run work directories
   * @param workerJava the java executable on the compute nodes
   * @param workerJar the worker jar on the compute nodes; absent: this server's copy
   * @param callbackUrl how workers on the cluster reach this server
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SlurmSettings(
      String restUrl,
      String apiVersion,
      String user,
      String jwtKeyFile,
      String slurmConf,
      String binDir,
      String workDir,
      String workerJava,
      String workerJar,
      String callbackUrl) {}

  /** A cluster's backend settings as stored; only the one of its backend is set. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Settings(KubernetesSettings kubernetes, SlurmSettings slurm) {}

  /**
   * A cluster to register or change.
   *
   * @param name kebab-case, unique
   * @param region the region, for example {@code eu-west}
   * @param site the data centre (IDC) in the region
   * @param backend local, kubernetes or slurm
   * @param enabled false keeps new runs off it
   * @param kubernetes settings of a Kubernetes cluster
   * @param slurm settings of a Slurm cluster
   */
  public record ClusterRequest(
      String name,
      String region,
      String site,
      Cluster.Backend backend,
      Boolean enabled,
      KubernetesSettings kubernetes,
      SlurmSettings slurm) {}

  /** A cluster with its health. */
  public record ClusterView(
      String name,
      String region,
      String site,
      Cluster.Backend backend,
      boolean enabled,
      Health health,
      KubernetesSettings kubernetes,
      SlurmSettings slurm,
      List<String> partitions,
      Instant createdAt,
      Instant updatedAt) {}

  /**
   * What the last probes said.
   *
   * @param healthy whether new runs may be placed there
   * @param reason why it is unhealthy, or the last probe failure
   * @param checkedAt when it was last probed
   * @param failures probes failed in a row
   */
  public record Health(boolean healthy, String reason, Instant checkedAt, int failures) {}

  /**
   * One accelerator model on each node.
   *
   * @param kind GPU or FPGA
   * @param model the model, for example {@code a100}
   * @param count cards per node
   */
  public record NodeAccelerator(AcceleratorKind kind, String model, int count) {}

  /**
   * What one node of a partition has.
   *
   * @param cores cores per node
   * @param memoryMb memory per node in MiB
   * @param accelerator accelerators per node, if any
   */
  public record NodeType(Integer cores, Long memoryMb, NodeAccelerator accelerator) {}

  /**
   * A Kubernetes toleration.
   *
   * @param key the taint key
   * @param operator Equal or Exists
   * @param value the taint value (Equal only)
   * @param effect NoSchedule, PreferNoSchedule or NoExecute; absent: all
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Toleration(String key, String operator, String value, String effect) {}

  /**
   * Where a partition's pods go on Kubernetes.
   *
   * @param nodeSelector node labels the pods require
   * @param tolerations taints the pods tolerate
   * @param acceleratorResource the extended resource of the accelerator, for example {@code
   *     nvidia.com/gpu}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record KubernetesMapping(
      Map<String, String> nodeSelector, List<Toleration> tolerations, String acceleratorResource) {}

  /**
   * Where a partition's jobs go on Slurm.
   *
   * @param partition the Slurm partition
   * @param gresName the GRES name of the accelerator ({@code gpu} for GPUs)
   * @param gresType the GRES type, for example {@code a100}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SlurmMapping(String partition, String gresName, String gresType) {}

  /** A partition's backend mapping as stored; only the one of its cluster's backend is set. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Mapping(KubernetesMapping kubernetes, SlurmMapping slurm) {}

  /**
   * A partition to register or change.
   *
   * @param name kebab-case, unique over all clusters (prices refer to it)
   * @param cluster the cluster it belongs to
   * @param nodeType what each node has
   * @param nodes how many nodes
   * @param ownership owned hardware or purchased external compute
   * @param labels labels such as data residency
   * @param enabled false keeps new runs off it
   * @param kubernetes the Kubernetes mapping (Kubernetes clusters only)
   * @param slurm the Slurm mapping (Slurm clusters only)
   */
  public record PartitionRequest(
      String name,
      String cluster,
      NodeType nodeType,
      Integer nodes,
      ComputePartition.Ownership ownership,
      Map<String, String> labels,
      Boolean enabled,
      KubernetesMapping kubernetes,
      SlurmMapping slurm,
      Double speed) {}

  /** A partition as the API shows it. */
  public record PartitionView(
      String name,
      String cluster,
      String region,
      String site,
      Cluster.Backend backend,
      NodeType nodeType,
      int nodes,
      ComputePartition.Ownership ownership,
      Map<String, String> labels,
      boolean enabled,
      boolean healthy,
      KubernetesMapping kubernetes,
      SlurmMapping slurm,
      double speed,
      Instant createdAt,
      Instant updatedAt) {}
}
