package io.parasol.plugin.api;

/** A kind of accelerator card a run can ask for. */
public enum AcceleratorKind {
  /** A graphics processing unit. */
  GPU,
  /** A field-programmable gate array. */
  FPGA
}
