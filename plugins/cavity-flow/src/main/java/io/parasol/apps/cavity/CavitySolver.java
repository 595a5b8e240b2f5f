package io.parasol.apps.cavity;

/**
 * Steady 2D incompressible flow in a unit square whose lid moves at unit speed, in stream function
 * ψ and vorticity ω: pseudo-time marching of ∂ω/∂t + u·∇ω = ∇²ω / Re (explicit, second-order
 * central differences) with ∇²ψ = −ω solved by successive over-relaxation each step, Thom's wall
 * vorticity, until the largest change of ω per unit time falls below a tolerance.
 *
 * <p>Grid: {@code n} cells per side, nodes {@code i, j = 0..n}, x = i·h, y = j·h, the lid at j = n.
 */
public final class CavitySolver {

  /** Called every few steps with the progress of the march. */
  @FunctionalInterface
  public interface Monitor {
    /**
     * @param step the step
     * @param time the pseudo-time reached
     * @param residual the largest |Δω|/Δt of the step
     * @return false to stop (cancellation)
     */
    boolean onStep(int step, double time, double residual);
  }

  /**
   * The converged (or last) fields.
   *
   * @param n cells per side
   * @param psi stream function, {@code psi[j][i]}
   * @param omega vorticity
   * @param u x velocity
   * @param v y velocity
   * @param steps steps taken
   * @param residual the last residual
   * @param converged whether the residual fell below the tolerance
   */
  public record Result(
      int n,
      double[][] psi,
      double[][] omega,
      double[][] u,
      double[][] v,
      int steps,
      double residual,
      boolean converged) {

    /** The x velocity on the vertical centre line at height y, interpolated linearly. */
    public double uAtCentre(double y) {
      return centre(u, y, true);
    }

    /** The y velocity on the horizontal centre line at abscissa x, interpolated linearly. */
    public double vAtCentre(double x) {
      return centre(v, x, false);
    }

    private double centre(double[][] f, double s, boolean vertical) {
      double pos = s * n;
      int k = Math.min(n - 1, (int) Math.floor(pos));
      double w = pos - k;
      if (n % 2 == 0) {
        int c = n / 2;
        return vertical ? (1 - w) * f[k][c] + w * f[k + 1][c] : (1 - w) * f[c][k] + w * f[c][k + 1];
      }
      int a = n / 2;
      double mid0 = vertical ? 0.5 * (f[k][a] + f[k][a + 1]) : 0.5 * (f[a][k] + f[a + 1][k]);
      double mid1 =
          vertical ? 0.5 * (f[k + 1][a] + f[k + 1][a + 1]) : 0.5 * (f[a][k + 1] + f[a + 1][k + 1]);
      return (1 - w) * mid0 + w * mid1;
    }
  }

  private static final double TINY = 1e-200;

  /** Wall vorticity (Thom): ω_wall = −2 ψ_adjacent / h² (− 2U/h on the moving lid). */
  private static void walls(double[][] psi, double[][] w, int n, double h, double h2, double lid) {
    for (int k = 0; k <= n; k++) {
      w[0][k] = -2 * psi[1][k] / h2;
      w[n][k] = -2 * psi[n - 1][k] / h2 - 2 * lid / h;
      w[k][0] = -2 * psi[k][1] / h2;
      w[k][n] = -2 * psi[k][n - 1] / h2;
    }
  }

  /** One explicit step of the vorticity transport in the interior; returns max |∂ω/∂t|. */
  private static double advance(
      double[][] psi,
      double[][] w,
      double[][] wNew,
      int n,
      double h,
      double h2,
      double nu,
      double dt) {
    double maxChange = 0;
    double inv2h = 1 / (2 * h);
    double invH2 = 1 / h2;
    for (int j = 1; j < n; j++) {
      double[] pr = psi[j];
      double[] pu = psi[j + 1];
      double[] pd = psi[j - 1];
      double[] wr = w[j];
      double[] wu = w[j + 1];
      double[] wd = w[j - 1];
      double[] out = wNew[j];
      for (int i = 1; i < n; i++) {
        double u = (pu[i] - pd[i]) * inv2h;
        double v = -(pr[i + 1] - pr[i - 1]) * inv2h;
        double dwdx = (wr[i + 1] - wr[i - 1]) * inv2h;
        double dwdy = (wu[i] - wd[i]) * inv2h;
        double lap = (wr[i + 1] + wr[i - 1] + wu[i] + wd[i] - 4 * wr[i]) * invH2;
        double rate = -u * dwdx - v * dwdy + nu * lap;
        double next = wr[i] + dt * rate;
        // Flush values that would turn subnormal: arithmetic on them is far slower.
        out[i] = Math.abs(next) < TINY ? 0 : next;
        maxChange = Math.max(maxChange, Math.abs(rate));
      }
    }
    for (int j = 1; j < n; j++) {
      System.arraycopy(wNew[j], 1, w[j], 1, n - 1);
    }
    return maxChange;
  }

