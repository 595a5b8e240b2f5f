package io.parasol.server.monitoring;

import io.parasol.server.run.RunService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Keeps each app's {@link PerformanceModel}: refitted, as a new version, whenever the app has had
 * successful runs since the current version was fitted; every version stays.
 */
@ApplicationScoped
public class PerformanceModels {

  /**
   * A version of an app's model.
   *
   * @param appId the app
   * @param version 1 upwards
   * @param fittedAt when it was fitted
   * @param model the model
   */
  public record Versioned(String appId, int version, Instant fittedAt, PerformanceModel model) {}

  private final RunService runs;
  private final MonitoringConfig config;

  PerformanceModels(RunService runs, MonitoringConfig config) {
    this.runs = runs;
    this.config = config;
  }

  /** The app's current model, refitted first when it has had successful runs since. */
  public synchronized Optional<Versioned> current(String appId) {
    Optional<Versioned> latest = latest(appId);
    Optional<Instant> success = runs.latestSuccess(appId);
    if (success.isEmpty()
        || (latest.isPresent() && !success.get().isAfter(latest.get().fittedAt()))) {
      return latest;
    }
    List<PerformanceModel.Observation> observations =
        runs.succeeded(appId, config.model().maxRuns()).stream()
            .map(r -> new PerformanceModel.Observation(r.problemSize(), r.cores(), r.seconds()))
            .toList();
    PerformanceModel fitted = PerformanceModel.fit(observations, config.model().minRuns());
    if (fitted == null) {
      return latest;
    }
    int version = latest.map(v -> v.version() + 1).orElse(1);
    Instant fittedAt = success.get();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              AppPerformanceModel row = new AppPerformanceModel();
              row.key = new AppPerformanceModel.Key(appId, version);
              row.fittedAt = fittedAt;
              row.runs = fitted.runs();
              row.intercept = fitted.intercept();
              row.sizeExponent = fitted.sizeExponent();
              row.coresExponent = fitted.coresExponent();
              row.rSquared = fitted.rSquared();
              row.rmse = fitted.rmse();
              row.persist();
            });
    return Optional.of(new Versioned(appId, version, fittedAt, fitted));
  }

  /** Every version of an app's model, newest first. */
  public List<Versioned> versions(String appId) {
    current(appId);
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                AppPerformanceModel.<AppPerformanceModel>find(
                        "key.appId = ?1 order by key.version desc", appId)
                    .list()
                    .stream()
                    .map(PerformanceModels::versioned)
                    .toList());
  }

  private Optional<Versioned> latest(String appId) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                AppPerformanceModel.<AppPerformanceModel>find(
                        "key.appId = ?1 order by key.version desc", appId)
                    .firstResultOptional()
                    .map(PerformanceModels::versioned));
  }

  private static Versioned versioned(AppPerformanceModel row) {
    return new Versioned(row.key.appId(), row.key.version(), row.fittedAt, row.model());
  }
}
