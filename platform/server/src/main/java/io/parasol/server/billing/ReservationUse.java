package io.parasol.server.billing;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A run inside a subscription's reserved cores, from launch until it is settled. */
@Entity
@Table(name = "reservation_use")
public class ReservationUse extends PanacheEntityBase {

  @Id
  @Column(name = "run_id")
  public UUID runId;

  @Column(name = "subscription_id", nullable = false)
  public UUID subscriptionId;

  @Column(nullable = false)
  public int cores;

  @Column(name = "started_at", nullable = false)
  public Instant startedAt;

  @Column(name = "released_at")
  public Instant releasedAt;
}
