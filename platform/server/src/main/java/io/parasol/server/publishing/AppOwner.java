package io.parasol.server.publishing;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Which vendor owns an app id: the first whose upload of it verified. */
@Entity
@Table(name = "app_owner")
public class AppOwner extends PanacheEntityBase {

  @Id
  @Column(name = "app_id")
  public String appId;

  @Column(name = "vendor_org", nullable = false)
  public String vendorOrg;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  /** Which other vendors may build derived apps on this one (its own vendor always may). */
  public enum Derivation {
    /** No other vendor. */
    NONE,
    /** The vendors named in {@link #derivationVendors}. */
    VENDORS,
    /** Any vendor. */
    ANYONE
  }

  @Enumerated(EnumType.STRING)
  @Column(name = "derivation", nullable = false)
  public Derivation derivation = Derivation.NONE;

  /** The vendor orgs allowed when {@link #derivation} is VENDORS, comma-separated. */
  @Column(name = "derivation_vendors", length = 2000)
  public String derivationVendors;

  /** Whether {@code vendorOrg} may build a derived app on this app. */
  public boolean allowsDerivationBy(String vendor) {
    return vendorOrg.equals(vendor)
        || derivation == Derivation.ANYONE
        || (derivation == Derivation.VENDORS
            && derivationVendors != null
            && java.util.Arrays.asList(derivationVendors.split(",")).contains(vendor));
  }
}
