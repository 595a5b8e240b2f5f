package io.parasol.server.compute;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobList;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.ScalableResource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.parasol.protocol.PluginContainer;
import io.parasol.server.compute.ClusterViews.KubernetesMapping;
import io.parasol.server.compute.ClusterViews.KubernetesSettings;
import io.parasol.server.storage.DataDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Runs each run as one batch/v1 Job through the fabric8 client: requests and limits from the
 * allocation, accelerators as extended resources, the partition's node selector and tolerations,
 * labels tying the Job to its run, {@code activeDeadlineSeconds} from the wall time, the run token
 * in a Secret. An informer watches the Jobs; cancel deletes the Job; Jobs of runs that are no
 * longer in flight are collected.
 */
final class KubernetesBackend implements ComputeBackend {

  private static final Logger LOG = Logger.getLogger(KubernetesBackend.class);

  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String PARASOL = "parasol";
  static final String RUN_ID = "parasol.io/run-id";
  static final String ATTEMPT = "parasol.io/attempt";
  static final String PARTITION = "parasol.io/partition";
  static final String JOB_NAME = "job-name";
  static final String WORKER_JAR = "/opt/parasol/worker.jar";
  static final String RUN_DIR = "/work/run";
  static final String CODE = "/work/code";

  /** The supervisor's user: the worker image's. */
  static final long SUPERVISOR_UID = 1000;

  /** The plugin container's user, another than the supervisor's. */
  static final long PLUGIN_UID = 1001;

  /** The supervisor container's memory: its 128 MiB heap and the JVM around it. */
  static final long SUPERVISOR_MEMORY_MB = 384;

  private static final Duration ORPHAN_AGE = Duration.ofMinutes(10);

  private final String cluster;
  private final KubernetesSettings settings;
  private final ComputeConfig config;
  private final ComputeConfig.Kubernetes jobs;
  private final DataDirectory data;
  private final String callbackUrl;
  private final KubernetesClient client;
  private final Map<String, TrackedJob> tracked = new ConcurrentHashMap<>();
  private SharedIndexInformer<Job> informer;

  KubernetesBackend(
      String cluster,
      KubernetesSettings settings,
      ComputeConfig config,
      DataDirectory data,
      String callbackUrl) {
    this.cluster = cluster;
    this.settings = settings;
    this.config = config;
    this.jobs = config.kubernetes();
    this.data = data;
    this.callbackUrl = callbackUrl;
    this.client = new KubernetesClientBuilder().withConfig(clientConfig(settings)).build();
  }

  private static Config clientConfig(KubernetesSettings s) {
    ConfigBuilder b =
        s.apiServerUrl() == null
            ? new ConfigBuilder(Config.autoConfigure(null))
            : new ConfigBuilder(Config.empty()).withMasterUrl(s.apiServerUrl());
    int timeoutMs = (s.requestTimeoutSeconds() == null ? 10 : s.requestTimeoutSeconds()) * 1000;
    b.withNamespace(s.namespace())
        .withRequestTimeout(timeoutMs)
        .withConnectionTimeout(timeoutMs)
        .withRequestRetryBackoffLimit(2)
        .withRequestRetryBackoffInterval(250);
    if (s.caCertFile() != null) {
      b.withCaCertFile(s.caCertFile());
    }
    if (s.tokenFile() != null) {
      try {
        b.withOauthToken(Files.readString(Path.of(s.tokenFile())).strip());
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the token file " + s.tokenFile(), e);
      }
    }
    return b.build();
  }

  @Override
  public String name() {
    return "kubernetes";
  }

  private NonNamespaceOperation<Job, JobList, ScalableResource<Job>> jobs() {
    return client.batch().v1().jobs().inNamespace(settings.namespace());
  }

  static String jobName(UUID runId, int attempt) {
    return "parasol-" + runId + "-" + attempt;
  }

  // ---------------------------------------------------------------- launch

