package io.parasol.server.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Frames written in bulk, read back at a step, downsampled and deleted (H2 and PostgreSQL). */
@QuarkusTest
@Tag("db")
class SampleStoreTest {

  @Inject SampleStore store;

  static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");

  @Test
  void writesReadsDownsamplesAndDeletes() {
    UUID run = UUID.randomUUID();
    List<SampleStore.StoredFrame> frames = new ArrayList<>();
    // Ten minutes at 1 Hz: cpu rises 0..599, gpu never readable.
    for (int s = 0; s < 600; s++) {
      frames.add(
          new SampleStore.StoredFrame(
              run, T0.plusSeconds(s), List.of("cpu", "gpu"), new double[] {s, Double.NaN}));
    }
    assertTrue(store.offer(frames));
    store.flush();

    List<SampleStore.SeriesInfo> series = store.series(run);
    assertEquals(List.of("cpu", "gpu"), series.stream().map(SampleStore.SeriesInfo::name).toList());
    assertTrue(series.get(0).available());
    assertFalse(series.get(1).available(), "only NaN: unavailable");
    assertEquals(600, series.get(0).samples());

    Map<String, List<SampleStore.Point>> minute =
        store.read(run, List.of("cpu", "gpu"), T0, T0.plusSeconds(600), 60);
    assertEquals(10, minute.get("cpu").size());
    assertEquals(29.5, minute.get("cpu").get(0).value(), 1e-9);
    assertEquals(569.5, minute.get("cpu").get(9).value(), 1e-9);
    assertNull(minute.get("gpu").get(0).value());

    // Older than 5 minutes: one mean per minute; the newer five minutes stay raw.
    assertEquals(300, store.downsample(run, T0.plusSeconds(330), 60));
    Map<String, List<SampleStore.Point>> after =
        store.read(run, List.of("cpu"), T0, T0.plusSeconds(600), 60);
    assertEquals(10, after.get("cpu").size());
    assertEquals(29.5, after.get("cpu").get(0).value(), 1e-9, "the mean survives downsampling");
    assertEquals(569.5, after.get("cpu").get(9).value(), 1e-9);
    assertEquals(5 + 300, store.series(run).get(0).samples());
    assertEquals(0, store.downsample(run, T0.plusSeconds(330), 60), "nothing left to replace");
    assertEquals(300, store.frames(run, T0.plusSeconds(300)).size(), "raw frames for windows");

    assertEquals(305, store.delete(List.of(run)));
    assertEquals(List.of(), store.series(run));
  }

  @Test
  void aFullBufferRefusesMore() {
    UUID run = UUID.randomUUID();
    double[] many = new double[500_000];
    List<String> names = new ArrayList<>();
    for (int i = 0; i < many.length; i++) {
      names.add("m" + i);
    }
    assertFalse(
        store.offer(List.of(new SampleStore.StoredFrame(run, T0, names, many))),
        "more than the buffer holds");
    assertEquals(List.of(), store.series(run));
  }
}
