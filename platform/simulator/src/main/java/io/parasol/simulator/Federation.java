package io.parasol.simulator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.parasol.scheduling.Network;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A described multi-site federation, read from YAML or JSON: sites in regions, their partitions
 * (cores, relative speed, core-hour price), the links between regions, and how the trace's work is
 * spread over the sites.
 *
 * @param sites the sites
 * @param links the links between regions (symmetric)
 * @param defaultLink the link between regions without one of their own
 * @param workload how trace jobs become org runs
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record Federation(List<Site> sites, List<Link> links, Link defaultLink, Workload workload) {

  /**
   * A site (data centre).
   *
   * @param name its name
   * @param region its region
   * @param homeShare the share of the orgs whose home (and data) is here
   * @param partitions its partitions
   */
  public record Site(String name, String region, double homeShare, List<Partition> partitions) {}

  /**
   * A partition: one pool of cores.
   *
   * @param name its name
   * @param cores its cores
   * @param speed its speed relative to the trace's machine (1 = as fast)
   * @param corePrice its price per core-hour
   */
  public record Partition(String name, int cores, double speed, double corePrice) {}

  /**
   * A link between two regions.
   *
   * @param from one region
   * @param to the other
   * @param latencyMs latency in milliseconds
   * @param bandwidthMBps sustained rate in MB (10^6 bytes) per second
   * @param costPerGb price per GB moved
   */
  public record Link(
      String from, String to, double latencyMs, double bandwidthMBps, double costPerGb) {

    Network.Link toNetwork() {
      return new Network.Link(latencyMs / 1000, bandwidthMBps * 1e6, costPerGb);
    }
  }

  /**
   * How trace jobs become runs of orgs.
   *
   * @param orgs how many orgs share the trace (each job is drawn an org, each org a home site)
   * @param inputMedianMb the median input size; sizes are log-normal
   * @param inputSigma the log-normal's sigma
   * @param estimateFactorMax wall-time estimates are the run time times a factor drawn from 1 to
   *     this (traces without requested times)
   */
  public record Workload(
      int orgs, double inputMedianMb, double inputSigma, double estimateFactorMax) {}

  /** A partition together with its site. */
  public record Placed(Site site, Partition partition) {}

  /** Reads a federation file (YAML, or JSON, which YAML includes). */
  public static Federation read(Path file) throws IOException {
    ObjectMapper yaml =
        new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    Federation f = yaml.readValue(file.toFile(), Federation.class);
    f.check();
    return f;
  }

  /** Every partition, in file order. */
  public List<Placed> partitions() {
    List<Placed> all = new ArrayList<>();
    for (Site s : sites) {
      for (Partition p : s.partitions()) {
        all.add(new Placed(s, p));
      }
    }
    return all;
  }

  /** The network the links describe. */
  public Network network() {
    Network n = new Network(defaultLink.toNetwork());
    for (Link l : links == null ? List.<Link>of() : links) {
      n.link(l.from(), l.to(), l.toNetwork());
    }
    return n;
  }

  /**
   * Checks the description.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  void check() {
    if (sites == null || sites.isEmpty()) {
      throw new IllegalArgumentException("a federation needs at least one site");
    }
    Set<String> names = new HashSet<>();
    double shares = 0;
    for (Site s : sites) {
      if (s.partitions() == null || s.partitions().isEmpty()) {
        throw new IllegalArgumentException("site " + s.name() + " has no partitions");
      }
      if (s.homeShare() < 0) {
        throw new IllegalArgumentException("site " + s.name() + ": homeShare must be >= 0");
      }
      shares += s.homeShare();
      for (Partition p : s.partitions()) {
        if (!names.add(p.name())) {
          throw new IllegalArgumentException("partition " + p.name() + " appears twice");
        }
        if (p.cores() < 1 || p.speed() <= 0 || p.corePrice() < 0) {
          throw new IllegalArgumentException(
              "partition " + p.name() + ": cores >= 1, speed > 0 and corePrice >= 0 are required");
        }
      }
    }
    if (shares <= 0) {
      throw new IllegalArgumentException("the sites' homeShare must add up to more than 0");
    }
    if (defaultLink == null || defaultLink.bandwidthMBps() <= 0) {
      throw new IllegalArgumentException("defaultLink with bandwidthMBps > 0 is required");
    }
    if (workload == null || workload.orgs() < 1 || workload.estimateFactorMax() < 1) {
      throw new IllegalArgumentException("workload needs orgs >= 1 and estimateFactorMax >= 1");
    }
  }
}