  @Override
  public String launch(Launch launch, Instant deadline, Listener listener) throws IOException {
    String name = jobName(launch.runId(), launch.attempt());
    long seconds = Math.max(1, Duration.between(Instant.now(), deadline).toSeconds());
    Job job = manifest(launch, seconds);
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(settings.namespace())
            .withLabels(labels(launch))
            .endMetadata()
            .withType("Opaque")
            .addToStringData("token", launch.token())
            .build();
    ensureInformer();
    ensureNetworkPolicy();
    tracked.put(name, new TrackedJob(launch.runId(), launch.attempt(), listener));
    try {
      client.secrets().inNamespace(settings.namespace()).resource(secret).createOr(r -> r.update());
      jobs().resource(job).create();
    } catch (KubernetesClientException e) {
      tracked.remove(name);
      deleteQuietly(name);
      throw new UnavailableException(
          "the API server did not take Job " + name + ": " + cause(e), e);
    }
    return name;
  }

  /**
   * The run namespace's network policy, made or brought up to date before the first Job: run pods
   * take no connections and reach only the server (its CIDRs, or the addresses the callback URL's
   * host has from here) on the callback URL's port, and DNS when that host is a name.
   */
  private void ensureNetworkPolicy() throws UnavailableException {
    if (networkPolicyApplied) {
      return;
    }
    NetworkPolicy policy = networkPolicy();
    try {
      client
          .network()
          .v1()
          .networkPolicies()
          .inNamespace(settings.namespace())
          .resource(policy)
          .createOr(r -> r.update());
    } catch (KubernetesClientException e) {
      throw new UnavailableException(
          "the run pods' network policy could not be applied in namespace "
              + settings.namespace()
              + " (the server needs to create and update networkpolicies there): "
              + cause(e),
          e);
    }
    networkPolicyApplied = true;
  }

  private volatile boolean networkPolicyApplied;

  static final String NETWORK_POLICY = "parasol-workers";

  /** The run pods' network policy. */
  NetworkPolicy networkPolicy() throws UnavailableException {
    java.net.URI url = java.net.URI.create(callbackUrl);
    String host = url.getHost();
    int port =
        url.getPort() > 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    if (host == null) {
      throw new UnavailableException(
          "the callback URL names no host, so the run pods' network policy cannot name the server",
          null);
    }
    List<String> cidrs = new ArrayList<>();
    // an IPv6 literal comes bracketed
    java.net.InetAddress literal = Cidr.literal(host.replaceAll("^\\[|\\]$", ""));
    boolean named = literal == null;
    if (settings.serverCidrs() != null && !settings.serverCidrs().isEmpty()) {
      cidrs.addAll(settings.serverCidrs());
    } else if (!named) {
      cidrs.add(Cidr.of(literal));
    } else {
      try {
        for (java.net.InetAddress a : java.net.InetAddress.getAllByName(host)) {
          cidrs.add(Cidr.of(a));
        }
      } catch (java.net.UnknownHostException e) {
        throw new UnavailableException(
            "the callback URL's host "
                + host
                + " does not resolve here, so the run pods' network policy cannot name the"
                + " server: set the cluster's kubernetes.serverCidrs",
            e);
      }
    }
    NetworkPolicyBuilder b =
        new NetworkPolicyBuilder()
            .withNewMetadata()
            .withName(NETWORK_POLICY)
            .withNamespace(settings.namespace())
            .addToLabels(MANAGED_BY, PARASOL)
            .endMetadata()
            .withNewSpec()
            .withNewPodSelector()
            .addToMatchLabels(MANAGED_BY, PARASOL)
            .endPodSelector()
            .withPolicyTypes("Ingress", "Egress")
            .withIngress(List.of())
            .addNewEgress()
            .withTo(
                cidrs.stream()
                    .map(
                        c ->
                            new NetworkPolicyPeerBuilder()
                                .withNewIpBlock()
                                .withCidr(c)
                                .endIpBlock()
                                .build())
                    .toList())
            .addNewPort()
            .withProtocol("TCP")
            .withPort(new io.fabric8.kubernetes.api.model.IntOrString(port))
            .endPort()
            .endEgress()
            .endSpec();
    if (named) {
      b.editSpec()
          .addNewEgress()
          .addNewPort()
          .withProtocol("UDP")
          .withPort(new io.fabric8.kubernetes.api.model.IntOrString(53))
          .endPort()
          .addNewPort()
          .withProtocol("TCP")
          .withPort(new io.fabric8.kubernetes.api.model.IntOrString(53))
          .endPort()
          .endEgress()
          .endSpec();
    }
    return b.build();
  }

