package io.parasol.server.scheduling;

/**
 * A CDI event: the registry, a cluster's health or the price book changed, so placement snapshots
 * taken before are stale once the change commits.
 */
public record PlacementInputsChanged(String what) {}
