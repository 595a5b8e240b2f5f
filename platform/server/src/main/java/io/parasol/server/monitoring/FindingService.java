package io.parasol.server.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.parasol.server.billing.BillingConfig;
import io.parasol.server.billing.BillingService;
import io.parasol.server.billing.Price;
import io.parasol.server.common.JsonText;
import io.parasol.server.run.RunViews.MonitoredRun;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Keeps a run's findings: opens one when its rule starts to hold (pricing a right-sized run where
 * the rule says what is too much), keeps it fresh while it holds, and clears it when it stops.
 */
@ApplicationScoped
public class FindingService {

  /** How often a finding that still holds has its window and evidence rewritten. */
  static final Duration REFRESH = Duration.ofSeconds(30);

  /**
   * A finding as the API shows it.
   *
   * @param rule the rule
   * @param severity high, medium or low
   * @param message what holds
   * @param evidence the measured values
   * @param windowFrom start of the evidence window
   * @param windowTo end of the evidence window
   * @param firstSeen when it was first raised
   * @param lastSeen when it was last seen holding
   * @param clearedAt when it stopped holding, null while it holds
   * @param rightSized what a right-sized run would take and cost, when the rule says
   */
  public record FindingView(
      String rule,
      String severity,
      String message,
      Map<String, Object> evidence,
      Instant windowFrom,
      Instant windowTo,
      Instant firstSeen,
      Instant lastSeen,
      Instant clearedAt,
      RightSized rightSized) {}

  /**
   * A right-sized run at today's prices, over the run's expected duration (its predicted run time,
   * or its wall-time limit without a prediction); costs are null where the partition has no price.
   *
   * @param cores the cores it would take, null when the cores are right
   * @param cards the accelerator cards it would take, null when the cards are right
   * @param currentCost the compute cost of the run as allocated
   * @param rightSizedCost the compute cost right-sized
   * @param currency the currency
   */
  public record RightSized(
      Integer cores,
      Integer cards,
      BigDecimal currentCost,
      BigDecimal rightSizedCost,
      String currency) {}

  private final ObjectMapper json;
  private final BillingService billing;
  private final BillingConfig billingConfig;
  private final MeterRegistry registry;
  private final int confirm;

  FindingService(
      ObjectMapper json,
      BillingService billing,
      BillingConfig billingConfig,
      MeterRegistry registry,
      MonitoringConfig config) {
    this.confirm = Math.max(1, config.findings().confirmSamples());
    this.json = json;
    this.billing = billing;
    this.billingConfig = billingConfig;
    this.registry = registry;
  }

