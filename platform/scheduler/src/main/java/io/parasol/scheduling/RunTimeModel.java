package io.parasol.scheduling;

import java.util.Arrays;
import java.util.List;

/**
 * Predicts a run's time from the same app's past runs.
 *
 * <p>Past runs at the same core count give their median. Past runs at two or more core counts give
 * a power law {@code t = a · cores^b}, fitted by least squares on the logarithms with {@code b}
 * kept within [−1, 0] (no better than linear speed-up, never slower with more cores). One core
 * count alone is scaled linearly. With no history the app's declared expected wall time stands.
 * Callers pass the runs of the same problem (the same app inputs) when there are any, else all the
 * app's runs.
 */
public final class RunTimeModel {

  /**
   * One finished run.
   *
   * @param cores its cores
   * @param seconds how long it ran, normalised to a partition of speed 1
   */
  public record Sample(int cores, double seconds) {}

  private RunTimeModel() {}

  /** The predicted run time in seconds at this many cores (on a partition of speed 1). */
  public static double predict(List<Sample> history, int cores, double declaredSeconds) {
    if (history.isEmpty()) {
      return declaredSeconds;
    }
    double[] same =
        history.stream().filter(s -> s.cores() == cores).mapToDouble(Sample::seconds).toArray();
    if (same.length > 0) {
      Arrays.sort(same);
      int mid = same.length / 2;
      return same.length % 2 == 1 ? same[mid] : (same[mid - 1] + same[mid]) / 2;
    }
    long distinct = history.stream().mapToInt(Sample::cores).distinct().count();
    if (distinct < 2) {
      Sample s = history.get(0);
      double mean = history.stream().mapToDouble(Sample::seconds).average().orElse(s.seconds());
      return mean * s.cores() / cores;
    }
    double n = history.size();
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (Sample s : history) {
      double x = Math.log(s.cores());
      double y = Math.log(Math.max(1e-3, s.seconds()));
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    double b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    b = Math.max(-1, Math.min(0, b));
    double a = (sy - b * sx) / n;
    return Math.exp(a + b * Math.log(cores));
  }
}
