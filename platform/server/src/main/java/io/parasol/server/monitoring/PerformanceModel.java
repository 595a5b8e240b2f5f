package io.parasol.server.monitoring;

import java.util.List;
import org.apache.commons.math3.linear.SingularMatrixException;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

/**
 * An app's expected progress rate (fraction of the run per second) as a function of problem size
 * and cores, learned from its completed runs by ordinary least squares on logarithms:
 *
 * <pre>
 *   ln(rate) = a + b·ln(size) + c·ln(cores)
 * </pre>
 *
 * <p>that is, {@code rate = e^a · size^b · cores^c}: a power law, which is what strong scaling and
 * problem-size scaling look like over the ranges apps are run at ({@code b} near −1 for work linear
 * in size, {@code c} between 0 and 1 for parallel efficiency). A term whose input never varies in
 * the runs (every run the same size, or the same cores) is left out ({@code b} or {@code c} is 0).
 * An app that reports no problem size is modelled on cores alone.
 *
 * @param intercept {@code a}
 * @param sizeExponent {@code b}
 * @param coresExponent {@code c}
 * @param runs how many runs it was learned from
 * @param rSquared the share of the variance of {@code ln(rate)} it explains
 * @param rmse the root mean square error of {@code ln(rate)}
 */
public record PerformanceModel(
    double intercept,
    double sizeExponent,
    double coresExponent,
    int runs,
    double rSquared,
    double rmse) {

  /**
   * One completed run.
   *
   * @param size the problem size, or 0 when the app reports none
   * @param cores the cores it ran on
   * @param seconds how long the solver ran, start to finish
   */
  public record Observation(double size, int cores, double seconds) {

    double rate() {
      return 1.0 / seconds;
    }
  }

  /** The expected progress per second at this size and cores. */
  public double rate(double size, int cores) {
    return Math.exp(
        intercept
            + sizeExponent * Math.log(size > 0 ? size : 1)
            + coresExponent * Math.log(Math.max(1, cores)));
  }

  /**
   * Fits the model, or returns null for fewer than {@code minRuns} usable runs.
   *
   * @param runs the completed runs
   * @param minRuns the fewest runs to fit
   * @return the model, or null
   */
  public static PerformanceModel fit(List<Observation> runs, int minRuns) {
    List<Observation> usable =
        runs.stream().filter(o -> o.seconds() > 0 && o.cores() > 0 && o.size() >= 0).toList();
    if (usable.size() < Math.max(1, minRuns)) {
      return null;
    }
    int n = usable.size();
    double[] y = new double[n];
    double[] lnSize = new double[n];
    double[] lnCores = new double[n];
    for (int i = 0; i < n; i++) {
      Observation o = usable.get(i);
      y[i] = Math.log(o.rate());
      lnSize[i] = Math.log(o.size() > 0 ? o.size() : 1);
      lnCores[i] = Math.log(o.cores());
    }
    boolean sizeVaries = varies(lnSize);
    boolean coresVaries = varies(lnCores);
    int terms = (sizeVaries ? 1 : 0) + (coresVaries ? 1 : 0);
    if (terms == 0 || n <= terms + 1) {
      // Nothing to regress on, or too few runs for the terms: the geometric mean rate.
      return finish(usable, mean(y), 0, 0, lnSize, lnCores, y);
    }
    double[][] x = new double[n][terms];
    for (int i = 0; i < n; i++) {
      int k = 0;
      if (sizeVaries) {
        x[i][k++] = lnSize[i];
      }
      if (coresVaries) {
        x[i][k] = lnCores[i];
      }
    }
    OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
    ols.newSampleData(y, x);
    double[] beta;
    try {
      beta = ols.estimateRegressionParameters();
    } catch (SingularMatrixException e) {
      return finish(usable, mean(y), 0, 0, lnSize, lnCores, y);
    }
    double a = beta[0];
    double b = 0;
    double c = 0;
    int k = 1;
    if (sizeVaries) {
      b = beta[k++];
    }
    if (coresVaries) {
      c = beta[k];
    }
    return finish(usable, a, b, c, lnSize, lnCores, y);
  }

  private static PerformanceModel finish(
      List<Observation> usable,
      double a,
      double b,
      double c,
      double[] lnSize,
      double[] lnCores,
      double[] y) {
    double meanY = mean(y);
    double ssTot = 0;
    double ssRes = 0;
    for (int i = 0; i < y.length; i++) {
      double predicted = a + b * lnSize[i] + c * lnCores[i];
      ssRes += (y[i] - predicted) * (y[i] - predicted);
      ssTot += (y[i] - meanY) * (y[i] - meanY);
    }
    double r2 = ssTot <= 1e-12 ? 1.0 : 1 - ssRes / ssTot;
    return new PerformanceModel(a, b, c, usable.size(), r2, Math.sqrt(ssRes / y.length));
  }

  private static boolean varies(double[] values) {
    for (double v : values) {
      if (Math.abs(v - values[0]) > 1e-9) {
        return true;
      }
    }
    return false;
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }
}
