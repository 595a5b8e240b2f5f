package io.parasol.server.audit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One security-relevant action: who did what to which resource, when and from where. */
@Entity
@Table(name = "audit_event")
public class AuditEvent extends PanacheEntityBase {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(nullable = false)
  public Instant at;

  @Column(nullable = false)
  public String actor;

  @Column(name = "actor_org")
  public String actorOrg;

  @Column(name = "actor_role")
  public String actorRole;

  @Column(nullable = false)
  public String action;

  @Column(name = "target_type", nullable = false)
  public String targetType;

  @Column(name = "target_id")
  public String targetId;

  @Column(name = "target_org")
  public String targetOrg;

  public String detail;

  public String origin;
}
