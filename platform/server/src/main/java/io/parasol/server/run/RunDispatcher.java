package io.parasol.server.run;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parasol.plugin.api.Accelerator;
import io.parasol.plugin.api.Allocation;
import io.parasol.protocol.RunSpec;
import io.parasol.scheduling.FairShareQueue;
import io.parasol.scheduling.Objective;
import io.parasol.scheduling.Placement;
import io.parasol.scheduling.Rebalance;
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
import io.parasol.server.scheduling.OrgPolicyService;
import io.parasol.server.scheduling.PlacementConfig;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hibernate.LockOptions;
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
  @Inject ReplicaRegistry replicas;
  @Inject OrgPolicyService policies;
  @Inject PlacementConfig placementConfig;
  @Inject io.parasol.server.monitoring.MonitoringService monitoring;

  /** How many waiting runs of one partition one round plans. */
  static final int QUEUE_WINDOW = 500;

  private volatile Rebalance rebalancer;
  private Instant lastOrphanCheck = Instant.EPOCH;

  private final WakeableLoop loop =
      new WakeableLoop("parasol-dispatcher", Duration.ofSeconds(1), this::dispatchQueued);

  /** How waiting runs are moved, from the configuration. */
  Rebalance rebalancer() {
    Rebalance r = rebalancer;
    if (r == null) {
      PlacementConfig.Rebalancing c = placementConfig.rebalance();
      r =
          new Rebalance(
              c.recheckFloor(),
              c.recheckCeiling(),
              c.margin(),
              c.maxExtraCostFraction(),
              c.maxExtraCost());
      rebalancer = r;
    }
    return r;
  }

  /** When a run placed by this decision should be looked at again; null when it is pinned. */
  public Instant nextCheck(Placement.Decision decision) {
    return decision.pinned()
        ? null
        : decision.decidedAt().plus(rebalancer().recheckAfter(decision.chosen()));
  }

  /** Asks the dispatcher to look at the queue now. */
  public void wake() {
    loop.wake();
  }

  void start(@Observes @Priority(50) StartupEvent event) {
    replicas.heartbeat();
    if (!placementConfig.dispatch()) {
      LOG.info("this replica does not dispatch runs (parasol.placement.dispatch=false)");
      return;
    }
    reconcileAll();
    loop.start();
  }

  void stop(@Observes ShutdownEvent event) {
    loop.stop();
    try {
      replicas.leave();
    } catch (RuntimeException e) {
      LOG.debugf("could not leave the replica registry: %s", e.getMessage());
    }
  }

  private record Target(
      String partition,
      String cluster,
      Cluster.Backend kind,
      String settings,
      boolean usable,
      int cores,
      int cards) {}

  /** A run claimed by this replica, ready to go to its backend. */
  private record Claimed(ComputeBackend.Launch launch, Target target, int cores) {}

  /**
   * One round: beat, recover runs a dead replica left half-submitted, then for each partition with
   * waiting runs start what its queue allows, and move waiting runs that would be better off
   * elsewhere.
   */
  void dispatchQueued() {
    replicas.heartbeat();
    recoverOrphans();
    List<String> waiting =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    Run.getEntityManager()
                        .createQuery(
                            "select distinct r.partitionName from Run r where r.state = ?1",
                            String.class)
                        .setParameter(1, RunState.QUEUED)
                        .getResultList());
    Map<String, Target> targets = targets();
    for (String partition : waiting) {
      Target target = targets.get(partition);
      if (target == null || !target.usable()) {
        moveAway(partition);
        continue;
      }
      for (Claimed c : claim(target)) {
        submit(c);
      }
    }
    if (placementConfig.rebalance().enabled()) {
      rebalance(targets);
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
                        p.name,
                        c.name,
                        c.backend,
                        c.settings,
                        c.enabled && c.healthy && p.enabled,
                        p.coresPerNode * p.nodeCount,
                        p.acceleratorsPerNode * p.nodeCount));
              }
              return byPartition;
            });
  }

  /**
   * Plans one partition's queue and claims the runs to start, in one transaction that holds the
   * partition's row: another replica planning the same partition skips it ({@code FOR UPDATE SKIP
   * LOCKED}), so each run is claimed once. Parasol's own queues (local, Kubernetes) get priorities,
   * fair share, quotas and EASY backfill; Slurm queues for itself, so its runs go in order as far
   * as the orgs' quotas allow.
   */
  private List<Claimed> claim(Target target) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              var em = Run.getEntityManager();
              ComputePartition locked =
                  em.find(
                      ComputePartition.class,
                      target.partition(),
                      LockModeType.PESSIMISTIC_WRITE,
                      Map.of("jakarta.persistence.lock.timeout", LockOptions.SKIP_LOCKED));
              if (locked == null) {
                return List.<Claimed>of(); // another replica is planning it
              }
              Instant now = Instant.now();
              double t = now.toEpochMilli() / 1000.0;
              List<FairShareQueue.Running> running = new ArrayList<>();
              for (Run r :
                  Run.<Run>list(
                      "partitionName = ?1 and state in ?2",
                      target.partition(),
                      List.of(RunState.SCHEDULED, RunState.RUNNING))) {
                Instant since = r.scheduledAt == null ? now : r.scheduledAt;
                running.add(
                    new FairShareQueue.Running(
                        r.id.toString(),
                        r.org,
                        r.cores,
                        r.acceleratorCount,
                        since.toEpochMilli() / 1000.0 + r.wallTimeSeconds));
              }
              Map<String, Run> byId = new HashMap<>();
              List<FairShareQueue.Job> queued = new ArrayList<>();
              for (Run r :
                  Run.<Run>find(
                          "partitionName = ?1 and state = ?2 order by priority desc, createdAt",
                          target.partition(),
                          RunState.QUEUED)
                      .page(0, QUEUE_WINDOW)
                      .list()) {
                byId.put(r.id.toString(), r);
                queued.add(
                    new FairShareQueue.Job(
                        r.id.toString(),
                        r.org,
                        r.priority,
                        r.cores,
                        r.acceleratorCount,
                        r.wallTimeSeconds,
                        r.createdAt.toEpochMilli() / 1000.0));
              }
              boolean slurm = target.kind() == Cluster.Backend.SLURM;
              FairShareQueue.Plan plan =
                  FairShareQueue.plan(
                      slurm ? FairShareQueue.Policy.FIFO : FairShareQueue.Policy.PARASOL,
                      t,
                      slurm ? Integer.MAX_VALUE / 2 : target.cores(),
                      slurm ? Integer.MAX_VALUE / 2 : target.cards(),
                      slurm ? List.of() : running,
                      queued,
                      orgsInUse(),
                      policies.quotas());
              for (FairShareQueue.Job j : plan.overQuota()) {
                Run r = byId.get(j.id());
                String reason = "waiting: your organisation's quota is reached";
                if (!reason.equals(r.reason)) {
                  r.reason = reason;
                }
              }
              List<Claimed> claimed = new ArrayList<>();
              for (FairShareQueue.Job j : plan.start()) {
                Run r = em.find(Run.class, byId.get(j.id()).id, LockModeType.PESSIMISTIC_WRITE);
                if (r != null && r.state == RunState.QUEUED) {
                  claimed.add(new Claimed(prepare(r, locked), target, r.cores));
                }
              }
              return claimed;
            });
  }

  /** Each org's cores and cards in flight, anywhere: what its quota counts. */
  private static Map<String, int[]> orgsInUse() {
    Map<String, int[]> use = new HashMap<>();
    Run.getEntityManager()
        .createQuery(
            "select r.org, sum(r.cores), sum(r.acceleratorCount) from Run r where r.state in ?1"
                + " group by r.org",
            Object[].class)
        .setParameter(1, List.of(RunState.SCHEDULED, RunState.RUNNING))
        .getResultList()
        .forEach(
            row ->
                use.put(
                    (String) row[0],
                    new int[] {((Number) row[1]).intValue(), ((Number) row[2]).intValue()}));
    return use;
  }

  /** Marks a claimed run SCHEDULED by this replica and writes the spec its worker runs from. */
  private ComputeBackend.Launch prepare(Run run, ComputePartition partition) {
    String token = newToken();
    Path runDir = data.runDir(run.id);
    Allocation allocation =
        new Allocation(
            run.cores,
            run.memoryMb,
            run.acceleratorKind == null
                ? List.of()
                : List.of(
                    new Accelerator(
                        run.acceleratorKind, run.acceleratorModel, run.acceleratorCount)),
            Duration.ofSeconds(run.wallTimeSeconds));
    writeSpec(run, runDir, allocation, token);
    run.tokenHash = Hashing.sha256Hex(token);
    run.tokenExpiresAt = Instant.now().plusSeconds(run.wallTimeSeconds).plus(TOKEN_GRACE);
    run.attempt++;
    run.scheduledAt = Instant.now();
    run.progress = 0;
    run.jobRef = null;
    run.workerPid = null;
    run.dispatcher = replicas.id();
    run.nextCheckAt = null;
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
    return new ComputeBackend.Launch(
        run.id,
        run.attempt,
        runDir,
        allocation,
        run.partitionName,
        partitionMapping(partition),
        token);
  }

  /** Runs this replica is handing to their backends right now. */
  private final Set<UUID> submitting = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Hands a claimed run to its backend and records the job it became. */
  private void submit(Claimed c) {
    UUID runId = c.launch().runId();
    submitting.add(runId);
    try {
      doSubmit(c);
    } finally {
      submitting.remove(runId);
    }
  }

  private void doSubmit(Claimed c) {
    Target target = c.target();
    UUID runId = c.launch().runId();
    ComputeBackend backend = backends.of(target.cluster(), target.kind(), target.settings());
    if (!backend.tryReserve(c.cores())) {
      requeue(runId, "this machine is full");
      return;
    }
    String ref;
    try {
      Instant deadline = Instant.now().plus(c.launch().allocation().wallTime());
      ref = backend.launch(c.launch(), deadline, callbacks);
    } catch (IOException e) {
      backend.release(c.cores());
      if (target.kind() == Cluster.Backend.LOCAL) {
        LOG.errorf(e, "could not start the worker of run %s", runId);
        fail(
            runId,
            "could not start the worker on this machine; the administrators have the details");
        return;
      }
      // A cluster that does not take jobs counts against its health; the run waits or moves.
      // The engineer reads the run's reason: the backend's own words go to the admins only.
      LOG.warnf("cluster %s did not take run %s: %s", target.cluster(), runId, e.getMessage());
      requeue(
          runId, "cluster " + target.cluster() + " did not take the job; the run waits or moves");
      health().failure(target.cluster(), e.getMessage());
      return;
    } catch (RuntimeException e) {
      backend.release(c.cores());
      LOG.errorf(e, "could not dispatch run %s", runId);
      fail(runId, "could not start the worker; the administrators have the details");
      return;
    }
    int attempt = c.launch().attempt();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Run run = Run.findById(runId, LockModeType.PESSIMISTIC_WRITE);
              if (run != null && run.attempt == attempt) {
                run.jobRef = ref;
                if (target.kind() == Cluster.Backend.LOCAL) {
                  run.workerPid = Long.parseLong(ref);
                }
              }
            });
  }

  /**
   * Runs claimed by a replica that died before it recorded their jobs — or by this one, when the
   * submission never finished — are queued again, so a replica starts them. A run whose worker did
   * start reports in with its token and is not here.
   */
  private void recoverOrphans() {
    Instant now = Instant.now();
    if (Duration.between(lastOrphanCheck, now).toMillis() < 5000) {
      return;
    }
    lastOrphanCheck = now;
    adoptFromStoppedReplicas();
    List<String> alive = replicas.alive();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              List<String> others = new ArrayList<>(alive);
              others.remove(replicas.id());
              for (Run run :
                  Run.<Run>list(
                      "state = ?1 and jobRef is null and workerPid is null and dispatcher is not"
                          + " null and scheduledAt < ?2",
                      RunState.SCHEDULED,
                      now.minus(ReplicaRegistry.DEAD_AFTER))) {
                boolean mine = replicas.id().equals(run.dispatcher);
                if (others.contains(run.dispatcher) || (mine && submitting.contains(run.id))) {
                  continue; // a live replica is still on it
                }
                Run locked = Run.findById(run.id, LockModeType.PESSIMISTIC_WRITE);
                if (locked.state == RunState.SCHEDULED && locked.jobRef == null) {
                  String why =
                      mine
                          ? "its submission did not finish"
                          : "server replica " + locked.dispatcher + " stopped before submitting it";
                  locked.tokenHash = null;
                  locked.attempt--;
                  locked.dispatcher = null;
                  RunStore.move(locked, RunState.QUEUED, why + "; queued again");
                }
              }
            });
  }

  /** A partition that cannot take runs now: its waiting runs that are not pinned go elsewhere. */
  private void moveAway(String partition) {
    List<UUID> ids =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    Run.<Run>find(
                            "partitionName = ?1 and state = ?2 and pinned = false order by"
                                + " createdAt",
                            partition,
                            RunState.QUEUED)
                        .page(0, QUEUE_WINDOW)
                        .list()
                        .stream()
                        .map(r -> r.id)
                        .toList());
    if (ids.isEmpty()) {
      return;
    }
    // placed again from what the registry says now, as the dispatcher just read it: a snapshot
    // taken before the partition's cluster was marked unhealthy would still offer the partition
    placement.invalidate();
    for (UUID id : ids) {
      reconsider(id, Optional.empty(), true);
    }
  }

  /**
   * Waiting runs due for another look are placed again and moved where they are predicted to finish
   * sooner; partitions with idle cores their own queue leaves unused take waiting runs from
   * elsewhere the same way.
   */
  private void rebalance(Map<String, Target> targets) {
    Instant now = Instant.now();
    List<UUID> due =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    Run.<Run>find(
                            "state = ?1 and pinned = false and nextCheckAt <= ?2 order by"
                                + " nextCheckAt",
                            RunState.QUEUED,
                            now)
                        .page(0, 50)
                        .list()
                        .stream()
                        .map(r -> r.id)
                        .toList());
    for (UUID id : due) {
      reconsider(id, Optional.empty(), false);
    }
    Map<String, Integer> idle = idleManagedCores(targets);
    if (idle.isEmpty()) {
      return;
    }
    List<Object[]> elsewhere =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    Run.getEntityManager()
                        .createQuery(
                            "select r.id, r.cores, r.partitionName from Run r where r.state = ?1"
                                + " and r.pinned = false order by r.createdAt",
                            Object[].class)
                        .setParameter(1, RunState.QUEUED)
                        .setMaxResults(200)
                        .getResultList());
    for (Map.Entry<String, Integer> e : idle.entrySet()) {
      int budget = e.getValue();
      for (Object[] r : elsewhere) {
        if (budget <= 0) {
          break;
        }
        if (!e.getKey().equals(r[2]) && (int) r[1] <= budget) {
          if (reconsider((UUID) r[0], Optional.of(e.getKey()), false)) {
            budget -= (int) r[1];
          }
        }
      }
    }
  }

  /** Healthy local and Kubernetes partitions with idle cores and nothing of their own waiting. */
  private Map<String, Integer> idleManagedCores(Map<String, Target> targets) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Map<String, Integer> busy = new HashMap<>();
              Map<String, Long> waiting = new HashMap<>();
              Run.getEntityManager()
                  .createQuery(
                      "select r.partitionName, r.state, sum(r.cores), count(r) from Run r where"
                          + " r.state in ?1 group by r.partitionName, r.state",
                      Object[].class)
                  .setParameter(1, List.of(RunState.QUEUED, RunState.SCHEDULED, RunState.RUNNING))
                  .getResultList()
                  .forEach(
                      row -> {
                        if (row[1] == RunState.QUEUED) {
                          waiting.put((String) row[0], ((Number) row[3]).longValue());
                        } else {
                          busy.merge((String) row[0], ((Number) row[2]).intValue(), Integer::sum);
                        }
                      });
              Map<String, Integer> idle = new HashMap<>();
              for (Target t : targets.values()) {
                int free = t.cores() - busy.getOrDefault(t.partition(), 0);
                if (t.usable()
                    && t.kind() != Cluster.Backend.SLURM
                    && free > 0
                    && waiting.getOrDefault(t.partition(), 0L) == 0) {
                  idle.put(t.partition(), free);
                }
              }
              return idle;
            });
  }

  /**
   * Places a waiting run again and moves it if it should go elsewhere: when its partition cannot
   * take runs ({@code mustMove}), or when another partition ({@code only}, if given) is predicted
   * to finish it sooner by the rebalancing margin. Returns whether it moved.
   */
  private boolean reconsider(UUID id, Optional<String> only, boolean mustMove) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Run run = Run.findById(id, LockModeType.PESSIMISTIC_WRITE);
              if (run == null || run.state != RunState.QUEUED || run.pinned) {
                return false;
              }
              OrgPolicyService.Effective policy = policies.effective(run.org);
              Placement.Need need =
                  new Placement.Need(
                      new Placement.Demand(
                          run.cores,
                          run.memoryMb,
                          run.acceleratorKind,
                          run.acceleratorModel,
                          run.acceleratorCount),
                      Optional.empty(),
                      Objective.parse(run.objective).orElse(Objective.BALANCED),
                      policy.regions(),
                      new Placement.Data(policy.dataRegion(), run.inputBytes),
                      run.predictedRunSeconds == null
                          ? run.wallTimeSeconds
                          : run.predictedRunSeconds,
                      run.wallTimeSeconds,
                      policy.quota());
              Placement.Decision decision;
              try {
                decision = placement.preview(need);
              } catch (Placement.NoPlacementException e) {
                String reason = "waiting: " + e.getMessage();
                if (!reason.equals(run.reason)) {
                  run.reason = RunStore.truncate(reason);
                }
                return false;
              }
              Instant now = decision.decidedAt();
              Optional<Placement.Option> target;
              if (mustMove) {
                target =
                    decision.partition().equals(run.partitionName)
                        ? Optional.empty()
                        : Optional.of(decision.chosen());
              } else {
                target =
                    rebalancer()
                        .moveTo(
                            decision,
                            run.partitionName,
                            Duration.between(run.updatedAt, now),
                            only);
              }
              if (target.isEmpty()) {
                run.nextCheckAt = now.plus(rebalancer().recheckAfter(decision.chosen()));
                return false;
              }
              Placement.Option to = target.get();
              String from = run.partitionName;
              Cluster cluster = Cluster.findById(to.cluster());
              run.partitionName = to.partition();
              run.clusterName = to.cluster();
              run.backend = cluster.backend.name().toLowerCase(Locale.ROOT);
              run.placement = JsonText.write(json, decision);
              run.nextCheckAt = now.plus(rebalancer().recheckAfter(to));
              boolean cannotStay =
                  mustMove
                      || decision.options().stream().noneMatch(o -> o.partition().equals(from));
              RunStore.move(
                  run,
                  RunState.QUEUED,
                  cannotStay
                      ? "placed again: partition "
                          + from
                          + " cannot take runs now; "
                          + decision.reason()
                          + " on "
                          + to.partition()
                      : "moved from partition "
                          + from
                          + " after waiting "
                          + Duration.between(run.updatedAt, now).toSeconds()
                          + " s: predicted to finish sooner on "
                          + to.partition());
              return true;
            });
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
      // made at launch only for a run with input files
      Files.createDirectories(runDir.resolve("inputs"));
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
                  .toList(),
              monitoring.workerSettings());
      // the spec holds the run token: readable by the server's user only
      io.parasol.server.storage.DataDirectory.writePrivate(
          runDir.resolve("spec.json"), json.writeValueAsBytes(spec));
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
                run.dispatcher = null;
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
      Instant scheduledAt,
      String dispatcher) {}

  /** On start: every run in flight, on every cluster. */
  void reconcileAll() {
    reconcile(Optional.empty(), "the server restarted", run -> true);
  }

  /**
   * A cluster answers again (or still does): settle or resubmit its runs that ended or vanished.
   */
  public void reconcileCluster(String cluster) {
    reconcile(Optional.of(cluster), "its cluster lost it", run -> true);
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

  private void reconcile(
      Optional<String> cluster, String why, java.util.function.Predicate<InFlight> which) {
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
                                        r.scheduledAt,
                                        r.dispatcher))
                            .toList());
    Set<String> alive = new HashSet<>(replicas.alive());
    for (InFlight run : inFlight) {
      if (!which.test(run) || !claim(run, alive)) {
        continue; // another live replica started it and watches it
      }
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

  /**
   * Whether this replica may reconcile a run in flight: one it submitted itself, or one whose
   * replica has stopped beating (or that names none), taken over in one conditional update so that
   * of two replicas only one adopts it. A live replica's runs are its own to watch.
   */
  private boolean claim(InFlight run, Set<String> alive) {
    String me = replicas.id();
    if (me.equals(run.dispatcher())) {
      return true;
    }
    if (run.dispatcher() != null && alive.contains(run.dispatcher())) {
      return false;
    }
    return QuarkusTransaction.requiringNew()
            .call(
                () ->
                    run.dispatcher() == null
                        ? Run.update(
                            "dispatcher = ?1 where id = ?2 and attempt = ?3 and dispatcher is null",
                            me,
                            run.id(),
                            run.attempt())
                        : Run.update(
                            "dispatcher = ?1 where id = ?2 and attempt = ?3 and dispatcher = ?4",
                            me,
                            run.id(),
                            run.attempt(),
                            run.dispatcher()))
        == 1;
  }

  /**
   * Runs in flight whose replica stopped (a crash leaves its heartbeat fresh for a while, so the
   * restart's own reconciliation may not see it dead yet): adopted once it is.
   */
  private void adoptFromStoppedReplicas() {
    String me = replicas.id();
    List<String> alive = new ArrayList<>(replicas.alive());
    if (!alive.contains(me)) {
      alive.add(me); // this replica is alive whatever its last heartbeat says
    }
    boolean orphaned =
        QuarkusTransaction.requiringNew()
                .call(
                    () ->
                        Run.count(
                            "state in ?1 and dispatcher is not null and dispatcher not in ?2 and"
                                + " (jobRef is not null or workerPid is not null)",
                            List.of(RunState.SCHEDULED, RunState.RUNNING),
                            alive))
            > 0;
    if (orphaned) {
      // only the stopped replicas' runs whose job is known: this replica's own runs are watched
      // already, and a submission that never recorded its job is recoverOrphans' to queue again
      reconcile(
          Optional.empty(),
          "its server replica stopped",
          run ->
              run.ref() != null && run.dispatcher() != null && !alive.contains(run.dispatcher()));
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
