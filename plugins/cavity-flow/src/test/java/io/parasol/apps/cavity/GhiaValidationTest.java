package io.parasol.apps.cavity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The centre-line u velocity against Ghia, Ghia and Shin (1982), J. Comput. Phys. 48, 387–411,
 * Table I (u along the vertical line through the geometric centre), at Re = 100 and 400 on a 64 x
 * 64 grid: the largest deviation over the 17 tabulated points must stay below 0.005 (Re = 100;
 * 0.0028 measured) and 0.03 (Re = 400; 0.0238 measured).
 */
class GhiaValidationTest {

  static final double[] Y = {
    1.0000, 0.9766, 0.9688, 0.9609, 0.9531, 0.8516, 0.7344, 0.6172, 0.5000, 0.4531, 0.2813, 0.1719,
    0.1016, 0.0703, 0.0625, 0.0547, 0.0000
  };
  static final double[] U_RE100 = {
    1.00000, 0.84123, 0.78871, 0.73722, 0.68717, 0.23151, 0.00332, -0.13641, -0.20581, -0.21090,
    -0.15662, -0.10150, -0.06434, -0.04775, -0.04192, -0.03717, 0.00000
  };
  static final double[] U_RE400 = {
    1.00000, 0.75837, 0.68439, 0.61756, 0.55892, 0.29093, 0.16256, 0.02135, -0.11477, -0.17119,
    -0.32726, -0.24299, -0.14612, -0.10338, -0.09266, -0.08186, 0.00000
  };

  static double maxDeviation(CavitySolver.Result r, double[] reference) {
    double max = 0;
    for (int k = 0; k < Y.length; k++) {
      max = Math.max(max, Math.abs(r.uAtCentre(Y[k]) - reference[k]));
    }
    return max;
  }

  @Test
  void reynolds100() {
    CavitySolver.Result r = CavitySolver.solve(100, 64, 1e-4, 200_000, (s, t, res) -> true);
    double dev = maxDeviation(r, U_RE100);
    System.out.printf(
        "Re=100 64x64: steps %d, residual %.2e, max |u - Ghia| %.4f%n",
        r.steps(), r.residual(), dev);
    assertTrue(r.converged());
    assertTrue(dev < 0.005, "max deviation " + dev);
  }

  @Test
  void reynolds400() {
    CavitySolver.Result r = CavitySolver.solve(400, 64, 1e-4, 200_000, (s, t, res) -> true);
    double dev = maxDeviation(r, U_RE400);
    System.out.printf(
        "Re=400 64x64: steps %d, residual %.2e, max |u - Ghia| %.4f%n",
        r.steps(), r.residual(), dev);
    assertTrue(r.converged());
    assertTrue(dev < 0.03, "max deviation " + dev);
  }
}
