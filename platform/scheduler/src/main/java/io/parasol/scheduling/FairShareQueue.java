package io.parasol.scheduling;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The queue of one partition that Parasol schedules itself: which waiting runs start now.
 *
 * <p>Runs are taken in priority order; among equal priorities the org with the smallest dominant
 * share of the partition (dominant-resource fairness over cores and accelerator cards) goes first,
 * then the oldest run. A run that would take its org over its quota of concurrent cores or cards is
 * passed over. The first run in that order that does not fit gets a reservation at the earliest
 * time enough resources free up (by the wall-time estimates of the runs in flight); later runs
 * start only if they fit now and do not delay that reservation (EASY backfill).
 *
 * <p>Times are seconds on any one clock. Pure: the server and the simulator call it the same way.
 */
public final class FairShareQueue {

  /**
   * How the queue orders and fills.
   *
   * @param fairShare order equal priorities by dominant share (else by submission only)
   * @param backfill start later runs around the reservation (else strict order)
   */
  public record Policy(boolean fairShare, boolean backfill) {

    /** Parasol's policy: fair share and EASY backfill. */
    public static final Policy PARASOL = new Policy(true, true);

    /** First come, first served, no backfill. */
    public static final Policy FIFO = new Policy(false, false);

    /** First come, first served, with EASY backfill. */
    public static final Policy EASY = new Policy(false, true);
  }

  /**
   * A waiting run.
   *
   * @param id its id
   * @param org its org
   * @param priority higher first
   * @param cores cores
   * @param cards accelerator cards
   * @param estimateSeconds its wall-time estimate
   * @param submittedAt when it was queued
   */
  public record Job(
      String id,
      String org,
      int priority,
      int cores,
      int cards,
      double estimateSeconds,
      double submittedAt) {}

  /**
   * A run in flight on the partition.
   *
   * @param id its id
   * @param org its org
   * @param cores cores
   * @param cards cards
   * @param expectedEnd when it ends at the latest, by its estimate
   */
  public record Running(String id, String org, int cores, int cards, double expectedEnd) {}

  /**
   * The head run's reservation.
   *
   * @param jobId the run that waits for it
   * @param at the earliest time it can start (the shadow time)
   * @param extraCores cores free at that time beyond what it needs
   * @param extraCards cards free at that time beyond what it needs
   */
  public record Reservation(String jobId, double at, int extraCores, int extraCards) {

    /** Whether a run can start now without delaying this reservation. */
    public boolean admits(double now, int cores, int cards, double estimateSeconds) {
      return now + estimateSeconds <= at || (cores <= extraCores && cards <= extraCards);
    }
  }

  /**
   * What to do now.
   *
   * @param start the runs to start now, in order
   * @param reservation the head run's reservation, when one does not fit
   * @param overQuota the runs passed over because their org is at its quota
   */
  public record Plan(List<Job> start, Optional<Reservation> reservation, List<Job> overQuota) {}

  private FairShareQueue() {}