  private CavitySolver() {}

  /** SOR sweeps of ∇²ψ = −ω with ψ = 0 on the walls, until the largest update is below tol. */
  private static void poisson(
      double[][] psi, double[][] w, int n, double h2, double sor, int maxSweeps, double tol) {
    for (int sweep = 0; sweep < maxSweeps; sweep++) {
      double change = 0;
      for (int j = 1; j < n; j++) {
        double[] row = psi[j];
        double[] below = psi[j - 1];
        double[] above = psi[j + 1];
        double[] wr = w[j];
        for (int i = 1; i < n; i++) {
          double gs = 0.25 * (row[i + 1] + row[i - 1] + above[i] + below[i] + h2 * wr[i]);
          double d = sor * (gs - row[i]);
          double next = row[i] + d;
          row[i] = Math.abs(next) < TINY ? 0 : next;
          change = Math.max(change, Math.abs(d));
        }
      }
      if (change < tol) {
        return;
      }
    }
  }

  /**
   * Solves the cavity.
   *
   * @param reynolds the Reynolds number U·L/ν
   * @param n cells per side (at least 8)
   * @param tolerance the steady-state tolerance on max |Δω|/Δt
   * @param maxSteps the most steps
   * @param monitor progress and cancellation
   */
  public static Result solve(
      double reynolds, int n, double tolerance, int maxSteps, Monitor monitor) {
    if (n < 8 || reynolds <= 0 || tolerance <= 0 || maxSteps < 1) {
      throw new IllegalArgumentException("need n >= 8, Re > 0, tolerance > 0, maxSteps >= 1");
    }
    final double lid = 1.0;
    double h = 1.0 / n;
    double h2 = h * h;
    double nu = 1.0 / reynolds;
    // Explicit stability of forward Euler with central differences: diffusion (dt <= h²/(4ν)),
    // convection-diffusion (dt <= 2ν/U²) and the CFL limit (dt <= h/U), with a margin.
    double dt = 0.8 * Math.min(Math.min(h2 / (4 * nu), 2 * nu / (lid * lid)), h / lid);
    double sor = 2.0 / (1.0 + Math.sin(Math.PI * h));
    double[][] psi = new double[n + 1][n + 1];
    double[][] w = new double[n + 1][n + 1];
    double[][] wNew = new double[n + 1][n + 1];
    double residual = Double.POSITIVE_INFINITY;
    int step = 0;
    boolean converged = false;
    while (step < maxSteps) {
      step++;
      walls(psi, w, n, h, h2, lid);
      double maxChange = advance(psi, w, wNew, n, h, h2, nu, dt);
      // ∇²ψ = −ω: a few SOR sweeps a step, warm-started; ψ converges along with ω.
      poisson(psi, w, n, h2, sor, 8, 1e-9);
      residual = maxChange;
      if (step % 50 == 0 && !monitor.onStep(step, step * dt, residual)) {
        break;
      }
      if (residual < tolerance) {
        converged = true;
        break;
      }
    }
    poisson(psi, w, n, h2, sor, 10_000, 1e-12);
    double[][] u = new double[n + 1][n + 1];
    double[][] v = new double[n + 1][n + 1];
    for (int i = 0; i <= n; i++) {
      u[n][i] = lid;
    }
    for (int j = 1; j < n; j++) {
      for (int i = 1; i < n; i++) {
        u[j][i] = (psi[j + 1][i] - psi[j - 1][i]) / (2 * h);
        v[j][i] = -(psi[j][i + 1] - psi[j][i - 1]) / (2 * h);
      }
    }
    monitor.onStep(step, step * dt, residual);
    return new Result(n, psi, w, u, v, step, residual, converged);
  }
}
