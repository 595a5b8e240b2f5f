package io.parasol.scheduling;

import java.util.Arrays;
import java.util.List;

/**
 * When a partition's cores free up: the runs in flight end at their predicted times and the waiting
 * runs, in queue order, each take the earliest slot that fits them (a conservative-backfill
 * profile). A new run is predicted to start at the earliest slot that fits it after them. Built
 * once per change of the queue and asked many times, so placement stays cheap with long queues.
 */
public final class QueueForecast {

  /**
   * A run in flight or waiting.
   *
   * @param cores its cores
   * @param seconds for a run in flight, the seconds until it is predicted to end; for a waiting
   *     run, its predicted run time
   */
  public record Slot(int cores, double seconds) {}

  /** A partition whose queue is not known in detail (a scheduler Parasol does not run). */
  public static final QueueForecast UNKNOWN = new QueueForecast(-1);

  private final int total;
  // free cores on [times[i], times[i + 1]), times[0] = 0 (now); the last step lasts forever
  private double[] times;
  private int[] free;
  private int size;

  private QueueForecast(int total) {
    this.total = total;
    this.times = new double[16];
    this.free = new int[16];
  }

  /**
   * The forecast of a partition.
   *
   * @param totalCores its cores
   * @param running its runs in flight
   * @param queued its waiting runs, in the order they will be taken
   */
  public static QueueForecast of(int totalCores, List<Slot> running, List<Slot> queued) {
    QueueForecast f = new QueueForecast(totalCores);
    Slot[] byEnd = running.toArray(new Slot[0]);
    Arrays.sort(byEnd, (a, b) -> Double.compare(a.seconds(), b.seconds()));
    int freeNow = totalCores;
    for (Slot r : byEnd) {
      freeNow -= r.cores();
    }
    f.append(0, Math.max(0, freeNow));
    int level = Math.max(0, freeNow);
    int used = totalCores - freeNow;
    for (Slot r : byEnd) {
      used -= r.cores();
      level = Math.max(0, totalCores - used);
      double at = Math.max(0, r.seconds());
      if (at == f.times[f.size - 1]) {
        f.free[f.size - 1] = level;
        f.changedFrom(f.size - 1);
      } else {
        f.append(at, level);
      }
    }
    for (Slot q : queued) {
      if (q.cores() <= totalCores) {
        f.reserve(f.earliest(q.cores(), q.seconds()), q.cores(), q.seconds());
      }
    }
    return f;
  }

  /**
   * Adds a waiting run at the end of the queue: it takes the earliest slot that fits it. Changes
   * this forecast; callers that share one across threads guard it.
   */
  public void add(Slot run) {
    if (this != UNKNOWN && run.cores() <= total) {
      reserve(earliest(run.cores(), run.seconds()), run.cores(), run.seconds());
    }
  }

  /** The same answer as {@link #earliestStart}, by walking every step: for tests. */
  double earliestStartByWalking(int cores, double seconds) {
    if (cores > total) {
      return Double.POSITIVE_INFINITY;
    }
    int i = 0;
    outer:
    while (i < size) {
      if (free[i] < cores) {
        i++;
        continue;
      }
      for (int j = i + 1; j < size && times[j] < times[i] + seconds; j++) {
        if (free[j] < cores) {
          i = j + 1;
          continue outer;
        }
      }
      return times[i];
    }
    return times[size - 1];
  }

  /** An idle partition. */
  public static QueueForecast idle(int totalCores) {
    return of(totalCores, List.of(), List.of());
  }

  /**
   * The predicted wait, in seconds from now, of a run of this many cores lasting this long.
   * Infinite when the partition never has that many cores; NaN for {@link #UNKNOWN}.
   */
  public double earliestStart(int cores, double seconds) {
    if (this == UNKNOWN) {
      return Double.NaN;
    }
    if (cores > total) {
      return Double.POSITIVE_INFINITY;
    }
    return times[earliest(cores, seconds)];
  }

  /** The step at whose beginning the run fits for its whole length. */
  private int earliest(int cores, double seconds) {
    ensureBlocks();
    int i = 0;
    outer:
    while (i < size) {
      if (free[i] < cores) {
        int block = i >> BLOCK_BITS;
        // a stretch where no step has enough cores free is skipped whole
        i = blockMax[block] < cores ? (block + 1) << BLOCK_BITS : i + 1;
        continue;
      }
      double end = times[i] + seconds;
      int j = i + 1;
      while (j < size && times[j] < end) {
        int block = j >> BLOCK_BITS;
        if ((j & BLOCK_MASK) == 0 && blockMin[block] >= cores) {
          int last = Math.min(size, (block + 1) << BLOCK_BITS) - 1;
          if (times[last] < end) {
            j = last + 1; // a stretch where every step has enough cores free
            continue;
          }
        }
        if (free[j] < cores) {
          i = j + 1;
          continue outer;
        }
        j++;
      }
      return i;
    }
    return size - 1; // the last step has every core free
  }

  // The steps in blocks of 32, with each block's least and most cores free, so that a query skips
  // the stretches of a long queue that cannot matter. A change marks the first step it touched;
  // the blocks from there on are worked out again before the next query (a run added at the end
  // of a long queue costs a block or two, not the whole profile).
  private static final int BLOCK_BITS = 5;
  private static final int BLOCK_MASK = (1 << BLOCK_BITS) - 1;
  private int[] blockMin = new int[0];
  private int[] blockMax = new int[0];
  private int staleFrom = 0;

  private void changedFrom(int step) {
    staleFrom = Math.min(staleFrom, step);
  }

  private void ensureBlocks() {
    if (staleFrom >= size) {
      return;
    }
    int blocks = (size + BLOCK_MASK) >> BLOCK_BITS;
    if (blockMin.length < blocks) {
      blockMin = Arrays.copyOf(blockMin, blocks * 2);
      blockMax = Arrays.copyOf(blockMax, blocks * 2);
    }
    for (int b = staleFrom >> BLOCK_BITS; b < blocks; b++) {
      int min = Integer.MAX_VALUE;
      int max = Integer.MIN_VALUE;
      for (int k = b << BLOCK_BITS, end = Math.min(size, (b + 1) << BLOCK_BITS); k < end; k++) {
        min = Math.min(min, free[k]);
        max = Math.max(max, free[k]);
      }
      blockMin[b] = min;
      blockMax[b] = max;
    }
    staleFrom = Integer.MAX_VALUE;
  }

  private void append(double at, int level) {
    if (size == times.length) {
      times = Arrays.copyOf(times, size * 2);
      free = Arrays.copyOf(free, size * 2);
    }
    times[size] = at;
    free[size] = level;
    changedFrom(size);
    size++;
  }

  private void insert(int index, double at, int level) {
    append(0, 0);
    System.arraycopy(times, index, times, index + 1, size - 1 - index);
    System.arraycopy(free, index, free, index + 1, size - 1 - index);
    times[index] = at;
    free[index] = level;
    changedFrom(index);
  }

  /** Takes the cores from the start of step {@code step} for the run's length. */
  private void reserve(int step, int cores, double seconds) {
    if (seconds <= 0) {
      return;
    }
    double end = times[step] + seconds;
    int k = step;
    while (k + 1 < size && times[k + 1] <= end) {
      k++;
    }
    if (times[k] < end) {
      insert(k + 1, end, free[k]);
    }
    for (int i = step; i < size && times[i] < end; i++) {
      free[i] -= cores;
    }
    changedFrom(step);
  }
}
