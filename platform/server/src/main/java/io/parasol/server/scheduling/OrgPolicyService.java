package io.parasol.server.scheduling;

import io.parasol.scheduling.Placement;
import io.parasol.server.audit.AuditService;
import io.parasol.server.common.ProblemException;
import io.parasol.server.common.ProblemException.FieldProblem;
import io.parasol.server.compute.Cluster;
import io.parasol.server.tenancy.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The rules of org placement policies: admins set them; an org reads its own. */
@ApplicationScoped
public class OrgPolicyService {

  private static final Pattern NAME = io.parasol.server.common.Names.PATTERN;

  /**
   * An org's policy as the API shows it.
   *
   * @param org the org
   * @param regions the regions its runs may go to; empty for any
   * @param dataRegion where its workspace data is held; null for the server's data region
   * @param maxCores concurrent cores; null for no limit
   * @param maxCards concurrent accelerator cards; null for no limit
   * @param maxPriority the highest priority its engineers may ask for
   * @param updatedAt when it was last set; null when never
   * @param updatedBy who set it
   */
  public record PolicyView(
      String org,
      List<String> regions,
      String dataRegion,
      Integer maxCores,
      Integer maxCards,
      String maxPriority,
      Instant updatedAt,
      String updatedBy) {}

  /**
   * A policy to set; every field replaces the one before.
   *
   * @param regions allowed regions; empty or null for any
   * @param dataRegion where the org's data is held; null for the server's data region
   * @param maxCores concurrent cores; null for no limit
   * @param maxCards concurrent cards; null for no limit
   * @param maxPriority low, normal or high; null for normal
   */
  public record PolicyRequest(
      List<String> regions,
      String dataRegion,
      Integer maxCores,
      Integer maxCards,
      String maxPriority) {}

  /** What placement needs of an org's policy. */
  public record Effective(
      Set<String> regions, String dataRegion, Placement.Quota quota, RunPriority maxPriority) {}

  private final AuditService audit;
  private final PlacementConfig config;

  OrgPolicyService(AuditService audit, PlacementConfig config) {
    this.audit = audit;
    this.config = config;
  }

  @Transactional
  public PolicyView get(Caller caller, String org) {
    if (!caller.canSee(org)) {
      throw ProblemException.notFound("organisation " + org);
    }
    audit.recordAdminRead(caller, "policy", org, org);
    OrgPolicy p = OrgPolicy.findById(org);
    return p == null
        ? new PolicyView(org, List.of(), null, null, null, RunPriority.NORMAL.id(), null, null)
        : view(p);
  }

