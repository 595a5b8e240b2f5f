package io.parasol.plugin.api;

import java.util.Objects;

/**
 * A number of accelerator cards of one kind and model.
 *
 * @param kind GPU or FPGA
 * @param model the card model such as {@code a100}, or {@code any}
 * @param count how many cards, at least 1
 */
public record Accelerator(AcceleratorKind kind, String model, int count) {

  /** Checks the values. */
  public Accelerator {
    Objects.requireNonNull(kind, "kind");
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("accelerator model must not be blank (use \"any\")");
    }
    if (count < 1) {
      throw new IllegalArgumentException("accelerator count must be at least 1");
    }
  }
}