  /**
   * Brings a run's findings in line with the conditions that hold now.
   *
   * @param window the run's window; its open set is updated
   * @param holding the conditions that hold
   * @param now the time of judgement
   */
  void apply(RunWindow window, List<FindingRules.Condition> holding, Instant now) {
    Set<String> rules =
        holding.stream().map(FindingRules.Condition::rule).collect(Collectors.toSet());
    // Debounced: a rule is raised when it holds at `confirm` judgements in a row, and cleared when
    // it has not held at `confirm` in a row (one noisy sample neither raises nor clears).
    for (String rule : FindingRules.RULES) {
      if (rules.contains(rule)) {
        window.held.merge(rule, 1, Integer::sum);
        window.missed.remove(rule);
      } else {
        window.missed.merge(rule, 1, Integer::sum);
        window.held.remove(rule);
      }
    }
    List<FindingRules.Condition> opened =
        holding.stream()
            .filter(c -> !window.open.contains(c.rule()))
            .filter(c -> window.held.getOrDefault(c.rule(), 0) >= confirm)
            .toList();
    List<String> cleared =
        window.open.stream().filter(r -> window.missed.getOrDefault(r, 0) >= confirm).toList();
    List<FindingRules.Condition> refresh =
        holding.stream()
            .filter(c -> window.open.contains(c.rule()))
            .filter(
                c ->
                    Duration.between(window.refreshed.getOrDefault(c.rule(), Instant.EPOCH), now)
                            .compareTo(REFRESH)
                        >= 0)
            .toList();
    if (opened.isEmpty() && cleared.isEmpty() && refresh.isEmpty()) {
      return;
    }
    UUID runId = window.run.id();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              for (FindingRules.Condition c : opened) {
                RunFinding f =
                    RunFinding.find("runId = ?1 and rule = ?2", runId, c.rule()).firstResult();
                if (f == null) {
                  f = new RunFinding();
                  f.runId = runId;
                  f.rule = c.rule();
                  f.firstSeen = now;
                }
                f.clearedAt = null;
                fill(f, c, now);
                price(f, window.run, c);
                f.persist();
                registry.counter("parasol.monitoring.findings", "rule", c.rule()).increment();
              }
              for (FindingRules.Condition c : refresh) {
                RunFinding f =
                    RunFinding.find("runId = ?1 and rule = ?2", runId, c.rule()).firstResult();
                if (f != null) {
                  fill(f, c, now);
                }
              }
              if (!cleared.isEmpty()) {
                RunFinding.update(
                    "clearedAt = ?1, lastSeen = ?1 where runId = ?2 and rule in ?3 and clearedAt is null",
                    now,
                    runId,
                    cleared);
              }
            });
    opened.forEach(c -> window.open.add(c.rule()));
    opened.forEach(c -> window.refreshed.put(c.rule(), now));
    refresh.forEach(c -> window.refreshed.put(c.rule(), now));
    window.open.removeAll(cleared);
  }

  /** The open rules of a run, to rebuild a window on another replica. */
  Set<String> openRules(UUID runId) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                RunFinding.<RunFinding>list("runId = ?1 and clearedAt is null", runId).stream()
                    .map(f -> f.rule)
                    .collect(Collectors.toSet()));
  }

  /** A run's findings, first raised first. */
  public List<FindingView> list(UUID runId) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                RunFinding.<RunFinding>list("runId = ?1 order by firstSeen, id", runId).stream()
                    .map(this::view)
                    .toList());
  }

  private void fill(RunFinding f, FindingRules.Condition c, Instant now) {
    f.severity = c.severity();
    f.message = c.message().length() > 2000 ? c.message().substring(0, 2000) : c.message();
    String evidence = JsonText.write(json, c.evidence());
    f.evidence = evidence.length() > 4000 ? "{}" : evidence;
    f.windowFrom = c.from();
    f.windowTo = c.to();
    f.lastSeen = now;
    f.rightCores = c.rightCores();
    f.rightCards = c.rightCards();
  }

  private void price(RunFinding f, MonitoredRun run, FindingRules.Condition c) {
    f.currentCost = null;
    f.rightSizedCost = null;
    f.currency = null;
    if (c.rightCores() == null && c.rightCards() == null) {
      return;
    }
    BigDecimal core = billing.priceNow(run.partition(), Price.Resource.CORE_HOUR).orElse(null);
    BigDecimal card =
        run.cards() > 0
            ? billing.priceNow(run.partition(), Price.Resource.CARD_HOUR).orElse(null)
            : BigDecimal.ZERO;
    if (core == null || card == null) {
      return;
    }
    BigDecimal hours = BigDecimal.valueOf(hours(run));
    int cores = c.rightCores() == null ? run.cores() : c.rightCores();
    int cards = c.rightCards() == null ? run.cards() : c.rightCards();
    f.currentCost = cost(run.cores(), run.cards(), core, card, hours);
    f.rightSizedCost = cost(cores, cards, core, card, hours);
    f.currency = billingConfig.currency();
  }

  private static double hours(MonitoredRun run) {
    double seconds =
        run.predictedRunSeconds() != null && run.predictedRunSeconds() > 0
            ? run.predictedRunSeconds()
            : run.wallTimeSeconds();
    return seconds / 3600.0;
  }

  private static BigDecimal cost(
      int cores, int cards, BigDecimal core, BigDecimal card, BigDecimal hours) {
    return core.multiply(BigDecimal.valueOf(cores))
        .add(card.multiply(BigDecimal.valueOf(cards)))
        .multiply(hours)
        .setScale(6, RoundingMode.HALF_UP);
  }

  private FindingView view(RunFinding f) {
    RightSized right =
        f.rightCores == null && f.rightCards == null
            ? null
            : new RightSized(
                f.rightCores, f.rightCards, f.currentCost, f.rightSizedCost, f.currency);
    return new FindingView(
        f.rule,
        f.severity,
        f.message,
        JsonText.read(json, f.evidence, Map.class),
        f.windowFrom,
        f.windowTo,
        f.firstSeen,
        f.lastSeen,
        f.clearedAt,
        right);
  }
}
