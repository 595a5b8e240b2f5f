package io.parasol.server.run;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parasol.plugin.api.Accelerator;
import io.parasol.plugin.api.Allocation;
import io.parasol.protocol.RunSpec;
import io.parasol.server.common.Hashing;
import io.parasol.server.common.JsonText;
import io.parasol.server.common.WakeableLoop;
import io.parasol.server.compute.Backends;
import io.parasol.server.compute.Cluster;
import io.parasol.server.compute.ClusterViews;
import io.parasol.server.compute.ComputeBackend;
import io.parasol.server.compute.ComputeConfig;
import io.parasol.server.compute.ComputePartition;
import io.parasol.server.publishing.PublishingService;
import io.parasol.server.scheduling.ClusterHealth;
import io.parasol.server.scheduling.Placement;
import io.parasol.server.scheduling.PlacementService;
import io.parasol.server.storage.DataDirectory;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Moves queued runs onto their partitions' backends, oldest first per partition, as capacity
 * allows; moves queued runs off unhealthy clusters unless they are pinned; and reconciles runs in
 * flight with their backends on start and whenever a cluster answers again.
 */
@ApplicationScoped
public class RunDispatcher {

  private static final Logger LOG = Logger.getLogger(RunDispatcher.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  static final int MAX_ATTEMPTS = 3;

  /** How long a worker token outlives the run's wall time: time to upload outputs. */
  static final Duration TOKEN_GRACE = Duration.ofMinutes(15);

  /** A run scheduled this long ago without a job reference lost its job in a crash. */
  private static final Duration LAUNCH_GRACE = Duration.ofMinutes(5);

  @Inject Backends backends;
  @Inject PublishingService publishing;
  @Inject WorkerCallbackService callbacks;
  @Inject PlacementService placement;
  @Inject DataDirectory data;
  @Inject ComputeConfig config;
  @Inject ObjectMapper json;

  private final WakeableLoop loop =
      new WakeableLoop("parasol-dispatcher", Duration.ofSeconds(1), this::dispatchQueued);

  /** Asks the dispatcher to look at the queue now. */
  public void wake() {
    loop.wake();
  }

  void start(@Observes @Priority(50) StartupEvent event) {
    reconcileAll();
    loop.start();
  }

  void stop(@Observes ShutdownEvent event) {
    loop.stop();
  }

  private record Queued(UUID id, int cores, String partition, String cluster, boolean pinned) {}

  private record Target(
      String cluster, Cluster.Backend kind, String settings, boolean usable, int capacity) {}

  void dispatchQueued() {
    List<Queued> queued =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    Run.<Run>find("state = ?1 order by createdAt", RunState.QUEUED)
                        .page(0, 200)
                        .list()
                        .stream()
                        .map(
                            r ->
                                new Queued(r.id, r.cores, r.partitionName, r.clusterName, r.pinned))
                        .toList());
    if (queued.isEmpty()) {
      return;
    }
    Map<String, Target> targets = targets();
    Map<String, Integer> inUse = coresInUse();
    Set<String> full = new HashSet<>();
    for (Queued q : queued) {
      Target target = targets.get(q.partition());
      if (target == null || !target.usable()) {
        if (q.pinned()) {
          continue; // a pinned run waits for its partition
        }
        Optional<Queued> moved = replace(q);
        if (moved.isEmpty()) {
          continue;
        }
        q = moved.get();
        target = targets.get(q.partition());
        if (target == null || !target.usable()) {
          continue;
        }
      }
      if (full.contains(q.partition())) {
        continue; // first come, first served within a partition
      }
      ComputeBackend backend = backends.of(target.cluster(), target.kind(), target.settings());
      boolean reserved;
      if (target.kind() == Cluster.Backend.LOCAL) {
        reserved = backend.tryReserve(q.cores());
      } else {
        int used = inUse.getOrDefault(q.partition(), 0);
        reserved = used == 0 || used + q.cores() <= target.capacity();
        if (reserved) {
          inUse.put(q.partition(), used + q.cores());
        }
      }
      if (!reserved) {
        full.add(q.partition());
        continue;
      }
      try {
        if (!dispatch(q.id(), backend)) {
          backend.release(q.cores());
        }
      } catch (IOException e) {
        backend.release(q.cores());
        if (target.kind() == Cluster.Backend.LOCAL) {
          LOG.errorf(e, "could not start the worker of run %s", q.id());
          fail(q.id(), "could not start the worker: " + e.getMessage());
          continue;
        }
        // A cluster that does not take jobs counts against its health; the run waits or moves.
        requeue(q.id(), "cluster " + q.cluster() + " did not take the job: " + e.getMessage());
        health().failure(q.cluster(), e.getMessage());
        full.add(q.partition());
      } catch (RuntimeException e) {
        backend.release(q.cores());
        LOG.errorf(e, "could not dispatch run %s", q.id());
        fail(q.id(), "could not start the worker: " + e.getMessage());
      }
    }
  }

