package io.parasol.server.compute;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parasol.server.common.JsonText;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Map;

/**
 * The built-in {@code local} cluster and its one partition, sized to this machine on every start
 * (cores the local backend may hand out, the machine's memory), enabled or not by {@code
 * parasol.worker.local.enabled}.
 */
public class ClusterSeed {

  /** The name of the local cluster and of its partition. */
  public static final String LOCAL = "local";

  void seed(
      @Observes @Priority(6) StartupEvent event,
      ComputeConfig config,
      LocalBackend local,
      ObjectMapper json) {
    long memoryMb =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize()
            >> 20;
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Instant now = Instant.now();
              Cluster c = Cluster.findById(LOCAL);
              if (c == null) {
                c = new Cluster();
                c.name = LOCAL;
                c.region = config.local().region();
                c.site = config.local().site();
                c.backend = Cluster.Backend.LOCAL;
                c.settings = JsonText.write(json, new ClusterViews.Settings(null, null));
                c.enabled = config.local().enabled();
                c.healthy = true;
                c.createdAt = now;
                c.updatedAt = now;
                c.persist();
              }
              ComputePartition p = ComputePartition.findById(LOCAL);
              if (p == null) {
                p = new ComputePartition();
                p.name = LOCAL;
                p.cluster = LOCAL;
                p.nodeCount = 1;
                p.ownership = ComputePartition.Ownership.OWNED;
                p.labels = JsonText.write(json, Map.of());
                p.mapping = JsonText.write(json, new ClusterViews.Mapping(null, null));
                p.enabled = true;
                p.createdAt = now;
                p.updatedAt = now;
                p.persist();
              }
              if (c.enabled != config.local().enabled()) {
                c.enabled = config.local().enabled();
                c.updatedAt = now;
              }
              if (p.coresPerNode != local.capacity() || p.memoryMbPerNode != memoryMb) {
                p.coresPerNode = local.capacity();
                p.memoryMbPerNode = Math.max(256, memoryMb);
                p.updatedAt = now;
              }
            });
  }
}
