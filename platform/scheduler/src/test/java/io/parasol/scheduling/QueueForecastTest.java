package io.parasol.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QueueForecastTest {

  /**
   * A forecast that takes its waiting runs one by one ({@link QueueForecast#add}, as placement does
   * after each decision) answers as one built with them all, on 1,000 random queues.
   */
  @Test
  void addingWaitingRunsOneByOneEqualsBuildingWithThem() {
    for (long seed = 0; seed < 1_000; seed++) {
      Random random = new Random(seed);
      int total = 1 + random.nextInt(256);
      List<QueueForecast.Slot> running = new ArrayList<>();
      int used = 0;
      while (used < total && random.nextInt(5) > 0) {
        int c = 1 + random.nextInt(total - used);
        running.add(new QueueForecast.Slot(c, random.nextInt(5000)));
        used += c;
      }
      List<QueueForecast.Slot> queued = new ArrayList<>();
      // some queues far longer than a block of steps, so that the blocks are kept up to date in
      // place across many additions
      for (int q = random.nextInt(seed % 10 == 0 ? 3000 : 200); q > 0; q--) {
        queued.add(new QueueForecast.Slot(1 + random.nextInt(total), 1 + random.nextInt(3000)));
      }
      QueueForecast built = QueueForecast.of(total, running, queued);
      QueueForecast added = QueueForecast.of(total, running, List.of());
      for (QueueForecast.Slot q : queued) {
        added.add(q);
        // the blocks, kept up to date in place, skip only what walking every step skips
        int cores = 1 + random.nextInt(total);
        double seconds = random.nextInt(4000);
        assertEquals(
            added.earliestStartByWalking(cores, seconds),
            added.earliestStart(cores, seconds),
            "seed " + seed + ", walking while adding");
      }
      for (int k = 0; k < 20; k++) {
        int cores = 1 + random.nextInt(total);
        double seconds = random.nextInt(4000);
        assertEquals(
            built.earliestStart(cores, seconds),
            added.earliestStart(cores, seconds),
            "seed " + seed + ", " + cores + " cores for " + seconds + " s");
        // the block skipping finds the slot walking every step finds
        assertEquals(
            built.earliestStartByWalking(cores, seconds),
            built.earliestStart(cores, seconds),
            "seed " + seed + ", walking");
        assertEquals(
            added.earliestStartByWalking(cores, seconds),
            added.earliestStart(cores, seconds),
            "seed " + seed + ", walking after adding");
      }
    }
  }

  @Test
  void aWaitingRunAddedLaterQueuesBehindTheOthers() {
    // 4 cores, all busy for 100 s; a 4-core run of 50 s waits until 100, the next until 150
    QueueForecast f = QueueForecast.of(4, List.of(new QueueForecast.Slot(4, 100)), List.of());
    assertEquals(100, f.earliestStart(4, 50));
    f.add(new QueueForecast.Slot(4, 50));
    assertEquals(150, f.earliestStart(4, 50));
    assertEquals(Double.NaN, QueueForecast.UNKNOWN.earliestStart(1, 1));
  }
}
