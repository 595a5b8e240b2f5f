package io.parasol.server.compute;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parasol.plugin.api.AcceleratorKind;
import io.parasol.server.audit.AuditService;
import io.parasol.server.common.JsonText;
import io.parasol.server.common.ProblemException;
import io.parasol.server.common.ProblemException.FieldProblem;
import io.parasol.server.compute.ClusterViews.ClusterRequest;
import io.parasol.server.compute.ClusterViews.ClusterView;
import io.parasol.server.compute.ClusterViews.KubernetesMapping;
import io.parasol.server.compute.ClusterViews.KubernetesSettings;
import io.parasol.server.compute.ClusterViews.Mapping;
import io.parasol.server.compute.ClusterViews.NodeAccelerator;
import io.parasol.server.compute.ClusterViews.NodeType;
import io.parasol.server.compute.ClusterViews.PartitionRequest;
import io.parasol.server.compute.ClusterViews.PartitionView;
import io.parasol.server.compute.ClusterViews.Settings;
import io.parasol.server.compute.ClusterViews.SlurmMapping;
import io.parasol.server.compute.ClusterViews.SlurmSettings;
import io.parasol.server.compute.ClusterViews.Toleration;
import io.parasol.server.tenancy.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The compute registry: clusters (region, site, backend and its settings, health) and their
 * partitions (node type, node count, ownership, labels, backend mapping). Admins change it; every
 * signed-in user reads partitions to choose one. Impossible partitions are refused.
 */
@ApplicationScoped
public class ClusterService {

