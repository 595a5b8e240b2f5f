package io.parasol.server.publishing;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
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
}
