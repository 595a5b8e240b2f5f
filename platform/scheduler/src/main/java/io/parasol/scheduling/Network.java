package io.parasol.scheduling;

import java.util.HashMap;
import java.util.Map;

/**
 * What moving a run's inputs between regions costs in time and money. Links are symmetric; within a
 * region data moves free and at once (it is on the same storage).
 */
public final class Network {

  /**
   * One link between two regions.
   *
   * @param latencySeconds the time before the first byte arrives
   * @param bytesPerSecond the sustained transfer rate
   * @param costPerGb what one GB (10^9 bytes) moved costs
   */
  public record Link(double latencySeconds, double bytesPerSecond, double costPerGb) {

    /** Seconds to move this many bytes. */
    public double seconds(long bytes) {
      return latencySeconds + bytes / bytesPerSecond;
    }

    /** What moving this many bytes costs. */
    public double cost(long bytes) {
      return bytes / 1e9 * costPerGb;
    }
  }

  /** Within one region. */
  public static final Link LOCAL = new Link(0, Double.POSITIVE_INFINITY, 0);

  private final Map<String, Map<String, Link>> links = new HashMap<>();
  private final Link fallback;

  /**
   * A network.
   *
   * @param fallback the link between regions that have none of their own
   */
  public Network(Link fallback) {
    this.fallback = fallback;
  }

  /** Declares the link between two regions (both ways). */
  public Network link(String a, String b, Link link) {
    links.computeIfAbsent(a, k -> new HashMap<>()).put(b, link);
    links.computeIfAbsent(b, k -> new HashMap<>()).put(a, link);
    return this;
  }

  /** The link data takes from one region to another. */
  public Link between(String from, String to) {
    if (from == null || to == null || from.equals(to)) {
      return LOCAL;
    }
    Map<String, Link> from1 = links.get(from);
    Link link = from1 == null ? null : from1.get(to);
    return link == null ? fallback : link;
  }
}