  static final Pattern NAME = io.parasol.server.common.Names.PATTERN;
  private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?");
  private static final Pattern LABEL_KEY =
      Pattern.compile(
          "([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile(
          "(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
  private static final Pattern API_VERSION = Pattern.compile("v0\\.0\\.3[6-8]");
  private static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");
  private static final int MAX_LABELS = 32;
  static final String DEFAULT_NAMESPACE = "parasol";
  static final String DEFAULT_API_VERSION = "v0.0.38";
  private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

  private final ObjectMapper json;
  private final AuditService audit;
  private final boolean defaultWorkerImage;

  @jakarta.inject.Inject
  jakarta.enterprise.event.Event<io.parasol.server.scheduling.PlacementInputsChanged> changed;

  ClusterService(ObjectMapper json, AuditService audit, ComputeConfig compute) {
    this.json = json;
    this.audit = audit;
    this.defaultWorkerImage = compute.kubernetes().image().isPresent();
  }

  // ---------------------------------------------------------------- clusters

  @Transactional
  public List<ClusterView> clusters() {
    return Cluster.<Cluster>list("order by region, site, name").stream().map(this::view).toList();
  }

  @Transactional
  public ClusterView cluster(String name) {
    return view(findCluster(name));
  }

  @Transactional
  public ClusterView createCluster(Caller caller, ClusterRequest request) {
    if (request == null) {
      throw ProblemException.badRequest("a cluster is required");
    }
    List<FieldProblem> problems = new ArrayList<>();
    checkName(problems, "name", request.name());
    if (request.backend() == Cluster.Backend.LOCAL) {
      problems.add(
          new FieldProblem(
              "backend", "the local cluster is built in; register kubernetes or slurm clusters"));
    }
    Settings settings = settings(problems, request);
    throwIf(problems);
    if (Cluster.findById(request.name()) != null) {
      throw ProblemException.conflict("a cluster named " + request.name() + " exists already");
    }
    Cluster c = new Cluster();
    c.name = request.name();
    c.region = request.region();
    c.site = request.site();
    c.backend = request.backend();
    c.settings = JsonText.write(json, settings);
    c.enabled = request.enabled() == null || request.enabled();
    // Healthy until a probe says otherwise: the first probe runs within one probe interval.
    c.healthy = true;
    c.createdAt = Instant.now();
    c.updatedAt = c.createdAt;
    c.persist();
    audit.record(caller, "cluster.create", "cluster", c.name, null, c.backend + " in " + c.site);
    changed.fire(new io.parasol.server.scheduling.PlacementInputsChanged("cluster.create"));
    return view(c);
  }

  @Transactional
  public ClusterView updateCluster(Caller caller, String name, ClusterRequest request) {
    Cluster c = findCluster(name);
    if (request == null) {
      throw ProblemException.badRequest("a cluster is required");
    }
    if (request.name() != null && !request.name().equals(name)) {
      throw ProblemException.invalid("name", "a cluster cannot be renamed");
    }
    if (request.backend() != null && request.backend() != c.backend) {
      throw ProblemException.invalid("backend", "a cluster's backend cannot change");
    }
    List<FieldProblem> problems = new ArrayList<>();
    ClusterRequest merged =
        new ClusterRequest(
            name,
            request.region() == null ? c.region : request.region(),
            request.site() == null ? c.site : request.site(),
            c.backend,
            request.enabled() == null ? c.enabled : request.enabled(),
            request.kubernetes() == null ? stored(c).kubernetes() : request.kubernetes(),
            request.slurm() == null ? stored(c).slurm() : request.slurm());
    Settings settings =
        c.backend == Cluster.Backend.LOCAL ? new Settings(null, null) : settings(problems, merged);
    throwIf(problems);
    c.region = merged.region();
    c.site = merged.site();
    c.enabled = merged.enabled();
    c.settings = JsonText.write(json, settings);
    c.updatedAt = Instant.now();
    audit.record(caller, "cluster.update", "cluster", c.name, null, null);
    changed.fire(new io.parasol.server.scheduling.PlacementInputsChanged("cluster.update"));
    return view(c);
  }

  @Transactional
  public void deleteCluster(Caller caller, String name) {
    // Locked, as the health prober writes the row: a probe finishing meanwhile waits, not
    // conflicts.
    Cluster c =
        name == null
            ? null
            : Cluster.findById(name, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
    if (c == null) {
      throw ProblemException.notFound("cluster " + name);
    }
    if (c.backend == Cluster.Backend.LOCAL) {
      throw ProblemException.conflict("the local cluster is built in; disable it instead");
    }
    if (ComputePartition.count("cluster", name) > 0) {
      throw ProblemException.conflict("the cluster still has partitions; delete them first");
    }
    c.delete();
    audit.record(caller, "cluster.delete", "cluster", name, null, null);
    changed.fire(new io.parasol.server.scheduling.PlacementInputsChanged("cluster.delete"));
  }

  private Settings settings(List<FieldProblem> problems, ClusterRequest r) {
    checkName(problems, "region", r.region());
    checkName(problems, "site", r.site());
    if (r.backend() == null) {
      problems.add(new FieldProblem("backend", "is required: kubernetes or slurm"));
      return new Settings(null, null);
    }
    return switch (r.backend()) {
      case LOCAL -> new Settings(null, null);
      case KUBERNETES -> {
        if (r.slurm() != null) {
          problems.add(new FieldProblem("slurm", "only applies to slurm clusters"));
        }
        yield new Settings(kubernetes(problems, r.kubernetes()), null);
      }
      case SLURM -> {
        if (r.kubernetes() != null) {
          problems.add(new FieldProblem("kubernetes", "only applies to kubernetes clusters"));
        }
        yield new Settings(null, slurm(problems, r.slurm()));
      }
    };
  }

  private KubernetesSettings kubernetes(List<FieldProblem> problems, KubernetesSettings k) {
    if (k == null && !defaultWorkerImage) {
      problems.add(new FieldProblem("kubernetes", "is required: at least the worker image"));
      return null;
    }
    if (k == null) {
      k = new KubernetesSettings(null, null, null, null, null, null, null, null, null);
    }
    checkUrl(problems, "kubernetes.apiServerUrl", k.apiServerUrl(), false);
    checkUrl(problems, "kubernetes.callbackUrl", k.callbackUrl(), false);
    String namespace = k.namespace() == null ? DEFAULT_NAMESPACE : k.namespace();
    checkName(problems, "kubernetes.namespace", namespace);
    String image = k.image();
    if (image == null ? !defaultWorkerImage : image.isBlank() || image.length() > 500) {
      problems.add(
          new FieldProblem(
              "kubernetes.image",
              "is required: the worker image (parasol.worker.kubernetes.image is not set)"));
    } else if (image != null && image.chars().anyMatch(Character::isWhitespace)) {
      problems.add(new FieldProblem("kubernetes.image", "must not contain white space"));
    }
    checkPath(problems, "kubernetes.tokenFile", k.tokenFile());
    checkPath(problems, "kubernetes.caCertFile", k.caCertFile());
    Integer timeout = k.requestTimeoutSeconds();
    if (timeout != null && (timeout < 1 || timeout > 300)) {
      problems.add(new FieldProblem("kubernetes.requestTimeoutSeconds", "must be 1 to 300"));
    }
    String runtimeClass = k.runtimeClassName();
    if (runtimeClass != null && !DNS_SUBDOMAIN.matcher(runtimeClass).matches()) {
      problems.add(
          new FieldProblem(
              "kubernetes.runtimeClassName",
              "must be a RuntimeClass name: lower-case letters, digits, '-' and '.', at most 253"));
    }
    List<String> cidrs = k.serverCidrs();
    if (cidrs != null) {
      if (cidrs.size() > 32) {
        problems.add(new FieldProblem("kubernetes.serverCidrs", "must hold at most 32 CIDRs"));
      } else {
        for (int i = 0; i < cidrs.size(); i++) {
          if (!Cidr.valid(cidrs.get(i))) {
            problems.add(
                new FieldProblem(
                    "kubernetes.serverCidrs[" + i + "]",
                    "must be an IPv4 or IPv6 CIDR, such as 10.0.0.0/16"));
          }
        }
      }
    }
    return new KubernetesSettings(
        k.apiServerUrl(),
        namespace,
        k.image(),
        k.tokenFile(),
        k.caCertFile(),
        k.callbackUrl(),
        timeout == null ? 10 : timeout,
        runtimeClass,
        cidrs == null
            ? null
            : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(cidrs)));
  }

  private static SlurmSettings slurm(List<FieldProblem> problems, SlurmSettings s) {
    SlurmSettings given =
        s == null
            ? new SlurmSettings(null, null, null, null, null, null, null, null, null, null)
            : s;
    checkUrl(problems, "slurm.restUrl", given.restUrl(), false);
    checkUrl(problems, "slurm.callbackUrl", given.callbackUrl(), false);
    String version = given.apiVersion() == null ? DEFAULT_API_VERSION : given.apiVersion();
    if (!API_VERSION.matcher(version).matches()) {
      problems.add(new FieldProblem("slurm.apiVersion", "must be v0.0.36, v0.0.37 or v0.0.38"));
    }
    if (given.restUrl() != null) {
      if (given.user() == null || !Pattern.matches("[a-z_][a-z0-9_-]{0,31}", given.user())) {
        problems.add(new FieldProblem("slurm.user", "is required with restUrl: a Unix user name"));
      }
      if (given.jwtKeyFile() == null) {
        problems.add(
            new FieldProblem(
                "slurm.jwtKeyFile", "is required with restUrl: the cluster's JWT key"));
      }
    }
    checkPath(problems, "slurm.jwtKeyFile", given.jwtKeyFile());
    checkPath(problems, "slurm.slurmConf", given.slurmConf());
    checkPath(problems, "slurm.binDir", given.binDir());
    checkPath(problems, "slurm.workerJava", given.workerJava());
    checkPath(problems, "slurm.workerJar", given.workerJar());
    String workDir = given.workDir() == null ? "/tmp/parasol-runs" : given.workDir();
    checkPath(problems, "slurm.workDir", workDir);
    return new SlurmSettings(
        given.restUrl(),
        version,
        given.user(),
        given.jwtKeyFile(),
        given.slurmConf(),
        given.binDir(),
        workDir,
        given.workerJava(),
        given.workerJar(),
        given.callbackUrl());
  }

  // ---------------------------------------------------------------- partitions

  @Transactional
  public List<PartitionView> partitions() {
    return ComputePartition.<ComputePartition>list("order by cluster, name").stream()
        .map(this::view)
        .toList();
  }

  @Transactional
  public PartitionView partition(String name) {
    return view(findPartition(name));
  }

  @Transactional
  public PartitionView createPartition(Caller caller, PartitionRequest request) {
    if (request == null) {
      throw ProblemException.badRequest("a partition is required");
    }
    List<FieldProblem> problems = new ArrayList<>();
    checkName(problems, "name", request.name());
    Cluster cluster = request.cluster() == null ? null : Cluster.findById(request.cluster());
    if (cluster == null) {
      problems.add(new FieldProblem("cluster", "names no registered cluster"));
    } else if (cluster.backend == Cluster.Backend.LOCAL) {
      problems.add(new FieldProblem("cluster", "the local cluster has one built-in partition"));
    }
    throwIf(problems);
    if (ComputePartition.findById(request.name()) != null) {
      throw ProblemException.conflict("a partition named " + request.name() + " exists already");
    }
    ComputePartition p = new ComputePartition();
    p.name = request.name();
    p.cluster = cluster.name;
    p.createdAt = Instant.now();
    apply(p, cluster, request);
    p.persist();
    audit.record(caller, "partition.create", "partition", p.name, null, "on " + p.cluster);
    changed.fire(new io.parasol.server.scheduling.PlacementInputsChanged("partition.create"));
    return view(p);
  }

  @Transactional
  public PartitionView updatePartition(Caller caller, String name, PartitionRequest request) {
    ComputePartition p = findPartition(name);
    if (request == null) {
      throw ProblemException.badRequest("a partition is required");
    }
    if (request.name() != null && !request.name().equals(name)) {
      throw ProblemException.invalid("name", "a partition cannot be renamed");
    }
    if (request.cluster() != null && !request.cluster().equals(p.cluster)) {
      throw ProblemException.invalid("cluster", "a partition cannot move to another cluster");
    }
    Cluster cluster = Cluster.findById(p.cluster);
    Mapping mapping = JsonText.read(json, p.mapping, Mapping.class);
    PartitionRequest merged =
        new PartitionRequest(
            name,
            p.cluster,
            request.nodeType() == null ? nodeType(p) : request.nodeType(),
            request.nodes() == null ? p.nodeCount : request.nodes(),
            request.ownership() == null ? p.ownership : request.ownership(),
            request.labels() == null ? labels(p) : request.labels(),
            request.enabled() == null ? p.enabled : request.enabled(),
            request.kubernetes() == null ? mapping.kubernetes() : request.kubernetes(),
            request.slurm() == null ? mapping.slurm() : request.slurm(),
            request.speed() == null ? p.speed : request.speed());
    if (cluster.backend == Cluster.Backend.LOCAL) {
      // Only switching the built-in partition on and off, and its labels, make sense.
      p.enabled = merged.enabled();
      List<FieldProblem> problems = new ArrayList<>();
      p.labels = JsonText.write(json, checkedLabels(problems, merged.labels()));
      p.speed = checkedSpeed(problems, merged.speed());
      throwIf(problems);
      p.updatedAt = Instant.now();
    } else {
      apply(p, cluster, merged);
    }
    audit.record(caller, "partition.update", "partition", p.name, null, null);
    changed.fire(new io.parasol.server.scheduling.PlacementInputsChanged("partition.update"));
    return view(p);
  }

  @Transactional
  public void deletePartition(Caller caller, String name) {
    ComputePartition p = findPartition(name);
    Cluster cluster = Cluster.findById(p.cluster);
    if (cluster.backend == Cluster.Backend.LOCAL) {
      throw ProblemException.conflict("the local partition is built in; disable it instead");
    }
    long inFlight =
        io.parasol.server.run.Run.count(
            "partitionName = ?1 and state in ?2",
            name,
            List.of(
                io.parasol.server.run.RunState.QUEUED,
                io.parasol.server.run.RunState.SCHEDULED,
                io.parasol.server.run.RunState.RUNNING));
    if (inFlight > 0) {
      throw ProblemException.conflict(
          inFlight + " run(s) are queued or running on the partition; disable it and wait");
    }
    p.delete();
    audit.record(caller, "partition.delete", "partition", name, null, null);
    changed.fire(new io.parasol.server.scheduling.PlacementInputsChanged("partition.delete"));
  }

  private void apply(ComputePartition p, Cluster cluster, PartitionRequest r) {
    List<FieldProblem> problems = new ArrayList<>();
    NodeType node = r.nodeType();
    NodeAccelerator accelerator = null;
    if (node == null) {
      problems.add(new FieldProblem("nodeType", "is required: cores and memory per node"));
    } else {
      if (node.cores() == null || node.cores() < 1 || node.cores() > 4096) {
        problems.add(new FieldProblem("nodeType.cores", "must be 1 to 4096 cores per node"));
      }
      if (node.memoryMb() == null || node.memoryMb() < 256 || node.memoryMb() > 64L << 20) {
        problems.add(
            new FieldProblem("nodeType.memoryMb", "must be 256 MiB to 64 TiB per node, in MiB"));
      }
      accelerator = node.accelerator();
      if (accelerator != null) {
        if (accelerator.kind() == null) {
          problems.add(new FieldProblem("nodeType.accelerator.kind", "must be GPU or FPGA"));
        }
        if (accelerator.model() == null || !MODEL.matcher(accelerator.model()).matches()) {
          problems.add(
              new FieldProblem(
                  "nodeType.accelerator.model", "is required: letters, digits, '.', '_', '-'"));
        }
        if (accelerator.count() < 1 || accelerator.count() > 64) {
          problems.add(
              new FieldProblem("nodeType.accelerator.count", "must be 1 to 64 cards per node"));
        }
      }
    }
    if (r.nodes() == null || r.nodes() < 1 || r.nodes() > 1_000_000) {
      problems.add(new FieldProblem("nodes", "must be 1 to 1000000"));
    }
    if (r.ownership() == null) {
      problems.add(new FieldProblem("ownership", "is required: OWNED or PURCHASED"));
    }
    Map<String, String> labels = checkedLabels(problems, r.labels());
    Mapping mapping = mapping(problems, cluster, r, accelerator);
    double speed = checkedSpeed(problems, r.speed());
    throwIf(problems);
    p.speed = speed;
    p.coresPerNode = node.cores();
    p.memoryMbPerNode = node.memoryMb();
    p.acceleratorKind = accelerator == null ? null : accelerator.kind();
    p.acceleratorModel = accelerator == null ? null : accelerator.model().toLowerCase(Locale.ROOT);
    p.acceleratorsPerNode = accelerator == null ? 0 : accelerator.count();
    p.nodeCount = r.nodes();
    p.ownership = r.ownership();
    p.labels = JsonText.write(json, labels);
    p.mapping = JsonText.write(json, mapping);
    p.enabled = r.enabled() == null || r.enabled();
    p.updatedAt = Instant.now();
  }

  /** A partition's speed relative to the reference node: what it does in an hour, in hours. */
  private static double checkedSpeed(List<FieldProblem> problems, Double speed) {
    if (speed == null) {
      return 1.0;
    }
    if (!(speed >= 0.05 && speed <= 20)) {
      problems.add(
          new FieldProblem("speed", "must be 0.05 to 20 (1 = as fast as the reference node)"));
      return 1.0;
    }
    return speed;
  }

  private static Mapping mapping(
      List<FieldProblem> problems,
      Cluster cluster,
      PartitionRequest r,
      NodeAccelerator accelerator) {
    if (cluster.backend == Cluster.Backend.KUBERNETES) {
      if (r.slurm() != null) {
        problems.add(new FieldProblem("slurm", "only applies to partitions of slurm clusters"));
      }
      KubernetesMapping k =
          r.kubernetes() == null ? new KubernetesMapping(null, null, null) : r.kubernetes();
      Map<String, String> selector = k.nodeSelector() == null ? Map.of() : k.nodeSelector();
      selector.forEach(
          (key, value) -> {
            if (key == null || !LABEL_KEY.matcher(key).matches()) {
              problems.add(
                  new FieldProblem(
                      "kubernetes.nodeSelector", "'" + key + "' is not a Kubernetes label key"));
            } else if (value == null || !LABEL_VALUE.matcher(value).matches()) {
              problems.add(
                  new FieldProblem(
                      "kubernetes.nodeSelector." + key, "is not a Kubernetes label value"));
            }
          });
      List<Toleration> tolerations = k.tolerations() == null ? List.of() : k.tolerations();
      for (int i = 0; i < tolerations.size(); i++) {
        Toleration t = tolerations.get(i);
        String at = "kubernetes.tolerations[" + i + "]";
        String operator = t == null || t.operator() == null ? "Equal" : t.operator();
        if (t == null) {
          problems.add(new FieldProblem(at, "must be an object"));
          continue;
        }
        if (!operator.equals("Equal") && !operator.equals("Exists")) {
          problems.add(new FieldProblem(at + ".operator", "must be Equal or Exists"));
        }
        if (t.key() != null && !LABEL_KEY.matcher(t.key()).matches()) {
          problems.add(new FieldProblem(at + ".key", "is not a taint key"));
        }
        if (operator.equals("Equal") && t.key() == null) {
          problems.add(new FieldProblem(at + ".key", "is required with operator Equal"));
        }
        if (operator.equals("Exists") && t.value() != null) {
          problems.add(new FieldProblem(at + ".value", "must be absent with operator Exists"));
        }
        if (t.value() != null && !LABEL_VALUE.matcher(t.value()).matches()) {
          problems.add(new FieldProblem(at + ".value", "is not a taint value"));
        }
        if (t.effect() != null && !EFFECTS.contains(t.effect())) {
          problems.add(
              new FieldProblem(
                  at + ".effect", "must be NoSchedule, PreferNoSchedule or NoExecute"));
        }
      }
      String resource = k.acceleratorResource();
      if (accelerator == null && resource != null) {
        problems.add(
            new FieldProblem(
                "kubernetes.acceleratorResource", "the partition's nodes have no accelerator"));
      }
      if (accelerator != null && resource == null) {
        if (accelerator.kind() == AcceleratorKind.GPU) {
          resource = "nvidia.com/gpu";
        } else {
          problems.add(
              new FieldProblem(
                  "kubernetes.acceleratorResource",
                  "is required for FPGAs: the extended resource name, e.g. xilinx.com/fpga-..."));
        }
      }
      if (resource != null && (!resource.contains("/") || !LABEL_KEY.matcher(resource).matches())) {
        problems.add(
            new FieldProblem(
                "kubernetes.acceleratorResource",
                "must be an extended resource name such as nvidia.com/gpu"));
      }
      return new Mapping(
          new KubernetesMapping(new TreeMap<>(selector), tolerations, resource), null);
    }
    if (cluster.backend == Cluster.Backend.SLURM) {
      if (r.kubernetes() != null) {
        problems.add(
            new FieldProblem("kubernetes", "only applies to partitions of kubernetes clusters"));
      }
      SlurmMapping s = r.slurm() == null ? new SlurmMapping(null, null, null) : r.slurm();
      String partition = s.partition() == null ? r.name() : s.partition();
      if (partition == null || !MODEL.matcher(partition).matches()) {
        problems.add(new FieldProblem("slurm.partition", "is not a Slurm partition name"));
      }
      String gresName = s.gresName();
      String gresType = s.gresType();
      if (accelerator == null && (gresName != null || gresType != null)) {
        problems.add(new FieldProblem("slurm", "GRES needs an accelerator in the node type"));
      }
      if (accelerator != null) {
        if (gresName == null) {
          if (accelerator.kind() == AcceleratorKind.GPU) {
            gresName = "gpu";
          } else {
            problems.add(new FieldProblem("slurm.gresName", "is required for FPGAs"));
          }
        }
        if (gresType == null && accelerator.model() != null) {
          gresType = accelerator.model().toLowerCase(Locale.ROOT);
        }
      }
      for (String v : new String[] {gresName, gresType}) {
        if (v != null && !MODEL.matcher(v).matches()) {
          problems.add(new FieldProblem("slurm", "'" + v + "' is not a GRES name or type"));
        }
      }
      return new Mapping(null, new SlurmMapping(partition, gresName, gresType));
    }
    return new Mapping(null, null);
  }

  private static Map<String, String> checkedLabels(
      List<FieldProblem> problems, Map<String, String> labels) {
    Map<String, String> checked = new TreeMap<>();
    if (labels == null) {
      return checked;
    }
    if (labels.size() > MAX_LABELS) {
      problems.add(new FieldProblem("labels", "at most " + MAX_LABELS + " labels"));
      return checked;
    }
    labels.forEach(
        (k, v) -> {
          if (k == null || !LABEL_KEY.matcher(k).matches()) {
            problems.add(new FieldProblem("labels", "'" + k + "' is not a label key"));
          } else if (v == null || v.isEmpty() || !LABEL_VALUE.matcher(v).matches()) {
            problems.add(new FieldProblem("labels." + k, "is not a label value"));
          } else {
            checked.put(k, v);
          }
        });
    return checked;
  }

  // ---------------------------------------------------------------- reads for other features

  /** The stored settings of a cluster. */
  public Settings stored(Cluster c) {
    return JsonText.read(json, c.settings, Settings.class);
  }

  /** The stored backend mapping of a partition. */
  public Mapping mapping(ComputePartition p) {
    return JsonText.read(json, p.mapping, Mapping.class);
  }

  /** The labels of a partition. */
  public Map<String, String> labels(ComputePartition p) {
    return JsonText.read(json, p.labels, LABELS);
  }

  static NodeType nodeType(ComputePartition p) {
    return new NodeType(
        p.coresPerNode,
        p.memoryMbPerNode,
        p.acceleratorKind == null
            ? null
            : new NodeAccelerator(p.acceleratorKind, p.acceleratorModel, p.acceleratorsPerNode));
  }

  private Cluster findCluster(String name) {
    Cluster c = name == null ? null : Cluster.findById(name);
    if (c == null) {
      throw ProblemException.notFound("cluster " + name);
    }
    return c;
  }

  private ComputePartition findPartition(String name) {
    ComputePartition p = name == null ? null : ComputePartition.findById(name);
    if (p == null) {
      throw ProblemException.notFound("partition " + name);
    }
    return p;
  }

  ClusterView view(Cluster c) {
    Settings s = stored(c);
    return new ClusterView(
        c.name,
        c.region,
        c.site,
        c.backend,
        c.enabled,
        new ClusterViews.Health(c.healthy, c.healthReason, c.checkedAt, c.failures),
        s.kubernetes(),
        s.slurm(),
        ComputePartition.<ComputePartition>list("cluster = ?1 order by name", c.name).stream()
            .map(p -> p.name)
            .toList(),
        c.createdAt,
        c.updatedAt);
  }

  PartitionView view(ComputePartition p) {
    Cluster c = Cluster.findById(p.cluster);
    Mapping m = mapping(p);
    return new PartitionView(
        p.name,
        p.cluster,
        c.region,
        c.site,
        c.backend,
        nodeType(p),
        p.nodeCount,
        p.ownership,
        labels(p),
        p.enabled,
        c.enabled && c.healthy,
        m.kubernetes(),
        m.slurm(),
        p.speed,
        p.createdAt,
        p.updatedAt);
  }

  private static void checkName(List<FieldProblem> problems, String field, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      problems.add(new FieldProblem(field, io.parasol.server.common.Names.RULE));
    }
  }

  private static void checkUrl(
      List<FieldProblem> problems, String field, String value, boolean required) {
    if (value == null) {
      if (required) {
        problems.add(new FieldProblem(field, "is required"));
      }
      return;
    }
    try {
      URI uri = new URI(value);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null
          || value.length() > 500) {
        problems.add(new FieldProblem(field, "must be an http or https URL"));
      }
    } catch (java.net.URISyntaxException e) {
      problems.add(new FieldProblem(field, "must be an http or https URL"));
    }
  }

  private static void checkPath(List<FieldProblem> problems, String field, String value) {
    if (value != null
        && (!value.startsWith("/")
            || value.length() > 500
            || value.contains("/../")
            || value.endsWith("/..")
            || value.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f))) {
      problems.add(new FieldProblem(field, "must be an absolute path"));
    }
  }

  private static void throwIf(List<FieldProblem> problems) {
    if (!problems.isEmpty()) {
      throw ProblemException.invalid("the request is not a valid registry entry", problems);
    }
  }
}
