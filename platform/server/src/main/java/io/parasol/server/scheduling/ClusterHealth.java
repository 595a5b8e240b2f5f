package io.parasol.server.scheduling;

import io.parasol.server.common.WakeableLoop;
import io.parasol.server.compute.Backends;
import io.parasol.server.compute.Cluster;
import io.parasol.server.compute.ComputeBackend;
import io.parasol.server.run.RunDispatcher;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Probes every enabled cluster's backend and keeps its health in the registry. A cluster that fails
 * {@code threshold} probes in a row (or refuses that many jobs) turns unhealthy: placement skips it
 * and its queued runs go elsewhere. After each good probe the runs in flight there are reconciled
 * with the backend, so runs that ended or were lost while it was unreachable are settled or
 * resubmitted when it returns.
 */
@ApplicationScoped
public class ClusterHealth {

  private static final Logger LOG = Logger.getLogger(ClusterHealth.class);

  /** How clusters are probed. */
  @ConfigMapping(prefix = "parasol.clusters.health")
  public interface Config {
    /** How often a healthy cluster is probed. */
    @WithDefault("15S")
    Duration interval();

    /** The longest wait between probes of a cluster that stays down. */
    @WithDefault("5M")
    Duration maxInterval();

    /** Failed probes in a row that make a cluster unhealthy. */
    @WithDefault("3")
    int threshold();
  }

  private final Backends backends;
  private final RunDispatcher dispatcher;
  private final HealthPolicy policy;
  private final Map<String, HealthPolicy.State> states = new ConcurrentHashMap<>();
  private final WakeableLoop loop;

  @jakarta.inject.Inject PlacementService placement;

  ClusterHealth(Backends backends, RunDispatcher dispatcher, Config config) {
    this.backends = backends;
    this.dispatcher = dispatcher;
    this.policy =
        new HealthPolicy(
            config.threshold(), config.interval(), config.maxInterval(), Clock.systemUTC());
    Duration tick =
        config.interval().compareTo(Duration.ofSeconds(1)) < 0
            ? config.interval()
            : Duration.ofSeconds(1);
    this.loop = new WakeableLoop("parasol-cluster-health", tick, this::probeDue);
  }

  void start(@Observes @Priority(60) StartupEvent event) {
    loop.start();
  }

  void stop(@Observes ShutdownEvent event) {
    loop.stop();
  }

  /** Probes due clusters soon, for example after one was registered. */
  public void wake() {
    loop.wake();
  }

  /** Forgets a cluster's backend and probe state, after its settings changed or it was removed. */
  public void forget(String cluster) {
    states.remove(cluster);
    backends.forget(cluster);
    loop.wake();
  }

  private record Target(String name, Cluster.Backend backend, String settings) {}

  void probeDue() {
    List<Target> targets =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    Cluster.<Cluster>list("enabled = true and backend <> ?1", Cluster.Backend.LOCAL)
                        .stream()
                        .map(c -> new Target(c.name, c.backend, c.settings))
                        .toList());
    for (Target t : targets) {
      HealthPolicy.State state = states.computeIfAbsent(t.name(), n -> initial(n));
      if (policy.due(state)) {
        probe(t);
      }
    }
  }

  /** Probes one cluster now, whatever its schedule. */
  public void probe(String name) {
    Cluster c = QuarkusTransaction.requiringNew().call(() -> Cluster.findById(name));
    if (c == null || c.backend == Cluster.Backend.LOCAL) {
      return;
    }
    probe(new Target(c.name, c.backend, c.settings));
  }

  private void probe(Target t) {
    ComputeBackend backend = backends.of(t.name(), t.backend(), t.settings());
    try {
      backend.probe();
    } catch (ComputeBackend.UnavailableException e) {
      failure(t.name(), e.getMessage());
      return;
    } catch (RuntimeException e) {
      failure(t.name(), "probe failed: " + e);
      return;
    }
    record(t.name(), policy.success(state(t.name())));
    dispatcher.reconcileCluster(t.name());
    try {
      int removed = backend.collectOrphans(dispatcher.liveRefs(t.name()));
      if (removed > 0) {
        LOG.infof("removed %d orphaned job(s) on cluster %s", removed, t.name());
      }
    } catch (ComputeBackend.UnavailableException | RuntimeException e) {
      LOG.debugf("orphan collection on %s failed: %s", t.name(), e.getMessage());
    }
    try {
      placement.backendQueue(t.name(), backend.pending());
    } catch (ComputeBackend.UnavailableException | RuntimeException e) {
      LOG.debugf("reading the queue of %s failed: %s", t.name(), e.getMessage());
    }
  }

  /** Counts a failure of a cluster's backend seen outside a probe, such as a refused job. */
  public void failure(String name, String reason) {
    HealthPolicy.Outcome outcome = policy.failure(state(name), reason);
    record(name, outcome);
    if (outcome.changed()) {
      LOG.warnf("cluster %s is unhealthy: %s", name, reason);
      dispatcher.wake();
    }
  }

  private HealthPolicy.State state(String name) {
    return states.computeIfAbsent(name, this::initial);
  }

  private HealthPolicy.State initial(String name) {
    Cluster c = QuarkusTransaction.requiringNew().call(() -> Cluster.findById(name));
    Instant now = Instant.now();
    if (c == null || c.healthy) {
      return HealthPolicy.State.initial(now);
    }
    return new HealthPolicy.State(false, Math.max(c.failures, 1), now, c.healthReason);
  }

  private void record(String name, HealthPolicy.Outcome outcome) {
    HealthPolicy.State s = outcome.state();
    states.put(name, s);
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Cluster c = Cluster.findById(name, LockModeType.PESSIMISTIC_WRITE);
              if (c == null) {
                return;
              }
              c.checkedAt = Instant.now();
              c.failures = s.failures();
              c.healthy = s.healthy();
              c.healthReason = clip(s.reason());
            });
    if (outcome.changed()) {
      placement.invalidate();
    }
    if (outcome.changed() && s.healthy()) {
      LOG.infof("cluster %s is healthy again", name);
      dispatcher.wake();
    }
  }

  private static String clip(String s) {
    return s == null ? null : s.length() <= 2000 ? s : s.substring(0, 2000);
  }
}
