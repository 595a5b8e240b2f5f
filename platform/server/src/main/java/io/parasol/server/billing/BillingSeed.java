package io.parasol.server.billing;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The embedded default's money: demo accounts (acme with prepaid funds, globex with none), a price
 * book for the local partition and licence fees on the bundled apps. Created once; never changed.
 */
public class BillingSeed {

  static final String LOCAL = "local";

  void seed(@Observes @Priority(5) StartupEvent event, BillingConfig config) {
    if (!config.seed().enabled()) {
      return;
    }
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              config
                  .seed()
                  .accounts()
                  .forEach(
                      (org, seed) -> {
                        if (BillingAccount.findById(org) != null) {
                          return;
                        }
                        BillingAccount a = new BillingAccount();
                        a.org = org;
                        a.kind = seed.kind();
                        a.creditLimit = seed.creditLimit().setScale(Ledger.SCALE);
                        a.currency = config.currency();
                        a.createdAt = Instant.now();
                        a.persist();
                        if (seed.funds().signum() > 0) {
                          Ledger.post(
                              new Ledger.Posting(
                                      "seed:" + org,
                                      "TOP_UP",
                                      org,
                                      "seed",
                                      org,
                                      "parasol-bootstrap")
                                  .debit("bank", seed.funds())
                                  .credit(Ledger.funds(org), seed.funds())
                                  .memo("demo funds of the embedded default"));
                        }
                      });
              Instant epoch = Instant.EPOCH;
              price(Price.Resource.CORE_HOUR, config.seed().coreHour(), epoch);
              price(Price.Resource.CARD_HOUR, config.seed().cardHour(), epoch);
              config
                  .seed()
                  .licenceFees()
                  .forEach(
                      (app, seed) -> {
                        if (LicenceFee.count("appId", app) > 0) {
                          return;
                        }
                        LicenceFee f = new LicenceFee();
                        f.appId = app;
                        f.basis = seed.basis();
                        f.amount = seed.amount().setScale(Ledger.SCALE);
                        f.isvShare = seed.isvShare().setScale(Ledger.SCALE);
                        f.effectiveFrom = epoch;
                        f.createdBy = "parasol-bootstrap";
                        f.createdAt = Instant.now();
                        f.persist();
                      });
            });
  }

  private static void price(Price.Resource resource, BigDecimal value, Instant from) {
    if (Price.count("partition = ?1 and resource = ?2", LOCAL, resource) > 0) {
      return;
    }
    Price p = new Price();
    p.partition = LOCAL;
    p.resource = resource;
    p.unitPrice = value.setScale(Ledger.SCALE);
    p.effectiveFrom = from;
    p.createdBy = "parasol-bootstrap";
    p.createdAt = Instant.now();
    p.persist();
  }
}
