package io.parasol.apps.heat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Explicit forward-time, centred-space (FTCS) finite differences for the 2D heat equation ∂T/∂t =
 * α∇²T with Dirichlet edges, using a time step inside the scheme's stability limit. Rows are split
 * into bands across the allocated cores.
 */
public final class HeatSolver {

  /** Receives progress once per percent of the steps. */
  public interface Listener {
    /**
     * @param step the step just finished
     * @param steps the total number of steps
     * @param maxChange the largest temperature change in that step, °C
     */
    void onProgress(long step, long steps, double maxChange);
  }

  /**
   * The result of a solve.
   *
   * @param field temperatures, {@code field[j][i]} at x = i·dx, y = j·dy
   * @param steps time steps taken
   * @param dt the time step, seconds
   */
  public record Result(double[][] field, long steps, double dt) {}

  private HeatSolver() {}

  /**
   * Solves the problem.
   *
   * @param plate the problem
   * @param threads worker threads, at least 1
   * @param listener progress callback
   * @param cancelled polled between steps; the solve stops early when it returns true
   * @return the field at the end of the simulated time
   * @throws InterruptedException if interrupted
   */
  public static Result solve(Plate plate, int threads, Listener listener, BooleanSupplier cancelled)
      throws InterruptedException {
    int nx = plate.nx();
    int ny = plate.ny();
    double dt0 = plate.stableTimeStep();
    long steps = Math.max(1, (long) Math.ceil(plate.duration() / dt0 - 1e-9));
    double dt = plate.duration() / steps;
    double rx = plate.diffusivity() * dt / (plate.dx() * plate.dx());
    double ry = plate.diffusivity() * dt / (plate.dy() * plate.dy());

    double[][] t = initialField(plate);
    double[][] next = initialField(plate);
    int bands = Math.max(1, Math.min(threads, (ny - 2) / 8));
    ExecutorService pool = bands > 1 ? Executors.newFixedThreadPool(bands) : null;
    try {
      long reportEvery = Math.max(1, steps / 100);
      for (long step = 1; step <= steps; step++) {
        double maxChange = advance(t, next, rx, ry, nx, ny, bands, pool);
        double[][] swap = t;
        t = next;
        next = swap;
        if (step % reportEvery == 0 || step == steps) {
          listener.onProgress(step, steps, maxChange);
          if (cancelled.getAsBoolean()) {
            break;
          }
        }
      }
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    return new Result(t, steps, dt);
  }

  private static double advance(
      double[][] t,
      double[][] next,
      double rx,
      double ry,
      int nx,
      int ny,
      int bands,
      ExecutorService pool)
      throws InterruptedException {
    if (pool == null) {
      return band(t, next, rx, ry, nx, 1, ny - 1);
    }
    int rows = ny - 2;
    List<Future<Double>> parts = new ArrayList<>(bands);
    for (int b = 0; b < bands; b++) {
      int from = 1 + rows * b / bands;
      int to = 1 + rows * (b + 1) / bands;
      parts.add(pool.submit(() -> band(t, next, rx, ry, nx, from, to)));
    }
    double max = 0;
    try {
      for (Future<Double> part : parts) {
        max = Math.max(max, part.get());
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
    return max;
  }

  private static double band(
      double[][] t, double[][] next, double rx, double ry, int nx, int from, int to) {
    double max = 0;
    for (int j = from; j < to; j++) {
      double[] row = t[j];
      double[] up = t[j + 1];
      double[] down = t[j - 1];
      double[] out = next[j];
      for (int i = 1; i < nx - 1; i++) {
        double c = row[i];
        double v = c + rx * (row[i - 1] - 2 * c + row[i + 1]) + ry * (down[i] - 2 * c + up[i]);
        out[i] = v;
        max = Math.max(max, Math.abs(v - c));
      }
    }
    return max;
  }

  private static double[][] initialField(Plate p) {
    double[][] t = new double[p.ny()][p.nx()];
    for (int j = 0; j < p.ny(); j++) {
      for (int i = 0; i < p.nx(); i++) {
        double v = p.initial();
        if (j == 0) {
          v = p.bottom();
        } else if (j == p.ny() - 1) {
          v = p.top();
        }
        if (i == 0) {
          v = p.left();
        } else if (i == p.nx() - 1) {
          v = p.right();
        }
        t[j][i] = v;
      }
    }
    // Corners touch two edges; take their mean so that neither edge wins arbitrarily.
    t[0][0] = (p.left() + p.bottom()) / 2;
    t[0][p.nx() - 1] = (p.right() + p.bottom()) / 2;
    t[p.ny() - 1][0] = (p.left() + p.top()) / 2;
    t[p.ny() - 1][p.nx() - 1] = (p.right() + p.top()) / 2;
    return t;
  }
}
