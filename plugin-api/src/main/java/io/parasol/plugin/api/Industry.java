package io.parasol.plugin.api;

/** The industry discipline an app serves, used to browse the catalog. */
public enum Industry {
  /** Heat transfer and thermal management. */
  THERMAL,
  /** Computational fluid dynamics. */
  CFD,
  /** Structural mechanics. */
  STRUCTURAL,
  /** Electronic design automation. */
  EDA,
  /** Materials science. */
  MATERIALS,
  /** Electromagnetics. */
  ELECTROMAGNETICS,
  /** Chemistry and molecular modelling. */
  CHEMISTRY,
  /** Anything else. */
  OTHER
}