  /**
   * Plans the partition's queue now.
   *
   * @param now the time
   * @param totalCores the partition's cores
   * @param totalCards the partition's accelerator cards
   * @param running the runs in flight on it
   * @param queued the runs waiting for it, in any order
   * @param orgInUse each org's cores and cards in flight anywhere ({cores, cards}), for quotas
   * @param quotas each org's quota; absent for none
   */
  public static Plan plan(
      Policy policy,
      double now,
      int totalCores,
      int totalCards,
      List<Running> running,
      List<Job> queued,
      Map<String, int[]> orgInUse,
      Map<String, Placement.Quota> quotas) {
    int freeCores = totalCores;
    int freeCards = totalCards;
    Map<String, int[]> share = new HashMap<>(); // cores, cards of each org on this partition
    List<Running> ends = new ArrayList<>(running);
    for (Running r : running) {
      freeCores -= r.cores();
      freeCards -= r.cards();
      int[] s = share.computeIfAbsent(r.org(), k -> new int[2]);
      s[0] += r.cores();
      s[1] += r.cards();
    }
    Map<String, int[]> inUse = new HashMap<>();
    orgInUse.forEach((org, use) -> inUse.put(org, use.clone()));

    // each org's runs in priority, then submission order; the orgs compete by their heads
    Comparator<Job> inOrg =
        Comparator.comparingInt((Job j) -> -j.priority())
            .thenComparingDouble(Job::submittedAt)
            .thenComparing(Job::id);
    Map<String, Deque<Job>> byOrg = new TreeMap<>();
    if (policy.fairShare()) {
      List<Job> sorted = new ArrayList<>(queued);
      sorted.sort(inOrg);
      for (Job j : sorted) {
        byOrg.computeIfAbsent(j.org(), k -> new ArrayDeque<>()).add(j);
      }
    } else {
      List<Job> sorted = new ArrayList<>(queued);
      sorted.sort(Comparator.comparingDouble(Job::submittedAt).thenComparing(Job::id));
      byOrg.put("", new ArrayDeque<>(sorted));
    }

    List<Job> start = new ArrayList<>();
    List<Job> overQuota = new ArrayList<>();
    Reservation reservation = null;
    int extraCores = 0;
    int extraCards = 0;
    while (freeCores > 0) {
      Job next = nextJob(byOrg, share, totalCores, totalCards);
      if (next == null) {
        break;
      }
      Placement.Quota quota = quotas.getOrDefault(next.org(), Placement.Quota.NONE);
      int[] use = inUse.computeIfAbsent(next.org(), k -> new int[2]);
      if ((quota.maxCores() >= 0 && use[0] + next.cores() > quota.maxCores())
          || (quota.maxCards() >= 0 && use[1] + next.cards() > quota.maxCards())) {
        overQuota.add(next);
        continue;
      }
      boolean fits = next.cores() <= freeCores && next.cards() <= freeCards;
      if (reservation == null) {
        if (!fits) {
          if (next.cores() > totalCores || next.cards() > totalCards) {
            continue; // can never run here; placement does not send such runs
          }
          reservation = reserve(next, now, freeCores, freeCards, ends);
          extraCores = reservation.extraCores();
          extraCards = reservation.extraCards();
          if (!policy.backfill()) {
            break;
          }
          continue;
        }
      } else {
        if (!fits) {
          continue;
        }
        boolean endsInTime = now + next.estimateSeconds() <= reservation.at();
        boolean inExtra = next.cores() <= extraCores && next.cards() <= extraCards;
        if (!endsInTime && !inExtra) {
          continue;
        }
        if (!endsInTime) {
          extraCores -= next.cores();
          extraCards -= next.cards();
        }
      }
      start.add(next);
      freeCores -= next.cores();
      freeCards -= next.cards();
      use[0] += next.cores();
      use[1] += next.cards();
      int[] s = share.computeIfAbsent(next.org(), k -> new int[2]);
      s[0] += next.cores();
      s[1] += next.cards();
      ends.add(
          new Running(
              next.id(), next.org(), next.cores(), next.cards(), now + next.estimateSeconds()));
    }
    return new Plan(List.copyOf(start), Optional.ofNullable(reservation), List.copyOf(overQuota));
  }

  /** Takes the next run: highest priority, then the smallest dominant share, then the oldest. */
  private static Job nextJob(
      Map<String, Deque<Job>> byOrg, Map<String, int[]> share, int totalCores, int totalCards) {
    Deque<Job> best = null;
    double bestShare = 0;
    for (Map.Entry<String, Deque<Job>> e : byOrg.entrySet()) {
      Job head = e.getValue().peekFirst();
      if (head == null) {
        continue;
      }
      double s = dominantShare(share.get(head.org()), totalCores, totalCards);
      if (best == null) {
        best = e.getValue();
        bestShare = s;
        continue;
      }
      Job other = best.peekFirst();
      int byPriority = Integer.compare(other.priority(), head.priority());
      if (byPriority > 0) {
        continue;
      }
      if (byPriority < 0
          || s < bestShare
          || (s == bestShare
              && (head.submittedAt() < other.submittedAt()
                  || (head.submittedAt() == other.submittedAt()
                      && head.id().compareTo(other.id()) < 0)))) {
        best = e.getValue();
        bestShare = s;
      }
    }
    return best == null ? null : best.pollFirst();
  }

  /** An org's dominant share: the larger of its fractions of the cores and of the cards. */
  static double dominantShare(int[] use, int totalCores, int totalCards) {
    if (use == null) {
      return 0;
    }
    double cores = totalCores == 0 ? 0 : (double) use[0] / totalCores;
    double cards = totalCards == 0 ? 0 : (double) use[1] / totalCards;
    return Math.max(cores, cards);
  }

  /** The earliest time the head fits, by the runs' estimated ends, and what is spare then. */
  static Reservation reserve(
      Job head, double now, int freeCores, int freeCards, List<Running> running) {
    List<Running> byEnd = new ArrayList<>(running);
    byEnd.sort(Comparator.comparingDouble(Running::expectedEnd));
    int cores = freeCores;
    int cards = freeCards;
    double at = now;
    for (Running r : byEnd) {
      if (cores >= head.cores() && cards >= head.cards()) {
        break;
      }
      cores += r.cores();
      cards += r.cards();
      at = Math.max(now, r.expectedEnd());
    }
    // every run that ends by then has freed its resources, including ties
    cores = freeCores;
    cards = freeCards;
    for (Running r : byEnd) {
      if (r.expectedEnd() <= at) {
        cores += r.cores();
        cards += r.cards();
      }
    }
    return new Reservation(head.id(), at, cores - head.cores(), cards - head.cards());
  }
}
