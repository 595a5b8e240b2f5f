package io.parasol.server.billing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.util.Map;

/** Billing settings and the embedded default's demo accounts, price book and licence fees. */
@ConfigMapping(prefix = "parasol.billing")
public interface BillingConfig {

  /** The currency of every amount (ISO 4217). */
  @WithDefault("USD")
  String currency();

  Seed seed();

  interface Seed {
    /** Create the accounts, prices and licence fees below on start when they do not exist. */
    @WithDefault("false")
    boolean enabled();

    /** Demo accounts by org. */
    Map<String, SeedAccount> accounts();

    /** Price per core-hour on the local partition. */
    @WithDefault("0.10")
    BigDecimal coreHour();

    /** Price per accelerator card-hour on the local partition. */
    @WithDefault("2.50")
    BigDecimal cardHour();

    /** Licence fees of the bundled example apps by app id. */
    Map<String, SeedFee> licenceFees();
  }

  interface SeedAccount {
    /** Prepaid (runs draw on funds) or postpaid (runs draw on credit, invoiced monthly). */
    @WithDefault("prepaid")
    BillingAccount.Kind kind();

    /** The demo funds given to a prepaid account. */
    @WithDefault("0")
    BigDecimal funds();

    /** How far a postpaid account may go below zero. */
    @WithDefault("0")
    BigDecimal creditLimit();
  }

  interface SeedFee {
    /** Charged per core-hour of the run or once per run. */
    LicenceFee.Basis basis();

    /** The fee, per core-hour or per run. */
    BigDecimal amount();

    /** The vendor's share of the fee, from 0 to 1. */
    BigDecimal isvShare();
  }
}
