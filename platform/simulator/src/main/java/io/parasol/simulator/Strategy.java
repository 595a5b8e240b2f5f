package io.parasol.simulator;

import io.parasol.scheduling.FairShareQueue;

/** How a simulated federation routes and queues jobs: Parasol's policy and the baselines. */
public enum Strategy {
  /** Placement v2 (balanced objective) over every partition; fair share and EASY backfill. */
  PARASOL("parasol", FairShareQueue.Policy.PARASOL),
  /** Each job at its org's home site, first come first served, no backfill. */
  FIFO("fifo", FairShareQueue.Policy.FIFO),
  /** Each job at its org's home site, EASY backfill per cluster. */
  EASY("easy-per-cluster", FairShareQueue.Policy.EASY),
  /** Each job at its org's home site with Parasol's queues (fair share and EASY backfill). */
  HOME_ONLY("home-only", FairShareQueue.Policy.PARASOL),
  /** Jobs dealt to the partitions in turn, EASY backfill. */
  ROUND_ROBIN("round-robin", FairShareQueue.Policy.EASY),
  /** The cheapest partition per core-hour that fits, EASY backfill. */
  CHEAPEST_FIRST("cheapest-first", FairShareQueue.Policy.EASY),
  /**
   * Federation-style sibling race: a copy queues at every partition that fits (its inputs staged to
   * each); the first copy to start wins and the others are withdrawn. EASY backfill.
   */
  SIBLING_RACE("sibling-race", FairShareQueue.Policy.EASY);

  private final String id;
  private final FairShareQueue.Policy queue;

  Strategy(String id, FairShareQueue.Policy queue) {
    this.id = id;
    this.queue = queue;
  }

  /** The name reports use. */
  public String id() {
    return id;
  }

  /** How its partitions queue. */
  public FairShareQueue.Policy queue() {
    return queue;
  }

  /** The strategy with this report name. */
  public static Strategy of(String id) {
    for (Strategy s : values()) {
      if (s.id.equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException("no strategy named " + id);
  }
}
