package io.parasol.apps.heat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Compares the finite-difference solution with the analytic solution of a square plate whose edges
 * are held at 0 °C, starting uniformly at T0:
 *
 * <pre>
 *   T(x, y, t) = T0 Σ_{m,n odd} 16 / (m n π²) sin(mπx/L) sin(nπy/L) exp(−απ²(m² + n²) t / L²)
 * </pre>
 */
class HeatSolverTest {

  private static final double L = 0.1;
  private static final double ALUMINIUM = 205.0 / (2700 * 900);
  private static final double T0 = 100;

  /** The tolerance: 0.5% of the initial temperature difference, at every grid point. */
  private static final double TOLERANCE_C = 0.005 * T0;

  @Test
  void matchesAnalyticSolutionOfCoolingSquarePlate() throws InterruptedException {
    double time = 5.0;
    int n = 81;
    Plate plate = new Plate(L, L, n, n, ALUMINIUM, 0, 0, 0, 0, T0, time);

    HeatSolver.Result result = HeatSolver.solve(plate, 1, (s, total, change) -> {}, () -> false);

    double worst = 0;
    for (int j = 1; j < n - 1; j++) {
      for (int i = 1; i < n - 1; i++) {
        double exact = analytic(i * plate.dx(), j * plate.dy(), time);
        worst = Math.max(worst, Math.abs(result.field()[j][i] - exact));
      }
    }
    assertTrue(
        worst < TOLERANCE_C, "max deviation " + worst + " °C exceeds " + TOLERANCE_C + " °C");
    // The centre has cooled noticeably but not completely: the test would catch a frozen field.
    double centre = result.field()[n / 2][n / 2];
    assertTrue(centre > 30 && centre < 90, "centre temperature " + centre);
  }

  @Test
  void parallelBandsGiveTheSameFieldAsOneThread() throws InterruptedException {
    Plate plate = new Plate(L, 0.05, 61, 41, ALUMINIUM, 100, 20, 40, 60, 20, 2.0);
    double[][] one = HeatSolver.solve(plate, 1, (s, t, c) -> {}, () -> false).field();
    double[][] four = HeatSolver.solve(plate, 4, (s, t, c) -> {}, () -> false).field();
    for (int j = 0; j < one.length; j++) {
      for (int i = 0; i < one[j].length; i++) {
        assertEquals(one[j][i], four[j][i], 0.0);
      }
    }
  }

  @Test
  void reachesTheSteadyStateOfUniformEdges() throws InterruptedException {
    Plate plate = new Plate(0.01, 0.01, 21, 21, ALUMINIUM, 80, 80, 80, 80, 20, 30.0);
    double[][] field = HeatSolver.solve(plate, 1, (s, t, c) -> {}, () -> false).field();
    assertEquals(80, field[10][10], 0.01);
  }

  @Test
  void timeStepIsInsideTheStabilityLimit() {
    Plate plate = new Plate(L, L, 101, 51, ALUMINIUM, 0, 0, 0, 0, 0, 100);
    double limit =
        1 / (2 * ALUMINIUM * (1 / (plate.dx() * plate.dx()) + 1 / (plate.dy() * plate.dy())));
    assertTrue(plate.stableTimeStep() < limit);
  }

  static double analytic(double x, double y, double t) {
    double sum = 0;
    for (int m = 1; m < 400; m += 2) {
      for (int k = 1; k < 400; k += 2) {
        double decay = Math.exp(-ALUMINIUM * Math.PI * Math.PI * (m * m + k * k) * t / (L * L));
        if (decay < 1e-16) {
          break;
        }
        sum +=
            16
                / (m * k * Math.PI * Math.PI)
                * Math.sin(m * Math.PI * x / L)
                * Math.sin(k * Math.PI * y / L)
                * decay;
      }
    }
    return T0 * sum;
  }
}