  private Map<String, Target> targets() {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Map<String, Cluster> clusters = new HashMap<>();
              Cluster.<Cluster>listAll().forEach(c -> clusters.put(c.name, c));
              Map<String, Target> byPartition = new HashMap<>();
              for (ComputePartition p : ComputePartition.<ComputePartition>listAll()) {
                Cluster c = clusters.get(p.cluster);
                byPartition.put(
                    p.name,
                    new Target(
                        c.name,
                        c.backend,
                        c.settings,
                        c.enabled && c.healthy && p.enabled,
                        p.coresPerNode * p.nodeCount));
              }
              return byPartition;
            });
  }

  private Map<String, Integer> coresInUse() {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Map<String, Integer> used = new HashMap<>();
              Run.getEntityManager()
                  .createQuery(
                      "select r.partitionName, sum(r.cores) from Run r where r.state in ?1"
                          + " group by r.partitionName",
                      Object[].class)
                  .setParameter(1, List.of(RunState.SCHEDULED, RunState.RUNNING))
                  .getResultList()
                  .forEach(row -> used.put((String) row[0], ((Number) row[1]).intValue()));
              return used;
            });
  }

  /** Places a queued run elsewhere because its partition cannot take runs now. */
  private Optional<Queued> replace(Queued q) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Run run = Run.findById(q.id(), LockModeType.PESSIMISTIC_WRITE);
              if (run == null || run.state != RunState.QUEUED) {
                return Optional.empty();
              }
              Placement.Decision decision;
              try {
                decision =
                    placement.place(
                        new Placement.Need(
                            run.cores,
                            run.memoryMb,
                            run.acceleratorKind,
                            run.acceleratorModel,
                            run.acceleratorCount,
                            Optional.empty()));
              } catch (Placement.NoPlacementException e) {
                String reason = "waiting: " + e.getMessage();
                if (!reason.equals(run.reason)) {
                  run.reason = RunStore.truncate(reason);
                }
                return Optional.empty();
              }
              if (decision.partition().equals(run.partitionName)) {
                return Optional.empty();
              }
              String from = run.partitionName;
              run.partitionName = decision.partition();
              run.clusterName = decision.cluster();
              run.backend = decision.backend();
              run.placement = JsonText.write(json, decision);
              RunStore.move(
                  run,
                  RunState.QUEUED,
                  "placed again: partition "
                      + from
                      + " cannot take runs now; "
                      + decision.reason()
                      + " on "
                      + decision.partition());
              return Optional.of(
                  new Queued(run.id, run.cores, run.partitionName, run.clusterName, false));
            });
  }

  /** Starts one queued run; false when it was no longer queued. */
  private boolean dispatch(UUID runId, ComputeBackend backend) throws IOException {
    String token = newToken();
    Optional<ComputeBackend.Launch> launch =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  Run run = Run.findById(runId, LockModeType.PESSIMISTIC_WRITE);
                  if (run == null || run.state != RunState.QUEUED) {
                    return Optional.empty();
                  }
                  ComputePartition partition = ComputePartition.findById(run.partitionName);
                  Path runDir = data.runDir(run.id);
                  Allocation allocation =
                      new Allocation(
                          run.cores,
                          run.memoryMb,
                          run.acceleratorKind == null
                              ? List.of()
                              : List.of(
                                  new Accelerator(
                                      run.acceleratorKind,
                                      run.acceleratorModel,
                                      run.acceleratorCount)),
                          Duration.ofSeconds(run.wallTimeSeconds));
                  writeSpec(run, runDir, allocation, token);
                  run.tokenHash = Hashing.sha256Hex(token);
                  run.tokenExpiresAt =
                      Instant.now().plusSeconds(run.wallTimeSeconds).plus(TOKEN_GRACE);
                  run.attempt++;
                  run.scheduledAt = Instant.now();
                  run.progress = 0;
                  run.jobRef = null;
                  RunStore.move(
                      run,
                      RunState.SCHEDULED,
                      "submitted to partition "
                          + run.partitionName
                          + " of cluster "
                          + run.clusterName
                          + " ("
                          + run.backend
                          + ")");
                  return Optional.of(
                      new ComputeBackend.Launch(
                          run.id,
                          run.attempt,
                          runDir,
                          allocation,
                          run.partitionName,
                          partitionMapping(partition),
                          token));
                });
    if (launch.isEmpty()) {
      return false;
    }
    Instant deadline = Instant.now().plus(launch.get().allocation().wallTime());
    String ref = backend.launch(launch.get(), deadline, callbacks);
    int attempt = launch.get().attempt();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Run run = Run.findById(runId, LockModeType.PESSIMISTIC_WRITE);
              if (run != null && run.attempt == attempt) {
                run.jobRef = ref;
                if (backend == backends.local()) {
                  run.workerPid = Long.parseLong(ref);
                }
              }
            });
    return true;
  }

  private ClusterViews.Mapping partitionMapping(ComputePartition partition) {
    return partition == null
        ? new ClusterViews.Mapping(null, null)
        : JsonText.read(json, partition.mapping, ClusterViews.Mapping.class);
  }

  /** The spec a worker runs from; remote workers fetch it with their token. */
  private void writeSpec(Run run, Path runDir, Allocation allocation, String token) {
    try {
      Files.createDirectories(runDir.resolve("work"));
      Map<String, Object> inputs = json.readValue(run.inputs, new TypeReference<>() {});
      Map<String, String> files = json.readValue(run.inputFiles, new TypeReference<>() {});
      RunSpec spec =
          new RunSpec(
              run.id.toString(),
              run.appId,
              publishing.jarPath(run.jarSha256).toString(),
              inputs,
              files,
              allocation,
              backends.defaultCallbackUrl(),
              token,
              new RunSpec.Limits(
                  config.maxLogBytes().asLongValue(),
                  config.maxOutputBytes().asLongValue(),
                  config.maxOutputFiles()),
              RunStore.dependencyShas(run).stream()
                  .map(sha -> publishing.jarPath(sha).toString())
                  .toList());
      json.writeValue(runDir.resolve("spec.json").toFile(), spec);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the run spec: " + e.getMessage(), e);
    }
  }

  private void requeue(UUID runId, String reason) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Run run = Run.findById(runId, LockModeType.PESSIMISTIC_WRITE);
              if (run != null && run.state == RunState.SCHEDULED) {
                run.tokenHash = null;
                run.jobRef = null;
                run.attempt--;
                RunStore.move(run, RunState.QUEUED, RunStore.truncate(reason) + "; queued again");
              }
            });
  }

  private void fail(UUID runId, String reason) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Run run = Run.findById(runId, LockModeType.PESSIMISTIC_WRITE);
              if (run != null && !run.state.isTerminal()) {
                RunStore.finish(run, RunState.FAILED, reason);
              }
            });
  }

  // ---------------------------------------------------------------- reconciliation

  private record InFlight(
      UUID id,
      int attempt,
      String ref,
      int cores,
      Instant deadline,
      String cluster,
      Instant scheduledAt) {}

  /** On start: every run in flight, on every cluster. */
  void reconcileAll() {
    reconcile(Optional.empty(), "the server restarted");
  }

  /**
   * A cluster answers again (or still does): settle or resubmit its runs that ended or vanished.
   */
  public void reconcileCluster(String cluster) {
    reconcile(Optional.of(cluster), "its cluster lost it");
  }

  /** The job references of the runs in flight on a cluster. */
  public Set<String> liveRefs(String cluster) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                new HashSet<>(
                    Run.<Run>list(
                            "clusterName = ?1 and state in ?2 and jobRef is not null",
                            cluster,
                            List.of(RunState.SCHEDULED, RunState.RUNNING))
                        .stream()
                        .map(r -> r.jobRef)
                        .toList()));
  }

  private void reconcile(Optional<String> cluster, String why) {
    List<InFlight> inFlight =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    (cluster.isPresent()
                            ? Run.<Run>list(
                                "clusterName = ?1 and state in ?2",
                                cluster.get(),
                                List.of(RunState.SCHEDULED, RunState.RUNNING))
                            : Run.<Run>list(
                                "state in ?1", List.of(RunState.SCHEDULED, RunState.RUNNING)))
                        .stream()
                            .map(
                                r ->
                                    new InFlight(
                                        r.id,
                                        r.attempt,
                                        r.jobRef != null
                                            ? r.jobRef
                                            : r.workerPid == null ? null : r.workerPid.toString(),
                                        r.cores,
                                        (r.scheduledAt == null ? Instant.now() : r.scheduledAt)
                                            .plusSeconds(r.wallTimeSeconds),
                                        r.clusterName,
                                        r.scheduledAt))
                            .toList());
    for (InFlight run : inFlight) {
      if (run.ref() == null) {
        if (cluster.isPresent()
            && run.scheduledAt() != null
            && run.scheduledAt().isAfter(Instant.now().minus(LAUNCH_GRACE))) {
          continue; // being launched right now
        }
        callbacks.lost(run.id(), run.attempt(), why + ": its job was never recorded");
        continue;
      }
      ComputeBackend backend;
      try {
        backend = backends.of(run.cluster());
      } catch (IllegalStateException e) {
        callbacks.lost(run.id(), run.attempt(), "its cluster " + run.cluster() + " was removed");
        continue;
      }
      try {
        if (!backend.adopt(
            run.id(), run.attempt(), run.ref(), run.cores(), run.deadline(), callbacks)) {
          callbacks.lost(
              run.id(),
              run.attempt(),
              why + ": job " + run.ref() + " is gone from cluster " + run.cluster());
        }
      } catch (ComputeBackend.UnavailableException e) {
        // Unreachable now: the run stays as it is and is reconciled when the cluster answers.
        LOG.infof("run %s: cluster %s unreachable, reconciled later", run.id(), run.cluster());
      }
    }
  }

  private static ClusterHealth health() {
    return Arc.container().instance(ClusterHealth.class).get();
  }

  private static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
