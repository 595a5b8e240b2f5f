package io.parasol.apps.truss;

/**
 * Linear static analysis of a 2D truss by the direct stiffness method: assembles the global
 * stiffness matrix from bar stiffnesses (E·A/L along each bar), applies the supports by removing
 * their degrees of freedom, and solves K·u = F by Cholesky factorisation (K is symmetric positive
 * definite when the truss is stable); then bar forces N = E·A/L · (axial elongation).
 */
public final class TrussSolver {

  /**
   * The answer.
   *
   * @param displacement node displacements, {@code [2*node]} in x and {@code [2*node+1]} in y, m
   * @param force bar axial forces, N, tension positive
   * @param reaction support reactions by degree of freedom (0 where free), N
   */
  public record Result(double[] displacement, double[] force, double[] reaction) {}

  /** The truss cannot carry its loads: a mechanism, or a bar of zero length. */
  public static final class UnstableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnstableException(String message) {
      super(message);
    }
  }

  private TrussSolver() {}

  /** Solves a truss. */
  public static Result solve(Truss truss) {
    int n = truss.nodes().size();
    int dofs = 2 * n;
    double[][] k = new double[dofs][dofs];
    double[][] geometry = new double[truss.bars().size()][];
    for (int b = 0; b < truss.bars().size(); b++) {
      Truss.Bar bar = truss.bars().get(b);
      Truss.Node p = truss.nodes().get(bar.a());
      Truss.Node q = truss.nodes().get(bar.b());
      double dx = q.x() - p.x();
      double dy = q.y() - p.y();
      double length = Math.hypot(dx, dy);
      if (length == 0) {
        throw new UnstableException("bar " + bar.name() + " has zero length");
      }
      double c = dx / length;
      double s = dy / length;
      double stiffness = bar.modulus() * bar.area() / length;
      geometry[b] = new double[] {c, s, stiffness};
      int[] d = {2 * bar.a(), 2 * bar.a() + 1, 2 * bar.b(), 2 * bar.b() + 1};
      double[] g = {-c, -s, c, s};
      for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
          k[d[i]][d[j]] += stiffness * g[i] * g[j];
        }
      }
    }
    double[] f = new double[dofs];
    truss
        .loads()
        .forEach(
            (node, load) -> {
              f[2 * node] += load[0];
              f[2 * node + 1] += load[1];
            });
    boolean[] fixed = new boolean[dofs];
    truss
        .supports()
        .forEach(
            (node, support) -> {
              fixed[2 * node] = support.x();
              fixed[2 * node + 1] = support.y();
            });
    int[] free = java.util.stream.IntStream.range(0, dofs).filter(i -> !fixed[i]).toArray();
    int m = free.length;
    double[][] a = new double[m][m];
    double[] rhs = new double[m];
    for (int i = 0; i < m; i++) {
      rhs[i] = f[free[i]];
      for (int j = 0; j < m; j++) {
        a[i][j] = k[free[i]][free[j]];
      }
    }
    double[] x = cholesky(a, rhs, truss);
    double[] u = new double[dofs];
    for (int i = 0; i < m; i++) {
      u[free[i]] = x[i];
    }
    double[] force = new double[truss.bars().size()];
    for (int b = 0; b < truss.bars().size(); b++) {
      Truss.Bar bar = truss.bars().get(b);
      double c = geometry[b][0];
      double s = geometry[b][1];
      double elongation =
          c * (u[2 * bar.b()] - u[2 * bar.a()]) + s * (u[2 * bar.b() + 1] - u[2 * bar.a() + 1]);
      force[b] = geometry[b][2] * elongation;
    }
    double[] reaction = new double[dofs];
    for (int i = 0; i < dofs; i++) {
      if (fixed[i]) {
        double r = -f[i];
        for (int j = 0; j < dofs; j++) {
          r += k[i][j] * u[j];
        }
        reaction[i] = r;
      }
    }
    return new Result(u, force, reaction);
  }

  /** Solves a·x = b for symmetric positive definite a, in place. */
  private static double[] cholesky(double[][] a, double[] b, Truss truss) {
    int m = b.length;
    double scale = 0;
    for (int i = 0; i < m; i++) {
      scale = Math.max(scale, a[i][i]);
    }
    for (int j = 0; j < m; j++) {
      double d = a[j][j];
      for (int p = 0; p < j; p++) {
        d -= a[j][p] * a[j][p];
      }
      if (d <= 1e-12 * scale) {
        throw new UnstableException(
            "the truss is a mechanism: it cannot carry loads in some direction (check supports and"
                + " bracing)");
      }
      double l = Math.sqrt(d);
      a[j][j] = l;
      for (int i = j + 1; i < m; i++) {
        double s = a[i][j];
        double[] ai = a[i];
        double[] aj = a[j];
        for (int p = 0; p < j; p++) {
          s -= ai[p] * aj[p];
        }
        ai[j] = s / l;
      }
    }
    double[] y = new double[m];
    for (int i = 0; i < m; i++) {
      double s = b[i];
      for (int p = 0; p < i; p++) {
        s -= a[i][p] * y[p];
      }
      y[i] = s / a[i][i];
    }
    double[] x = new double[m];
    for (int i = m - 1; i >= 0; i--) {
      double s = y[i];
      for (int p = i + 1; p < m; p++) {
        s -= a[p][i] * x[p];
      }
      x[i] = s / a[i][i];
    }
    return x;
  }
}
