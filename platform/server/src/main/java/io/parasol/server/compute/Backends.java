package io.parasol.server.compute;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parasol.server.common.JsonText;
import io.parasol.server.storage.DataDirectory;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The backend of each cluster: the local backend for {@code local}, and one Kubernetes or Slurm
 * backend per registered cluster, made from its settings and remade when they change.
 */
@ApplicationScoped
public class Backends {

  private final LocalBackend local;
  private final ComputeConfig config;
  private final WorkerBinary worker;
  private final DataDirectory data;
  private final ObjectMapper json;
  private final int httpPort;
  private final Map<String, Entry> remote = new ConcurrentHashMap<>();

  private record Entry(String settings, ComputeBackend backend) {}

  Backends(
      LocalBackend local,
      ComputeConfig config,
      WorkerBinary worker,
      DataDirectory data,
      ObjectMapper json,
      @ConfigProperty(name = "quarkus.http.port") int httpPort) {
    this.local = local;
    this.config = config;
    this.worker = worker;
    this.data = data;
    this.json = json;
    this.httpPort = httpPort;
  }

  /** The local backend. */
  public LocalBackend local() {
    return local;
  }

  /** The backend of a cluster by name; empty-handed when the cluster is not registered. */
  public ComputeBackend of(String clusterName) {
    Cluster c = QuarkusTransaction.requiringNew().call(() -> Cluster.findById(clusterName));
    if (c == null) {
      throw new IllegalStateException("no cluster named " + clusterName);
    }
    return of(c.name, c.backend, c.settings);
  }

  /** The backend of a cluster with the given settings, made once per settings. */
  public ComputeBackend of(String name, Cluster.Backend kind, String settings) {
    if (kind == Cluster.Backend.LOCAL) {
      return local;
    }
    Entry entry =
        remote.compute(
            name,
            (k, existing) -> {
              if (existing != null && existing.settings().equals(settings)) {
                return existing;
              }
              if (existing != null) {
                existing.backend().close();
              }
              return new Entry(settings, create(name, kind, settings));
            });
    return entry.backend();
  }

  private ComputeBackend create(String name, Cluster.Backend kind, String settings) {
    ClusterViews.Settings s = JsonText.read(json, settings, ClusterViews.Settings.class);
    return switch (kind) {
      case KUBERNETES ->
          new KubernetesBackend(
              name, s.kubernetes(), config, data, callbackUrl(s.kubernetes().callbackUrl()));
      case SLURM ->
          new SlurmBackend(
              name, s.slurm(), config, worker, data, callbackUrl(s.slurm().callbackUrl()));
      case LOCAL -> local;
    };
  }

  /** The URL workers call back when nothing else is configured: this server on loopback. */
  public String defaultCallbackUrl() {
    return config.callbackUrl().orElse("http://127.0.0.1:" + httpPort);
  }

  /** A cluster's own callback URL, else the default. */
  private String callbackUrl(String ofCluster) {
    return ofCluster == null ? defaultCallbackUrl() : ofCluster;
  }

  /** Drops a cluster's backend, for example after its settings changed or it was removed. */
  public void forget(String clusterName) {
    Entry e = remote.remove(clusterName);
    if (e != null) {
      e.backend().close();
    }
  }

  @PreDestroy
  void close() {
    remote.values().forEach(e -> e.backend().close());
    remote.clear();
  }
}
