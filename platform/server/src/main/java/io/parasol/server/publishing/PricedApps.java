package io.parasol.server.publishing;

import io.parasol.server.billing.PricedThings;
import io.parasol.server.compute.ComputePartition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Billing's question whether the app or partition it prices exists: apps from their owners' rows
 * (an app exists once its first version was verified), partitions from the compute registry.
 */
@ApplicationScoped
public class PricedApps implements PricedThings {

  @Override
  @Transactional
  public boolean isApp(String appId) {
    return appId != null && AppOwner.findById(appId) != null;
  }

  @Override
  @Transactional
  public boolean isPartition(String name) {
    return name != null && ComputePartition.findById(name) != null;
  }
}