  private Map<String, String> labels(Launch launch) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY, PARASOL);
    labels.put(RUN_ID, launch.runId().toString());
    labels.put(ATTEMPT, Integer.toString(launch.attempt()));
    labels.put(PARTITION, launch.partition());
    return labels;
  }

  /** The Job of one run attempt. */
  Job manifest(Launch launch, long deadlineSeconds) {
    String name = jobName(launch.runId(), launch.attempt());
    KubernetesMapping mapping =
        launch.mapping().kubernetes() == null
            ? new KubernetesMapping(Map.of(), List.of(), null)
            : launch.mapping().kubernetes();
    Map<String, Quantity> requests = new LinkedHashMap<>();
    Map<String, Quantity> limits = new LinkedHashMap<>();
    Quantity cpu = new Quantity(Integer.toString(launch.allocation().cores()));
    requests.put("cpu", cpu);
    limits.put("cpu", cpu);
    requests.put("memory", new Quantity(launch.allocation().memoryMb() + "Mi"));
    limits.put(
        "memory", new Quantity((launch.allocation().memoryMb() + config.jvmOverheadMb()) + "Mi"));
    launch.allocation().accelerators().stream()
        .findFirst()
        .ifPresent(
            a -> {
              if (mapping.acceleratorResource() == null) {
                throw new IllegalStateException(
                    "partition " + launch.partition() + " has no accelerator resource name");
              }
              Quantity cards = new Quantity(Integer.toString(a.count()));
              requests.put(mapping.acceleratorResource(), cards);
              limits.put(mapping.acceleratorResource(), cards);
            });
    List<String> command = new ArrayList<>();
    command.add("java");
    command.addAll(
        SandboxedWorker.jvmOptions(
            new SandboxedWorker.Limits(
                Math.max(32, launch.allocation().memoryMb()), launch.allocation().cores(), 0),
            "/work/run/tmp",
            config));
    command.add("-Dparasol.worker.plugin-container=" + PluginContainer.CHANNEL);
    command.add("-Dparasol.worker.plugin-code=" + CODE);
    // the server's address and the run stay off the command line, which the plugin container sees
    command.addAll(List.of("-jar", WORKER_JAR, "fetch", RUN_DIR));
    Map<String, String> labels = labels(launch);
    long workMb = (config.maxWorkBytes().asLongValue() >> 20) + 512;
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(settings.namespace())
        .withLabels(labels)
        .addToAnnotations("parasol.io/cluster", cluster)
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withActiveDeadlineSeconds(deadlineSeconds)
        .withTtlSecondsAfterFinished((int) Math.min(Integer.MAX_VALUE, jobs.jobTtl().toSeconds()))
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        // the supervisor samples the plugin container's processes; they run as another user, so
        // it reads their /proc but cannot signal or trace them, nor they it
        .withShareProcessNamespace(true)
        .withTerminationGracePeriodSeconds(5L)
        .withRuntimeClassName(settings.runtimeClassName())
        .withImagePullSecrets(
            jobs.imagePullSecrets().orElse(List.of()).stream()
                .map(n -> new LocalObjectReferenceBuilder().withName(n).build())
                .toList())
        .withNodeSelector(mapping.nodeSelector() == null ? Map.of() : mapping.nodeSelector())
        .withTolerations(
            (mapping.tolerations() == null
                    ? List.<ClusterViews.Toleration>of()
                    : mapping.tolerations())
                .stream()
                    .map(
                        t ->
                            new TolerationBuilder()
                                .withKey(t.key())
                                .withOperator(t.operator() == null ? "Equal" : t.operator())
                                .withValue(t.value())
                                .withEffect(t.effect())
                                .build())
                    .toList())
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(SUPERVISOR_UID)
        .withRunAsGroup(SUPERVISOR_UID)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        // the plugin process: a sidecar (restartable init container), so that the pod ends when
        // the supervisor does, whatever plugin code left running
        .addNewInitContainer()
        .withName("plugin")
        .withImage(image())
        .withImagePullPolicy(jobs.imagePullPolicy().name())
        .withRestartPolicy("Always")
        .withCommand(PluginContainer.command())
        .withNewResources()
        .withRequests(requests)
        .withLimits(limits)
        .endResources()
        .withVolumeMounts(
            mount("code", PluginContainer.PLUGIN, true),
            mount("inputs", PluginContainer.INPUTS, true),
            mount("work", PluginContainer.WORK, false),
            mount("channel", PluginContainer.CHANNEL, true))
        .withSecurityContext(confined(PLUGIN_UID))
        .endInitContainer()
        .addNewContainer()
        .withName("worker")
        .withImage(image())
        .withImagePullPolicy(jobs.imagePullPolicy().name())
        .withCommand(command)
        .withEnv(
            new EnvVarBuilder()
                .withName("PARASOL_RUN_TOKEN")
                .withNewValueFrom()
                .withNewSecretKeyRef("token", name, false)
                .endValueFrom()
                .build(),
            new EnvVarBuilder().withName("PARASOL_SERVER_URL").withValue(callbackUrl).build(),
            new EnvVarBuilder()
                .withName("PARASOL_RUN_ID")
                .withValue(launch.runId().toString())
                .build())
        .withNewResources()
        .withRequests(
            Map.of(
                "cpu", new Quantity("250m"), "memory", new Quantity(SUPERVISOR_MEMORY_MB + "Mi")))
        .withLimits(
            Map.of("cpu", new Quantity("1"), "memory", new Quantity(SUPERVISOR_MEMORY_MB + "Mi")))
        .endResources()
        .withVolumeMounts(
            mount("run", RUN_DIR, false),
            mount("inputs", RUN_DIR + "/inputs", false),
            mount("work", RUN_DIR + "/work", false),
            mount("code", CODE, false),
            mount("channel", PluginContainer.CHANNEL, false))
        .withSecurityContext(confined(SUPERVISOR_UID))
        .endContainer()
        .withVolumes(
            emptyDir("run", "1Gi", null),
            emptyDir("code", "1Gi", null),
            emptyDir("inputs", workMb + "Mi", null),
            emptyDir("work", workMb + "Mi", null),
            emptyDir("channel", "1Mi", "Memory"))
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.VolumeMount mount(
      String volume, String path, boolean readOnly) {
    return new io.fabric8.kubernetes.api.model.VolumeMountBuilder()
        .withName(volume)
        .withMountPath(path)
        .withReadOnly(readOnly)
        .build();
  }

  private static io.fabric8.kubernetes.api.model.Volume emptyDir(
      String name, String size, String medium) {
    return new io.fabric8.kubernetes.api.model.VolumeBuilder()
        .withName(name)
        .withNewEmptyDir()
        .withMedium(medium)
        .withSizeLimit(new Quantity(size))
        .endEmptyDir()
        .build();
  }

  /** A container's confinement: its own fixed user, no privileges, a read-only root. */
  private static io.fabric8.kubernetes.api.model.SecurityContext confined(long uid) {
    return new io.fabric8.kubernetes.api.model.SecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(uid)
        .withRunAsGroup(uid)
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withPrivileged(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .build();
  }

  /** The cluster's worker image, or the configured default when its settings name none. */
  private String image() {
    if (settings.image() != null) {
      return settings.image();
    }
    return jobs.image()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "cluster "
                        + cluster
                        + " names no worker image and parasol.worker.kubernetes.image is not set"));
  }

  // ---------------------------------------------------------------- watching

  private synchronized void ensureInformer() throws UnavailableException {
    if (informer != null) {
      return;
    }
    try {
      informer =
          jobs()
              .withLabel(MANAGED_BY, PARASOL)
              .inform(
                  new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Job job) {
                      examine(job);
                    }

                    @Override
                    public void onUpdate(Job before, Job job) {
                      examine(job);
                    }

                    @Override
                    public void onDelete(Job job, boolean finalStateUnknown) {
                      deleted(job);
                    }
                  },
                  60_000);
    } catch (KubernetesClientException e) {
      informer = null;
      throw new UnavailableException("cannot watch Jobs: " + cause(e), e);
    }
  }

  private void examine(Job job) {
    String name = job.getMetadata().getName();
    TrackedJob t = tracked.get(name);
    if (t == null || t.ended.get()) {
      return;
    }
    JobStatus status = job.getStatus();
    if (status == null) {
      return;
    }
    List<JobCondition> conditions =
        status.getConditions() == null ? List.of() : status.getConditions();
    Optional<JobCondition> failed = condition(conditions, "Failed");
    if (condition(conditions, "Complete").isPresent()) {
      end(name, t, 0, Ending.EXITED, "");
    } else if (failed.isPresent()) {
      String reason = failed.get().getReason();
      if ("DeadlineExceeded".equals(reason)) {
        end(name, t, -1, Ending.TIMED_OUT, "");
      } else {
        Optional<ContainerStateTerminated> terminated = terminated(name);
        if (terminated.isPresent()) {
          int code =
              "OOMKilled".equals(terminated.get().getReason())
                  ? SandboxedWorker.EXIT_OUT_OF_MEMORY
                  : terminated.get().getExitCode();
          end(name, t, code, Ending.EXITED, podLogTail(name));
        } else {
          end(
              name,
              t,
              -1,
              Ending.LOST,
              "Job " + name + " failed: " + reason + " " + nullToEmpty(failed.get().getMessage()));
        }
      }
    } else if ((status.getReady() != null && status.getReady() > 0)
        || (status.getActive() != null && status.getActive() > 0 && podRunning(name))) {
      if (t.running.compareAndSet(false, true)) {
        t.listener.onRunning(t.runId, t.attempt);
      }
    }
  }

  private void deleted(Job job) {
    String name = job.getMetadata().getName();
    TrackedJob t = tracked.get(name);
    if (t == null) {
      return;
    }
    if (t.stopped.get()) {
      end(name, t, -1, Ending.STOPPED, "");
    } else {
      end(name, t, -1, Ending.LOST, "Job " + name + " was deleted on cluster " + cluster);
    }
  }

  private static Optional<JobCondition> condition(List<JobCondition> conditions, String type) {
    return conditions.stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }

  private List<Pod> pods(String jobName) {
    try {
      return client
          .pods()
          .inNamespace(settings.namespace())
          .withLabel(JOB_NAME, jobName)
          .list()
          .getItems();
    } catch (KubernetesClientException e) {
      return List.of();
    }
  }

  private boolean podRunning(String jobName) {
    return pods(jobName).stream()
        .anyMatch(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
  }

  private Optional<ContainerStateTerminated> terminated(String jobName) {
    for (Pod pod : pods(jobName)) {
      if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
        continue;
      }
      for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
        if (cs.getState() != null && cs.getState().getTerminated() != null) {
          return Optional.of(cs.getState().getTerminated());
        }
      }
    }
    return Optional.empty();
  }

  private String podLogTail(String jobName) {
    for (Pod pod : pods(jobName)) {
      try {
        String log =
            client
                .pods()
                .inNamespace(settings.namespace())
                .withName(pod.getMetadata().getName())
                .tailingLines(200)
                .getLog();
        return log == null ? "" : log;
      } catch (KubernetesClientException e) {
        return "";
      }
    }
    return "";
  }

  private void end(String name, TrackedJob t, int exit, Ending ending, String detail) {
    if (!t.ended.compareAndSet(false, true)) {
      return;
    }
    try {
      String log = ending == Ending.EXITED && detail.isEmpty() ? podLogTail(name) : detail;
      if (!log.isBlank() && ending != Ending.LOST) {
        Path console = data.runDir(t.runId).resolve("console.txt");
        Files.createDirectories(console.getParent());
        Files.writeString(console, log, StandardCharsets.UTF_8);
      }
      try {
        client.secrets().inNamespace(settings.namespace()).withName(name).delete();
      } catch (KubernetesClientException e) {
        LOG.debugf("could not delete Secret %s: %s", name, e.getMessage());
      }
      t.listener.onExit(
          t.runId, t.attempt, exit, ending, ending == Ending.EXITED ? tail(log) : detail);
    } catch (IOException | RuntimeException e) {
      LOG.errorf(e, "handling the end of run %s failed", t.runId);
    } finally {
      tracked.remove(name);
    }
  }

  // ---------------------------------------------------------------- stop, adopt, probe, orphans

  @Override
  public void stop(UUID runId, String ref) {
    if (ref == null) {
      return;
    }
    TrackedJob t = tracked.get(ref);
    if (t != null) {
      t.stopped.set(true);
    }
    deleteQuietly(ref);
  }

  private void deleteQuietly(String name) {
    try {
      jobs()
          .withName(name)
          .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
          .delete();
      client.secrets().inNamespace(settings.namespace()).withName(name).delete();
    } catch (KubernetesClientException e) {
      LOG.warnf("could not delete Job %s on %s: %s", name, cluster, e.getMessage());
    }
  }

  @Override
  public boolean adopt(
      UUID runId, int attempt, String ref, int cores, Instant deadline, Listener listener)
      throws UnavailableException {
    if (tracked.containsKey(ref)) {
      return true;
    }
    Job job;
    try {
      job = jobs().withName(ref).get();
    } catch (KubernetesClientException e) {
      throw new UnavailableException("cannot read Job " + ref + ": " + cause(e), e);
    }
    if (job == null) {
      return false;
    }
    ensureInformer();
    tracked.put(ref, new TrackedJob(runId, attempt, listener));
    examine(job);
    return true;
  }

  @Override
  public void probe() throws UnavailableException {
    try {
      jobs().withLabel(MANAGED_BY, PARASOL).list(new ListOptionsBuilder().withLimit(1L).build());
    } catch (KubernetesClientException e) {
      throw new UnavailableException("the API server does not answer: " + cause(e), e);
    }
  }

  /**
   * Pods pending in the run namespace that are not Parasol's: their CPU requests times their
   * deadline (an hour when they have none), as one queue for the whole cluster.
   */
  @Override
  public Map<String, Pending> pending() throws UnavailableException {
    Pending sum = new Pending(0, 0);
    try {
      for (io.fabric8.kubernetes.api.model.Pod pod :
          client.pods().inNamespace(settings.namespace()).list().getItems()) {
        boolean ours =
            pod.getMetadata().getLabels() != null
                && PARASOL.equals(pod.getMetadata().getLabels().get(MANAGED_BY));
        if (ours || pod.getStatus() == null || !"Pending".equals(pod.getStatus().getPhase())) {
          continue;
        }
        double cores = 0;
        for (io.fabric8.kubernetes.api.model.Container c : pod.getSpec().getContainers()) {
          if (c.getResources() != null
              && c.getResources().getRequests() != null
              && c.getResources().getRequests().get("cpu") != null) {
            cores +=
                io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(
                        c.getResources().getRequests().get("cpu"))
                    .doubleValue();
          }
        }
        Long deadline = pod.getSpec().getActiveDeadlineSeconds();
        sum = sum.plus(new Pending(1, Math.max(cores, 0.1) * (deadline == null ? 3600 : deadline)));
      }
    } catch (KubernetesClientException e) {
      throw new UnavailableException("cannot list pods: " + cause(e), e);
    }
    return sum.jobs() == 0 ? Map.of() : Map.of(ANY_PARTITION, sum);
  }

  @Override
  public int collectOrphans(Set<String> live) throws UnavailableException {
    List<Job> jobs;
    try {
      jobs = jobs().withLabel(MANAGED_BY, PARASOL).list().getItems();
    } catch (KubernetesClientException e) {
      throw new UnavailableException("cannot list Jobs: " + cause(e), e);
    }
    int removed = 0;
    Instant cutoff = Instant.now().minus(ORPHAN_AGE);
    for (Job job : jobs) {
      String name = job.getMetadata().getName();
      if (live.contains(name) || tracked.containsKey(name)) {
        continue;
      }
      String created = job.getMetadata().getCreationTimestamp();
      boolean old = created == null || Instant.parse(created).isBefore(cutoff);
      boolean finished =
          job.getStatus() != null
              && job.getStatus().getConditions() != null
              && (condition(job.getStatus().getConditions(), "Complete").isPresent()
                  || condition(job.getStatus().getConditions(), "Failed").isPresent());
      if (old || finished) {
        deleteQuietly(name);
        removed++;
      }
    }
    return removed;
  }

  @Override
  public synchronized void close() {
    if (informer != null) {
      informer.stop();
      informer = null;
    }
    client.close();
  }

  private static String cause(Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return root == e ? message : message + " (" + root + ")";
  }

  private static String tail(String log) {
    String s = log.strip();
    return s.length() <= 600 ? s : s.substring(s.length() - 600);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
