package io.parasol.server.publishing;

import io.parasol.server.audit.AuditService;
import io.parasol.server.common.ProblemException;
import io.parasol.server.tenancy.Caller;
import io.parasol.server.tenancy.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who may build derived apps on an app: the owning vendor decides (ADR 0009). Verification of a
 * derived app checks its bases' rules for the uploading vendor.
 */
@ApplicationScoped
public class DerivationService {

  /** The most vendors an app may name. */
  static final int MAX_VENDORS = 100;

  /**
   * Who may derive from an app.
   *
   * @param appId the app
   * @param vendor its vendor, who always may
   * @param policy {@code NONE}, {@code VENDORS} or {@code ANYONE}
   * @param vendors the vendor orgs allowed under {@code VENDORS}
   */
  public record DerivationView(String appId, String vendor, String policy, List<String> vendors) {}

  /**
   * A change of who may derive from an app.
   *
   * @param policy {@code NONE} (no other vendor), {@code VENDORS} (those named) or {@code ANYONE}
   * @param vendors the vendor orgs allowed under {@code VENDORS}
   */
  public record DerivationRequest(String policy, List<String> vendors) {}

  private final AuditService audit;

  DerivationService(AuditService audit) {
    this.audit = audit;
  }

  @Transactional
  public DerivationView get(Caller caller, String appId) {
    return view(owned(caller, appId));
  }

  @Transactional
  public DerivationView set(Caller caller, String appId, DerivationRequest request) {
    AppOwner owner = owned(caller, appId);
    if (caller.role() != Role.ISV) {
      throw ProblemException.forbidden("only the app's vendor decides who may build on it");
    }
    if (request == null || request.policy() == null) {
      throw ProblemException.invalid("policy", "is required: NONE, VENDORS or ANYONE");
    }
    AppOwner.Derivation policy;
    try {
      policy = AppOwner.Derivation.valueOf(request.policy().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalid("policy", "must be NONE, VENDORS or ANYONE");
    }
    Set<String> vendors = new LinkedHashSet<>();
    List<String> given = request.vendors() == null ? List.of() : request.vendors();
    if (given.size() > MAX_VENDORS) {
      throw ProblemException.invalid("vendors", "at most " + MAX_VENDORS + " vendors");
    }
    for (int i = 0; i < given.size(); i++) {
      String v = given.get(i);
      if (!io.parasol.server.common.Names.isName(v)) {
        throw ProblemException.invalid("vendors[" + i + "]", "must be an organisation id");
      }
      vendors.add(v);
    }
    if (policy == AppOwner.Derivation.VENDORS && vendors.isEmpty()) {
      throw ProblemException.invalid("vendors", "name at least one vendor for VENDORS");
    }
    if (policy != AppOwner.Derivation.VENDORS && !vendors.isEmpty()) {
      throw ProblemException.invalid("vendors", "are named only with the policy VENDORS");
    }
    owner.derivation = policy;
    owner.derivationVendors = vendors.isEmpty() ? null : String.join(",", vendors);
    audit.record(caller, "app.derivation", "app", appId, owner.vendorOrg, policy + " " + vendors);
    return view(owner);
  }

  /** The app's ownership row, for its vendor's ISVs and admins; 404 for everyone else. */
  private static AppOwner owned(Caller caller, String appId) {
    AppOwner owner = appId == null ? null : AppOwner.findById(appId);
    if (owner == null || !(caller.isAdmin() || owner.vendorOrg.equals(caller.org()))) {
      throw ProblemException.notFound("app " + appId);
    }
    return owner;
  }

  private static DerivationView view(AppOwner o) {
    List<String> vendors =
        o.derivationVendors == null
            ? List.of()
            : new ArrayList<>(List.of(o.derivationVendors.split(",")));
    return new DerivationView(o.appId, o.vendorOrg, o.derivation.name(), vendors);
  }
}