  @Transactional
  public PolicyView set(Caller caller, String org, PolicyRequest request) {
    if (!caller.isAdmin()) {
      throw ProblemException.forbidden("only admins set placement policies");
    }
    if (org == null || !NAME.matcher(org).matches()) {
      throw ProblemException.invalid("org", "is not an organisation name");
    }
    if (request == null) {
      throw ProblemException.badRequest("a policy is required");
    }
    Set<String> known = new TreeSet<>();
    Cluster.<Cluster>listAll().forEach(c -> known.add(c.region));
    known.add(config.dataRegion());
    List<FieldProblem> problems = new ArrayList<>();
    Set<String> regions = new LinkedHashSet<>();
    if (request.regions() != null) {
      for (int i = 0; i < request.regions().size(); i++) {
        String r = request.regions().get(i);
        if (r == null || !known.contains(r)) {
          problems.add(
              new FieldProblem(
                  "regions[" + i + "]",
                  "is not a region of any cluster; known regions: " + String.join(", ", known)));
        } else {
          regions.add(r);
        }
      }
    }
    if (request.dataRegion() != null && !known.contains(request.dataRegion())) {
      problems.add(
          new FieldProblem(
              "dataRegion", "is not a known region; known regions: " + String.join(", ", known)));
    }
    if (request.maxCores() != null && (request.maxCores() < 1 || request.maxCores() > 10_000_000)) {
      problems.add(new FieldProblem("maxCores", "must be 1 to 10000000, or absent for no limit"));
    }
    if (request.maxCards() != null && (request.maxCards() < 0 || request.maxCards() > 1_000_000)) {
      problems.add(new FieldProblem("maxCards", "must be 0 to 1000000, or absent for no limit"));
    }
    RunPriority priority =
        request.maxPriority() == null
            ? RunPriority.NORMAL
            : RunPriority.parse(request.maxPriority()).orElse(null);
    if (priority == null) {
      problems.add(new FieldProblem("maxPriority", "must be low, normal or high"));
    }
    if (!problems.isEmpty()) {
      throw ProblemException.invalid("the policy has errors", problems);
    }
    OrgPolicy p = OrgPolicy.findById(org);
    if (p == null) {
      p = new OrgPolicy();
      p.org = org;
    }
    p.regions = regions.isEmpty() ? null : String.join(",", regions);
    p.dataRegion = request.dataRegion();
    p.maxCores = request.maxCores();
    p.maxCards = request.maxCards();
    p.maxPriority = priority.id();
    p.updatedAt = Instant.now();
    p.updatedBy = caller.name();
    p.persist();
    cache.remove(org);
    audit.record(caller, "org.policy.set", "org", org, org, describe(p));
    return view(p);
  }

  private final java.util.Map<String, java.util.Map.Entry<Instant, Effective>> cache =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The policy placement applies to an org's runs: read at most once a second per org (a change on
   * another replica is seen within that second; on this one at once).
   */
  public Effective effective(String org) {
    Instant now = Instant.now();
    java.util.Map.Entry<Instant, Effective> hit = cache.get(org);
    if (hit != null && hit.getKey().isAfter(now.minusSeconds(1))) {
      return hit.getValue();
    }
    Effective e = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> read(org));
    cache.put(org, java.util.Map.entry(now, e));
    return e;
  }

  private Effective read(String org) {
    OrgPolicy p = OrgPolicy.findById(org);
    if (p == null) {
      return new Effective(Set.of(), config.dataRegion(), Placement.Quota.NONE, RunPriority.NORMAL);
    }
    return new Effective(
        regions(p),
        p.dataRegion == null ? config.dataRegion() : p.dataRegion,
        quota(p),
        RunPriority.parse(p.maxPriority).orElse(RunPriority.NORMAL));
  }

  /** Every org's quota that has one. */
  @Transactional
  public java.util.Map<String, Placement.Quota> quotas() {
    java.util.Map<String, Placement.Quota> quotas = new java.util.HashMap<>();
    for (OrgPolicy p : OrgPolicy.<OrgPolicy>listAll()) {
      if (p.maxCores != null || p.maxCards != null) {
        quotas.put(p.org, quota(p));
      }
    }
    return quotas;
  }

  private static Placement.Quota quota(OrgPolicy p) {
    return new Placement.Quota(
        p.maxCores == null ? -1 : p.maxCores, p.maxCards == null ? -1 : p.maxCards);
  }

  private static Set<String> regions(OrgPolicy p) {
    return p.regions == null ? Set.of() : new LinkedHashSet<>(Arrays.asList(p.regions.split(",")));
  }

  private static PolicyView view(OrgPolicy p) {
    return new PolicyView(
        p.org,
        List.copyOf(regions(p)),
        p.dataRegion,
        p.maxCores,
        p.maxCards,
        p.maxPriority,
        p.updatedAt,
        p.updatedBy);
  }

  private static String describe(OrgPolicy p) {
    return "regions="
        + (p.regions == null ? "any" : p.regions)
        + " maxCores="
        + (p.maxCores == null ? "none" : p.maxCores)
        + " maxCards="
        + (p.maxCards == null ? "none" : p.maxCards)
        + " maxPriority="
        + p.maxPriority;
  }
}
