package io.parasol.apps.heat;

/**
 * A heat-conduction problem on a rectangular plate with fixed edge temperatures.
 *
 * @param length size in x, metres
 * @param width size in y, metres
 * @param nx grid points in x, including both edges
 * @param ny grid points in y, including both edges
 * @param diffusivity thermal diffusivity k / (rho cp), m²/s
 * @param left temperature of the edge x = 0, °C
 * @param right temperature of the edge x = length, °C
 * @param bottom temperature of the edge y = 0, °C
 * @param top temperature of the edge y = width, °C
 * @param initial initial temperature of the interior, °C
 * @param duration simulated time, seconds
 */
public record Plate(
    double length,
    double width,
    int nx,
    int ny,
    double diffusivity,
    double left,
    double right,
    double bottom,
    double top,
    double initial,
    double duration) {

  /** Grid spacing in x. */
  public double dx() {
    return length / (nx - 1);
  }

  /** Grid spacing in y. */
  public double dy() {
    return width / (ny - 1);
  }

  /**
   * The time step: 90% of the explicit scheme's stability limit dt ≤ 1 / (2α(1/dx² + 1/dy²)), and
   * no larger than the duration.
   */
  public double stableTimeStep() {
    double limit = 1.0 / (2 * diffusivity * (1 / (dx() * dx()) + 1 / (dy() * dy())));
    return Math.min(0.9 * limit, duration);
  }
}
