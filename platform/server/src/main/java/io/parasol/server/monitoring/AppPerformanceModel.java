package io.parasol.server.monitoring;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** One version of an app's performance model (see {@link PerformanceModel}). */
@Entity
@Table(name = "app_performance_model")
public class AppPerformanceModel extends PanacheEntityBase {

  /** The app and the version number, 1 upwards. */
  @Embeddable
  public record Key(@Column(name = "app_id") String appId, @Column(name = "version") int version)
      implements Serializable {}

  @EmbeddedId public Key key;

  @Column(name = "fitted_at", nullable = false)
  public Instant fittedAt;

  @Column(nullable = false)
  public int runs;

  @Column(nullable = false)
  public double intercept;

  @Column(name = "size_exponent", nullable = false)
  public double sizeExponent;

  @Column(name = "cores_exponent", nullable = false)
  public double coresExponent;

  @Column(name = "r_squared", nullable = false)
  public double rSquared;

  @Column(nullable = false)
  public double rmse;

  PerformanceModel model() {
    return new PerformanceModel(intercept, sizeExponent, coresExponent, runs, rSquared, rmse);
  }
}
