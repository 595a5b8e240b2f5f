package io.parasol.server.compute;

import static io.parasol.server.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.parasol.plugin.api.Accelerator;
import io.parasol.plugin.api.AcceleratorKind;
import io.parasol.plugin.api.Allocation;
import io.parasol.protocol.PluginContainer;
import io.parasol.server.Api;
import io.parasol.server.Fixtures;
import io.parasol.server.storage.DataDirectory;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes backend against the fabric8 mock API server in CRUD mode: the Job manifests field
 * by field, run states driven by Job and Pod status written into the mock, cancel, lost Jobs,
 * orphan collection, and API-server errors and timeouts turning the cluster unhealthy.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class KubernetesBackendTest {

  static final String NS = "parasol-runs";

  @KubernetesTestServer KubernetesServer server;

  @Inject ComputeConfig config;

  @Inject io.parasol.server.scheduling.ClusterHealth health;
  @Inject DataDirectory data;

  private KubernetesClient k8s() {
    return server.getClient();
  }

  private static ClusterViews.KubernetesSettings settings(String url, String namespace) {
    return new ClusterViews.KubernetesSettings(
        url,
        namespace,
        "registry.local/parasol/worker:1.0.0",
        null,
        null,
        "http://parasol.parasol.svc:8080",
        2,
        "gvisor",
        List.of("10.96.0.0/12"));
  }

  private synchronized void registered() {
    if (as("admin").get("/api/v1/clusters/k8s-east").statusCode() == 200) {
      return;
    }
    as("admin")
        .contentType("application/json")
        .body(
            Map.of(
                "name", "k8s-east",
                "region", "us-east",
                "site", "iad-1",
                "backend", "KUBERNETES",
                "kubernetes", settings(k8s().getMasterUrl().toString(), NS)))
        .post("/api/v1/clusters")
        .then()
        .statusCode(201);
    as("admin")
        .contentType("application/json")
        .body(
            Map.of(
                "name",
                "k8s-cpu",
                "cluster",
                "k8s-east",
                "nodeType",
                Map.of("cores", 16, "memoryMb", 64000),
                "nodes",
                10,
                "ownership",
                "PURCHASED",
                "kubernetes",
                Map.of(
                    "nodeSelector", Map.of("parasol.io/pool", "cpu-large"),
                    "tolerations",
                        List.of(
                            Map.of(
                                "key", "dedicated",
                                "operator", "Equal",
                                "value", "hpc",
                                "effect", "NoSchedule")))))
        .post("/api/v1/partitions")
        .then()
        .statusCode(201);
    as("admin")
        .contentType("application/json")
        .body(Map.of("partition", "k8s-cpu", "resource", "CORE_HOUR", "unitPrice", 5))
        .post("/api/v1/prices")
        .then()
        .statusCode(201);
  }

  private static String launchPinned() {
    return Api.launch(
        "alice",
        Map.of(
            "appId",
            "heat-transfer",
            "inputs",
            Map.of(
                "nx",
                11,
                "ny",
                11,
                "duration",
                1,
                "cores",
                2,
                "wallTimeMinutes",
                2,
                "partition",
                "k8s-cpu")));
  }

  private Job awaitJob(String runId, int attempt) {
    String name = "parasol-" + runId + "-" + attempt;
    return Api.poll(
        Duration.ofSeconds(20),
        () -> k8s().batch().v1().jobs().inNamespace(NS).withName(name).get(),
        job -> job != null,
        "Job " + name + " to be created");
  }

  private void status(Job job, JobStatusBuilder status) {
    Job current =
        k8s().batch().v1().jobs().inNamespace(NS).withName(job.getMetadata().getName()).get();
    current.setStatus(status.build());
    k8s().batch().v1().jobs().inNamespace(NS).resource(current).updateStatus();
  }

  private static JobStatusBuilder failed(String reason) {
    return new JobStatusBuilder()
        .withFailed(1)
        .withConditions(
            new JobConditionBuilder()
                .withType("Failed")
                .withStatus("True")
                .withReason(reason)
                .build());
  }

  @Test
  void podsOfOthersPendingInTheNamespaceAreTheClustersOwnQueue() throws Exception {
    String ns = "pending-ns";
    KubernetesBackend backend =
        new KubernetesBackend(
            "k8s-pending",
            settings(k8s().getMasterUrl().toString(), ns),
            config,
            data,
            "http://parasol.parasol.svc:8080");
    assertEquals(Map.of(), backend.pending());
    for (String name : List.of("theirs", "running", "ours")) {
      io.fabric8.kubernetes.api.model.Pod pod =
          new io.fabric8.kubernetes.api.model.PodBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(ns)
              .withLabels(
                  name.equals("ours")
                      ? Map.of("app.kubernetes.io/managed-by", "parasol")
                      : Map.of())
              .endMetadata()
              .withNewSpec()
              .withActiveDeadlineSeconds(600L)
              .addNewContainer()
              .withName("c")
              .withImage("busybox")
              .withNewResources()
              .addToRequests("cpu", new Quantity("1500m"))
              .endResources()
              .endContainer()
              .endSpec()
              .withNewStatus()
              .withPhase(name.equals("running") ? "Running" : "Pending")
              .endStatus()
              .build();
      k8s().pods().inNamespace(ns).resource(pod).create();
    }
    // only the pending pod that is not Parasol's: 1.5 cores for its 600 s deadline
    assertEquals(
        Map.of(ComputeBackend.ANY_PARTITION, new ComputeBackend.Pending(1, 900.0)),
        backend.pending());
  }

  @Test
  void aGpuJobCarriesTheAllocationTheMappingTheDeadlineAndItsLabels() {
    KubernetesBackend backend =
        new KubernetesBackend(
            "k8s-gpu",
            settings(k8s().getMasterUrl().toString(), NS),
            config,
            data,
            "http://parasol.parasol.svc:8080");
    UUID runId = UUID.fromString("00000000-0000-4000-8000-000000000001");
    ComputeBackend.Launch launch =
        new ComputeBackend.Launch(
            runId,
            3,
            Path.of("/tmp/none"),
            new Allocation(
                4,
                8192,
                List.of(new Accelerator(AcceleratorKind.GPU, "a100", 2)),
                Duration.ofMinutes(30)),
            "gpu-a100",
            new ClusterViews.Mapping(
                new ClusterViews.KubernetesMapping(
                    Map.of("nvidia.com/gpu.product", "A100-SXM4-80GB"),
                    List.of(
                        new ClusterViews.Toleration(
                            "nvidia.com/gpu", "Exists", null, "NoSchedule")),
                    "nvidia.com/gpu"),
                null),
            "secret-token");
    Job job = backend.manifest(launch, 1800);
    backend.close();

    String name = "parasol-" + runId + "-3";
    assertEquals(name, job.getMetadata().getName());
    assertEquals(NS, job.getMetadata().getNamespace());
    Map<String, String> labels =
        Map.of(
            "app.kubernetes.io/managed-by", "parasol",
            "parasol.io/run-id", runId.toString(),
            "parasol.io/attempt", "3",
            "parasol.io/partition", "gpu-a100");
    assertEquals(labels, job.getMetadata().getLabels());
    assertEquals(labels, job.getSpec().getTemplate().getMetadata().getLabels());
    assertEquals(1800L, job.getSpec().getActiveDeadlineSeconds());
    assertEquals(0, job.getSpec().getBackoffLimit());
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertEquals("Never", pod.getRestartPolicy());
    assertEquals(false, pod.getAutomountServiceAccountToken());
    assertEquals(Map.of("nvidia.com/gpu.product", "A100-SXM4-80GB"), pod.getNodeSelector());
    Toleration toleration = pod.getTolerations().get(0);
    assertEquals("nvidia.com/gpu", toleration.getKey());
    assertEquals("Exists", toleration.getOperator());
    assertNull(toleration.getValue());
    assertEquals("NoSchedule", toleration.getEffect());
    assertEquals(true, pod.getSecurityContext().getRunAsNonRoot());
    assertEquals(1000L, pod.getSecurityContext().getRunAsUser());
    assertEquals(1000L, pod.getSecurityContext().getRunAsGroup());
    assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
    assertEquals(true, pod.getShareProcessNamespace());
    assertEquals(false, pod.getEnableServiceLinks());
    assertEquals(5L, pod.getTerminationGracePeriodSeconds());
    assertEquals("gvisor", pod.getRuntimeClassName());
    assertNull(pod.getHostNetwork());
    assertNull(pod.getHostPID());

    // The plugin process: a sidecar of its own user, with the run's resources, no credentials.
    assertEquals(1, pod.getInitContainers().size());
    Container plugin = pod.getInitContainers().get(0);
    assertEquals("plugin", plugin.getName());
    assertEquals("Always", plugin.getRestartPolicy(), "a sidecar: it ends with the supervisor");
    assertEquals(PluginContainer.command(), plugin.getCommand());
    assertEquals(List.of(), plugin.getEnv(), "nothing of the run's credentials");
    assertEquals("registry.local/parasol/worker:1.0.0", plugin.getImage());
    assertEquals(new Quantity("4"), plugin.getResources().getRequests().get("cpu"));
    assertEquals(new Quantity("4"), plugin.getResources().getLimits().get("cpu"));
    assertEquals(new Quantity("8192Mi"), plugin.getResources().getRequests().get("memory"));
    assertEquals(
        new Quantity((8192 + config.jvmOverheadMb()) + "Mi"),
        plugin.getResources().getLimits().get("memory"));
    assertEquals(new Quantity("2"), plugin.getResources().getRequests().get("nvidia.com/gpu"));
    assertEquals(new Quantity("2"), plugin.getResources().getLimits().get("nvidia.com/gpu"));
    confined(plugin, 1001L);
    assertEquals(
        Map.of(
            "code", "/parasol/plugin:ro",
            "inputs", "/parasol/inputs:ro",
            "work", "/parasol/work:rw",
            "channel", "/parasol/channel:ro"),
        mounts(plugin));

    // The supervisor: the token from the Secret, the address and run in its environment only.
    Container c = pod.getContainers().get(0);
    assertEquals("worker", c.getName());
    assertEquals("registry.local/parasol/worker:1.0.0", c.getImage());
    assertEquals(new Quantity("250m"), c.getResources().getRequests().get("cpu"));
    assertEquals(new Quantity("384Mi"), c.getResources().getLimits().get("memory"));
    assertNull(c.getResources().getLimits().get("nvidia.com/gpu"));
    List<String> command = c.getCommand();
    assertEquals("java", command.get(0));
    // the supervisor's own small heap; the plugin process gets the run's memory
    assertTrue(command.contains("-Xmx128m"), command.toString());
    assertTrue(command.contains("-Dparasol.worker.plugin-memory-mb=8192"), command.toString());
    assertTrue(
        command.contains("-Dparasol.worker.plugin-container=/parasol/channel"), command.toString());
    assertEquals(
        List.of("-jar", "/opt/parasol/worker.jar", "fetch", "/work/run"),
        command.subList(command.size() - 4, command.size()));
    assertFalse(
        String.join(" ", command).contains("parasol.svc"), "no address on the command line");
    assertFalse(String.join(" ", command).contains(runId.toString()));
    assertEquals("PARASOL_RUN_TOKEN", c.getEnv().get(0).getName());
    assertNull(c.getEnv().get(0).getValue(), "the token is never in the pod spec");
    assertEquals(name, c.getEnv().get(0).getValueFrom().getSecretKeyRef().getName());
    assertEquals("token", c.getEnv().get(0).getValueFrom().getSecretKeyRef().getKey());
    assertEquals("PARASOL_SERVER_URL", c.getEnv().get(1).getName());
    assertEquals("http://parasol.parasol.svc:8080", c.getEnv().get(1).getValue());
    assertEquals("PARASOL_RUN_ID", c.getEnv().get(2).getName());
    assertEquals(runId.toString(), c.getEnv().get(2).getValue());
    confined(c, 1000L);
    assertEquals(
        Map.of(
            "run", "/work/run:rw",
            "inputs", "/work/run/inputs:rw",
            "work", "/work/run/work:rw",
            "code", "/work/code:rw",
            "channel", "/parasol/channel:rw"),
        mounts(c));
    Map<String, String> volumes = new java.util.TreeMap<>();
    pod.getVolumes()
        .forEach(
            v ->
                volumes.put(
                    v.getName(),
                    v.getEmptyDir().getSizeLimit()
                        + (v.getEmptyDir().getMedium() == null
                            ? ""
                            : " " + v.getEmptyDir().getMedium())));
    long workMb = (config.maxWorkBytes().asLongValue() >> 20) + 512;
    assertEquals(
        Map.of(
            "run", "1Gi",
            "code", "1Gi",
            "inputs", workMb + "Mi",
            "work", workMb + "Mi",
            "channel", "1Mi Memory"),
        volumes);
    assertEquals("IfNotPresent", c.getImagePullPolicy());
    assertEquals(List.of(), pod.getImagePullSecrets());
    assertEquals(
        3600, job.getSpec().getTtlSecondsAfterFinished(), "parasol.worker.kubernetes.job-ttl");
  }

  @Test
  void runPodsTakeNoConnectionsAndReachOnlyTheServer() throws Exception {
    // The cluster's CIDRs for the server: no DNS, the callback port only.
    KubernetesBackend named =
        new KubernetesBackend(
            "k8s-np",
            settings(k8s().getMasterUrl().toString(), NS),
            config,
            data,
            "http://parasol.parasol.svc:8080");
    io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy policy = named.networkPolicy();
    named.close();
    assertEquals("parasol-workers", policy.getMetadata().getName());
    assertEquals(NS, policy.getMetadata().getNamespace());
    assertEquals(
        Map.of("app.kubernetes.io/managed-by", "parasol"),
        policy.getSpec().getPodSelector().getMatchLabels());
    assertEquals(List.of("Ingress", "Egress"), policy.getSpec().getPolicyTypes());
    assertEquals(List.of(), policy.getSpec().getIngress(), "no connections in");
    assertEquals(2, policy.getSpec().getEgress().size(), "the server, and DNS for its name");
    var server = policy.getSpec().getEgress().get(0);
    assertEquals("10.96.0.0/12", server.getTo().get(0).getIpBlock().getCidr());
    assertEquals(1, server.getTo().size());
    assertEquals(8080, server.getPorts().get(0).getPort().getIntVal());
    assertEquals("TCP", server.getPorts().get(0).getProtocol());
    var dns = policy.getSpec().getEgress().get(1);
    assertEquals(List.of(), dns.getTo());
    assertEquals(
        List.of("UDP:53", "TCP:53"),
        dns.getPorts().stream().map(p -> p.getProtocol() + ":" + p.getPort().getIntVal()).toList());

    // No CIDRs: an address literal is the one address, and needs no DNS.
    ClusterViews.KubernetesSettings bare =
        new ClusterViews.KubernetesSettings(
            k8s().getMasterUrl().toString(), NS, "img", null, null, null, 2, null, null);
    KubernetesBackend literal =
        new KubernetesBackend("k8s-np2", bare, config, data, "https://192.0.2.7");
    policy = literal.networkPolicy();
    literal.close();
    assertEquals(1, policy.getSpec().getEgress().size());
    assertEquals(
        "192.0.2.7/32", policy.getSpec().getEgress().get(0).getTo().get(0).getIpBlock().getCidr());
    assertEquals(443, policy.getSpec().getEgress().get(0).getPorts().get(0).getPort().getIntVal());

    // A name that does not resolve here cannot be made a policy: the launch says what to set.
    KubernetesBackend unknown =
        new KubernetesBackend("k8s-np3", bare, config, data, "http://no-such-host.invalid:8080");
    ComputeBackend.UnavailableException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ComputeBackend.UnavailableException.class, unknown::networkPolicy);
    unknown.close();
    assertTrue(e.getMessage().contains("kubernetes.serverCidrs"), e.getMessage());
  }

  private static void confined(Container c, long uid) {
    assertEquals(true, c.getSecurityContext().getRunAsNonRoot());
    assertEquals(uid, c.getSecurityContext().getRunAsUser());
    assertEquals(uid, c.getSecurityContext().getRunAsGroup());
    assertEquals(false, c.getSecurityContext().getAllowPrivilegeEscalation());
    assertEquals(false, c.getSecurityContext().getPrivileged());
    assertEquals(true, c.getSecurityContext().getReadOnlyRootFilesystem());
    assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
    assertEquals(List.of(), c.getSecurityContext().getCapabilities().getAdd());
  }

  private static Map<String, String> mounts(Container c) {
    Map<String, String> m = new java.util.TreeMap<>();
    c.getVolumeMounts()
        .forEach(
            v ->
                m.put(
                    v.getName(),
                    v.getMountPath() + (Boolean.TRUE.equals(v.getReadOnly()) ? ":ro" : ":rw")));
    return m;
  }

  @Test
  void theJobDefaultsFillWhatTheClustersSettingsLeaveOut() {
    ComputeConfig.Kubernetes jobs =
        new ComputeConfig.Kubernetes() {
          @Override
          public Optional<String> image() {
            return Optional.of("registry.local/parasol/worker:default");
          }

          @Override
          public ComputeConfig.PullPolicy imagePullPolicy() {
            return ComputeConfig.PullPolicy.Always;
          }

          @Override
          public Optional<List<String>> imagePullSecrets() {
            return Optional.of(List.of("regcred"));
          }

          @Override
          public Duration jobTtl() {
            return Duration.ofMinutes(10);
          }
        };
    ComputeConfig withJobs =
        (ComputeConfig)
            Proxy.newProxyInstance(
                ComputeConfig.class.getClassLoader(),
                new Class<?>[] {ComputeConfig.class},
                (proxy, method, args) ->
                    method.getName().equals("kubernetes") ? jobs : method.invoke(config, args));
    ClusterViews.KubernetesSettings noImage =
        new ClusterViews.KubernetesSettings(
            k8s().getMasterUrl().toString(), NS, null, null, null, null, 2, null, null);
    UUID runId = UUID.fromString("00000000-0000-4000-8000-000000000002");
    ComputeBackend.Launch launch =
        new ComputeBackend.Launch(
            runId,
            1,
            Path.of("/tmp/none"),
            new Allocation(1, 512, List.of(), Duration.ofMinutes(5)),
            "k8s-cpu",
            new ClusterViews.Mapping(new ClusterViews.KubernetesMapping(null, null, null), null),
            "secret-token");

    KubernetesBackend backend =
        new KubernetesBackend("k8s-defaults", noImage, withJobs, data, "http://parasol:8080");
    Job job = backend.manifest(launch, 300);
    backend.close();
    Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertEquals("registry.local/parasol/worker:default", c.getImage());
    assertEquals("Always", c.getImagePullPolicy());
    assertEquals(
        "regcred", job.getSpec().getTemplate().getSpec().getImagePullSecrets().get(0).getName());
    assertEquals(600, job.getSpec().getTtlSecondsAfterFinished());

    // Without a default, a cluster naming no image cannot make a Job, and says why.
    KubernetesBackend bare =
        new KubernetesBackend("k8s-bare", noImage, config, data, "http://parasol:8080");
    IllegalStateException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class, () -> bare.manifest(launch, 300));
    bare.close();
    assertTrue(e.getMessage().contains("parasol.worker.kubernetes.image"), e.getMessage());
  }

  @Test
  void aRunBecomesAJobWhoseStatusDrivesTheRun() {
    Fixtures.heatTransferPublished();
    registered();
    String id = launchPinned();
    Job job = awaitJob(id, 1);

    // The manifest as the API server holds it.
    Container c = job.getSpec().getTemplate().getSpec().getInitContainers().get(0);
    assertEquals(new Quantity("2"), c.getResources().getRequests().get("cpu"));
    assertEquals(
        Map.of("parasol.io/pool", "cpu-large"),
        job.getSpec().getTemplate().getSpec().getNodeSelector());
    assertEquals(
        "dedicated", job.getSpec().getTemplate().getSpec().getTolerations().get(0).getKey());
    assertEquals("hpc", job.getSpec().getTemplate().getSpec().getTolerations().get(0).getValue());
    long deadline = job.getSpec().getActiveDeadlineSeconds();
    assertTrue(deadline > 110 && deadline <= 120, "deadline " + deadline);
    assertEquals(id, job.getMetadata().getLabels().get("parasol.io/run-id"));
    assertEquals("k8s-cpu", job.getMetadata().getLabels().get("parasol.io/partition"));
    assertNotNull(k8s().secrets().inNamespace(NS).withName(job.getMetadata().getName()).get());
    // the namespace's network policy came before the first Job
    assertNotNull(
        k8s().network().v1().networkPolicies().inNamespace(NS).withName("parasol-workers").get());

    JsonPath run = Api.awaitState("alice", id, "SCHEDULED");
    assertEquals("k8s-cpu", run.getString("resources.partition"));
    assertEquals("kubernetes", run.getString("resources.backend"));

    status(job, new JobStatusBuilder().withActive(1).withReady(1));
    run = Api.awaitState("alice", id, "RUNNING");
    assertEquals("its job started on k8s-east", run.getString("transitions[-1].reason"));

    status(job, failed("DeadlineExceeded"));
    run = Api.awaitEnd("alice", id);
    assertEquals("TIMED_OUT", run.getString("state"), run.prettify());
    Api.poll(
        Duration.ofSeconds(10),
        () -> k8s().secrets().inNamespace(NS).withName(job.getMetadata().getName()).get(),
        s -> s == null,
        "the run's Secret to be deleted");
  }

  @Test
  void aFailedPodsExitCodeAndOomKillAreMappedAndCancelDeletesTheJob() {
    Fixtures.heatTransferPublished();
    registered();
    String id = launchPinned();
    Job job = awaitJob(id, 1);
    k8s()
        .pods()
        .inNamespace(NS)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(job.getMetadata().getName() + "-x1")
                .withLabels(Map.of("job-name", job.getMetadata().getName()))
                .endMetadata()
                .withNewStatus()
                .withPhase("Failed")
                .addNewContainerStatus()
                .withName("worker")
                .withNewState()
                .withNewTerminated()
                .withExitCode(137)
                .withReason("OOMKilled")
                .endTerminated()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build())
        .create();
    status(job, failed("BackoffLimitExceeded"));
    JsonPath run = Api.awaitEnd("alice", id);
    assertEquals("FAILED", run.getString("state"));
    assertTrue(run.getString("reason").startsWith("out of memory"), run.getString("reason"));

    String cancelled = launchPinned();
    Job second = awaitJob(cancelled, 1);
    as("alice").post("/api/v1/runs/" + cancelled + "/cancel").then().statusCode(200);
    Api.poll(
        Duration.ofSeconds(10),
        () ->
            k8s()
                .batch()
                .v1()
                .jobs()
                .inNamespace(NS)
                .withName(second.getMetadata().getName())
                .get(),
        j -> j == null,
        "the cancelled run's Job to be deleted");
    assertEquals("CANCELLED", Api.awaitEnd("alice", cancelled).getString("state"));
  }

  @Test
  void aJobDeletedOnTheClusterIsLostAndResubmittedAndOrphansAreCollected() {
    Fixtures.heatTransferPublished();
    registered();
    String id = launchPinned();
    Job first = awaitJob(id, 1);
    k8s().batch().v1().jobs().inNamespace(NS).withName(first.getMetadata().getName()).delete();
    Job second = awaitJob(id, 2);
    JsonPath run = Api.awaitState("alice", id, "SCHEDULED");
    assertEquals(2, run.getInt("attempt"));
    assertTrue(
        run.getList("transitions.reason")
            .contains(
                "attempt 1 was lost: Job "
                    + first.getMetadata().getName()
                    + " was deleted on cluster k8s-east; resubmitted"),
        run.prettify());
    as("alice").post("/api/v1/runs/" + id + "/cancel").then().statusCode(200);

    // A finished Job of no run in flight is collected at the next good probe.
    Job orphan =
        new JobBuilder()
            .withNewMetadata()
            .withName("parasol-orphan-1")
            .withLabels(Map.of("app.kubernetes.io/managed-by", "parasol"))
            .endMetadata()
            .withNewSpec()
            .withNewTemplate()
            .withNewSpec()
            .addNewContainer()
            .withName("worker")
            .withImage("x")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    k8s().batch().v1().jobs().inNamespace(NS).resource(orphan).create();
    status(
        orphan,
        new JobStatusBuilder()
            .withConditions(
                new JobConditionBuilder().withType("Complete").withStatus("True").build()));
    // Probed here rather than waiting for the loop, whose round may be held up by other clusters.
    Api.poll(
        Duration.ofSeconds(30),
        () -> {
          health.probe("k8s-east");
          return k8s().batch().v1().jobs().inNamespace(NS).withName("parasol-orphan-1").get();
        },
        j -> j == null,
        "the orphaned Job to be collected");
    assertNotNull(second);
  }

  @Test
  void apiServerErrorsAndTimeoutsMakeTheClusterUnhealthy() throws Exception {
    // 500 on every Job list of one namespace: the probe retries, fails, and the cluster turns.
    String jobs =
        "/apis/batch/v1/namespaces/broken/jobs?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dparasol";
    server.expect().get().withPath(jobs + "&limit=1").andReturn(500, "etcd is on fire").always();
    server.expect().get().withPath(jobs).andReturn(500, "etcd is on fire").always();
    as("admin")
        .contentType("application/json")
        .body(
            Map.of(
                "name", "k8s-broken",
                "region", "us-east",
                "site", "iad-1",
                "backend", "KUBERNETES",
                "kubernetes", settings(k8s().getMasterUrl().toString(), "broken")))
        .post("/api/v1/clusters")
        .then()
        .statusCode(201);
    JsonPath broken =
        Api.poll(
            Duration.ofSeconds(20),
            () -> as("admin").get("/api/v1/clusters/k8s-broken").then().extract().jsonPath(),
            c -> !c.getBoolean("health.healthy"),
            "the cluster answering 500 to turn unhealthy");
    assertTrue(
        broken.getString("health.reason").contains("Internal Server Error"), broken.prettify());

    // An API server that accepts connections and never answers.
    try (ServerSocket silent = new ServerSocket(0)) {
      List<Socket> held = new ArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(silent.accept());
                  }
                } catch (IOException e) {
                  // closed
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      as("admin")
          .contentType("application/json")
          .body(
              Map.of(
                  "name", "k8s-silent",
                  "region", "us-east",
                  "site", "iad-2",
                  "backend", "KUBERNETES",
                  "kubernetes", settings("http://127.0.0.1:" + silent.getLocalPort(), NS)))
          .post("/api/v1/clusters")
          .then()
          .statusCode(201);
      JsonPath silentCluster =
          Api.poll(
              Duration.ofSeconds(40),
              () -> as("admin").get("/api/v1/clusters/k8s-silent").then().extract().jsonPath(),
              c -> !c.getBoolean("health.healthy"),
              "the silent cluster to turn unhealthy");
      assertNotNull(silentCluster.getString("health.reason"));
      as("admin").delete("/api/v1/clusters/k8s-silent").then().statusCode(204);
      for (Socket s : held) {
        try (InputStream ignored = s.getInputStream()) {
          s.close();
        }
      }
    }
    as("admin").delete("/api/v1/clusters/k8s-broken").then().statusCode(204);
  }
}
