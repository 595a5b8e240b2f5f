package io.parasol.server.scheduling;

import io.parasol.server.billing.BillingService;
import io.parasol.server.billing.Price;
import io.parasol.server.compute.Cluster;
import io.parasol.server.compute.ComputePartition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Places runs on partitions from the registry, its health and the price book. */
@ApplicationScoped
public class PlacementService {

  private final BillingService billing;
  private final Clock clock = Clock.systemUTC();

  PlacementService(BillingService billing) {
    this.billing = billing;
  }

  /**
   * Decides where a run goes now.
   *
   * @throws Placement.NoPlacementException when nothing fits
   */
  @Transactional
  public Placement.Decision place(Placement.Need need) {
    return Placement.decide(need, candidates(), clock);
  }

  /** Every registered partition as a placement candidate, with its prices in force now. */
  @Transactional
  public List<Placement.Candidate> candidates() {
    Map<String, Cluster> clusters =
        Cluster.<Cluster>listAll().stream()
            .collect(Collectors.toMap(c -> c.name, Function.identity()));
    return ComputePartition.<ComputePartition>list("order by name").stream()
        .map(
            p -> {
              Cluster c = clusters.get(p.cluster);
              return new Placement.Candidate(
                  p.name,
                  p.cluster,
                  c.backend.name().toLowerCase(Locale.ROOT),
                  p.enabled && c.enabled,
                  c.healthy,
                  c.healthReason,
                  p.coresPerNode,
                  p.memoryMbPerNode,
                  p.acceleratorKind,
                  p.acceleratorModel,
                  p.acceleratorsPerNode,
                  billing.priceNow(p.name, Price.Resource.CORE_HOUR).orElse(null),
                  billing.priceNow(p.name, Price.Resource.CARD_HOUR).orElse(null));
            })
        .toList();
  }

  /** The names of the partitions engineers may pin, in order. */
  @Transactional
  public List<String> partitionNames() {
    return ComputePartition.<ComputePartition>list("enabled = true order by name").stream()
        .map(p -> p.name)
        .toList();
  }
}
