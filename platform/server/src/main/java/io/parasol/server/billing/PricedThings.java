package io.parasol.server.billing;

/**
 * What billing asks of the features that own apps and partitions before it records a price, a
 * licence fee or a subscription for one: billing's port, implemented by the owners (publishing for
 * apps, compute for partitions), so that billing depends on neither.
 */
public interface PricedThings {

  /** Whether an app with this id has been uploaded by its vendor (a fee may precede publishing). */
  boolean isApp(String appId);

  /** Whether a partition with this name is registered. */
  boolean isPartition(String name);
}
