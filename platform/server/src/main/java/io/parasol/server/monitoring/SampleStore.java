package io.parasol.server.monitoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.parasol.server.common.WakeableLoop;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

/**
 * Keeps runs' sampled frames: one row per sampling instant, the names comma-separated and the
 * values packed as doubles (NaN where the metric was unavailable). Ingested frames are buffered in
 * memory and written in bulk every {@code flush-interval} (PostgreSQL {@code COPY}, batched inserts
 * on H2), so that thousands of runs can report every second; a full buffer refuses more (the worker
 * retries). Reads bucket values to the asked step; maintenance replaces old raw frames by per-step
 * means and deletes the frames of runs past retention.
 */
@ApplicationScoped
public class SampleStore {

  private static final Logger LOG = Logger.getLogger(SampleStore.class);
  private static final int FLUSH_CHUNK = 5_000;
  private static final HexFormat HEX = HexFormat.of();

  /**
   * A frame as stored.
   *
   * @param runId the run
   * @param at when it was sampled (or the start of its step, downsampled)
   * @param names the metric names
   * @param values the values, NaN where unavailable
   */
  public record StoredFrame(UUID runId, Instant at, List<String> names, double[] values) {}

  /**
   * A point of a series: the mean of the values in the step starting at {@code at}.
   *
   * @param at the start of the step
   * @param value the mean, or null when the metric was unavailable throughout the step
   */
  public record Point(Instant at, Double value) {}

  /**
   * What a run's series hold.
   *
   * @param name the metric
   * @param samples samples kept (raw or downsampled)
   * @param available whether any sample has a value
   * @param first the first sample
   * @param last the last sample
   */
  public record SeriesInfo(
      String name, long samples, boolean available, Instant first, Instant last) {}

  private final DataSource dataSource;
  private final MonitoringConfig config;
  private final boolean postgres;
  private final ConcurrentLinkedQueue<StoredFrame> buffer = new ConcurrentLinkedQueue<>();
  private final AtomicInteger buffered = new AtomicInteger();
  private final Counter ingested;
  private final Counter refused;
  private final Object flushLock = new Object();
  private WakeableLoop flusher;

  SampleStore(
      DataSource dataSource,
      MonitoringConfig config,
      MeterRegistry registry,
      @ConfigProperty(name = "quarkus.datasource.db-kind") String dbKind) {
    this.dataSource = dataSource;
    this.config = config;
    this.postgres = dbKind.toLowerCase(java.util.Locale.ROOT).startsWith("postgres");
    this.ingested =
        Counter.builder("parasol.monitoring.samples")
            .description("Samples accepted from workers")
            .register(registry);
    this.refused =
        Counter.builder("parasol.monitoring.samples.refused")
            .description("Samples refused because the write buffer was full")
            .register(registry);
    registry.gauge("parasol.monitoring.samples.buffered", buffered);
  }

  void start(@Observes @Priority(5) StartupEvent event) {
    flusher =
        new WakeableLoop("parasol-sample-writer", config.ingest().flushInterval(), this::flush);
    flusher.start();
  }

  void stop(@Observes ShutdownEvent event) {
    if (flusher != null) {
      flusher.stop();
    }
    flush();
  }

  /**
   * Buffers frames for writing.
   *
   * @return false when the buffer is full and nothing was taken
   */
  public boolean offer(List<StoredFrame> frames) {
    int samples = frames.stream().mapToInt(f -> f.values().length).sum();
    if (samples == 0) {
      return true;
    }
    if (buffered.get() + samples > config.ingest().bufferSamples()) {
      refused.increment(samples);
      return false;
    }
    buffered.addAndGet(samples);
    buffer.addAll(frames);
    ingested.increment(samples);
    return true;
  }

  /** Writes everything buffered now (tests and shutdown; the writer thread does it otherwise). */
  public void flush() {
    synchronized (flushLock) {
      while (!buffer.isEmpty()) {
        List<StoredFrame> chunk = new ArrayList<>();
        StoredFrame next;
        while (chunk.size() < FLUSH_CHUNK && (next = buffer.poll()) != null) {
          chunk.add(next);
        }
        int samples = chunk.stream().mapToInt(f -> f.values().length).sum();
        try {
          write(chunk);
        } catch (SQLException e) {
          LOG.errorf("could not write %d frames: %s", chunk.size(), e.getMessage());
        } finally {
          buffered.addAndGet(-samples);
        }
      }
    }
  }

  private void write(List<StoredFrame> chunk) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      if (postgres) {
        StringBuilder text = new StringBuilder(chunk.size() * 600);
        for (StoredFrame f : chunk) {
          text.append(f.runId())
              .append('\t')
              .append(f.at())
              .append("\t0\t")
              .append(String.join(",", f.names()))
              .append("\t\\\\x")
              .append(HEX.formatHex(pack(f.values())))
              .append('\n');
        }
        try {
          c.unwrap(PGConnection.class)
              .getCopyAPI()
              .copyIn(
                  "copy run_frame (run_id, at, step_seconds, names, vals) from stdin",
                  new StringReader(text.toString()));
        } catch (java.io.IOException e) {
          throw new SQLException(e);
        }
      } else {
        insert(c, chunk, 0);
      }
    }
  }

  private static void insert(Connection c, Collection<StoredFrame> frames, int step)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "insert into run_frame (run_id, at, step_seconds, names, vals) values (?, ?, ?, ?, ?)")) {
      for (StoredFrame f : frames) {
        insert.setObject(1, f.runId());
        insert.setObject(2, OffsetDateTime.ofInstant(f.at(), ZoneOffset.UTC));
        insert.setInt(3, step);
        insert.setString(4, String.join(",", f.names()));
        insert.setBytes(5, pack(f.values()));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  static byte[] pack(double[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * Double.BYTES);
    for (double v : values) {
      b.putDouble(v);
    }
    return b.array();
  }

  /** One stored row, decoded. */
  private record Row(Instant at, String[] names, double[] values) {}

  /** Reads a run's rows, in time order, and hands each to {@code visit}. */
  private void scan(
      UUID runId,
      Instant from,
      Instant to,
      boolean rawOnly,
      java.util.function.Consumer<Row> visit) {
    String sql =
        "select at, names, vals from run_frame where run_id = ?"
            + (from == null ? "" : " and at >= ?")
            + (to == null ? "" : " and at < ?")
            + (rawOnly ? " and step_seconds = 0" : "")
            + " order by at";
    Map<String, String[]> split = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement q = c.prepareStatement(sql)) {
      int i = 1;
      q.setObject(i++, runId);
      if (from != null) {
        q.setObject(i++, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
      }
      if (to != null) {
        q.setObject(i, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
      }
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          String[] names = split.computeIfAbsent(rs.getString(2), n -> n.split(","));
          ByteBuffer b = ByteBuffer.wrap(rs.getBytes(3));
          double[] values = new double[names.length];
          for (int k = 0; k < values.length && b.remaining() >= Double.BYTES; k++) {
            values[k] = b.getDouble();
          }
          visit.accept(new Row(instant(rs, 1), names, values));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- reads

  /** The series a run has. */
  public List<SeriesInfo> series(UUID runId) {
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, Instant[]> span = new HashMap<>();
    scan(
        runId,
        null,
        null,
        false,
        row -> {
          for (int k = 0; k < row.names().length; k++) {
            long[] c = counts.computeIfAbsent(row.names()[k], n -> new long[2]);
            c[0]++;
            if (!Double.isNaN(row.values()[k])) {
              c[1]++;
            }
            Instant[] s = span.computeIfAbsent(row.names()[k], n -> new Instant[2]);
            if (s[0] == null) {
              s[0] = row.at();
            }
            s[1] = row.at();
          }
        });
    List<SeriesInfo> out = new ArrayList<>();
    counts.forEach(
        (name, c) ->
            out.add(new SeriesInfo(name, c[0], c[1] > 0, span.get(name)[0], span.get(name)[1])));
    return out;
  }

  /**
   * Series of a run, each bucketed to {@code stepSeconds}: the mean of the values in each step.
   *
   * @param runId the run
   * @param names the metrics
   * @param from the start (inclusive)
   * @param to the end (exclusive)
   * @param stepSeconds the step
   * @return points by metric name, in the order asked
   */
  public Map<String, List<Point>> read(
      UUID runId, List<String> names, Instant from, Instant to, long stepSeconds) {
    Map<String, TreeMap<Long, double[]>> buckets = new LinkedHashMap<>();
    names.forEach(n -> buckets.put(n, new TreeMap<>()));
    long stepMillis = stepSeconds * 1000;
    scan(
        runId,
        from,
        to,
        false,
        row -> {
          long bucket = Math.floorDiv(row.at().toEpochMilli(), stepMillis) * stepMillis;
          for (int k = 0; k < row.names().length; k++) {
            TreeMap<Long, double[]> series = buckets.get(row.names()[k]);
            if (series != null) {
              double[] acc = series.computeIfAbsent(bucket, b -> new double[2]);
              if (!Double.isNaN(row.values()[k])) {
                acc[0] += row.values()[k];
                acc[1]++;
              }
            }
          }
        });
    Map<String, List<Point>> out = new LinkedHashMap<>();
    buckets.forEach(
        (name, series) -> {
          List<Point> points = new ArrayList<>(series.size());
          series.forEach(
              (bucket, acc) ->
                  points.add(
                      new Point(
                          Instant.ofEpochMilli(bucket), acc[1] == 0 ? null : acc[0] / acc[1])));
          out.put(name, points);
        });
    return out;
  }

  /** Every value of a run sampled since {@code from}, by metric (for the live stream). */
  public Map<String, List<Point>> since(UUID runId, Instant from) {
    Map<String, List<Point>> out = new TreeMap<>();
    scan(
        runId,
        from,
        null,
        false,
        row -> {
          for (int k = 0; k < row.names().length; k++) {
            double v = row.values()[k];
            out.computeIfAbsent(row.names()[k], n -> new ArrayList<>())
                .add(new Point(row.at(), Double.isNaN(v) ? null : v));
          }
        });
    return out;
  }

  /** A run's raw frames since {@code from} (to rebuild its recent window); NaN values left out. */
  public List<Frame> frames(UUID runId, Instant from) {
    List<Frame> out = new ArrayList<>();
    scan(
        runId,
        from,
        null,
        true,
        row -> {
          Map<String, Double> values = new HashMap<>();
          for (int k = 0; k < row.names().length; k++) {
            if (!Double.isNaN(row.values()[k])) {
              values.put(row.names()[k], row.values()[k]);
            }
          }
          out.add(new Frame(row.at(), values));
        });
    return out;
  }

  // ---------------------------------------------------------------- maintenance

  /**
   * Replaces a run's raw frames older than {@code cutoff} by one frame of means per {@code
   * stepSeconds} (the cutoff is rounded down to a step), in one transaction.
   *
   * @return how many raw frames were replaced
   */
  public int downsample(UUID runId, Instant cutoff, long stepSeconds) {
    long stepMillis = stepSeconds * 1000;
    Instant aligned =
        Instant.ofEpochMilli(Math.floorDiv(cutoff.toEpochMilli(), stepMillis) * stepMillis);
    Map<Long, Map<String, double[]>> buckets = new TreeMap<>();
    int[] raw = {0};
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        if (postgres) {
          try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
            lock.setLong(1, runId.getMostSignificantBits() ^ runId.getLeastSignificantBits());
            lock.executeQuery().close();
          }
        }
        scan(
            runId,
            null,
            aligned,
            true,
            row -> {
              raw[0]++;
              Map<String, double[]> bucket =
                  buckets.computeIfAbsent(
                      Math.floorDiv(row.at().toEpochMilli(), stepMillis) * stepMillis,
                      b -> new LinkedHashMap<>());
              for (int k = 0; k < row.names().length; k++) {
                double[] acc = bucket.computeIfAbsent(row.names()[k], n -> new double[2]);
                if (!Double.isNaN(row.values()[k])) {
                  acc[0] += row.values()[k];
                  acc[1]++;
                }
              }
            });
        if (raw[0] == 0) {
          c.rollback();
          return 0;
        }
        List<StoredFrame> rollups = new ArrayList<>();
        buckets.forEach(
            (bucket, means) -> {
              List<String> names = new ArrayList<>(means.keySet());
              double[] values = new double[names.size()];
              for (int k = 0; k < values.length; k++) {
                double[] acc = means.get(names.get(k));
                values[k] = acc[1] == 0 ? Double.NaN : acc[0] / acc[1];
              }
              rollups.add(new StoredFrame(runId, Instant.ofEpochMilli(bucket), names, values));
            });
        try (PreparedStatement delete =
            c.prepareStatement(
                "delete from run_frame where run_id = ? and step_seconds = 0 and at < ?")) {
          delete.setObject(1, runId);
          delete.setObject(2, OffsetDateTime.ofInstant(aligned, ZoneOffset.UTC));
          delete.executeUpdate();
        }
        insert(c, rollups, (int) stepSeconds);
        c.commit();
        return raw[0];
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes every frame of these runs. */
  public int delete(Collection<UUID> runIds) {
    int deleted = 0;
    try (Connection c = dataSource.getConnection();
        PreparedStatement delete = c.prepareStatement("delete from run_frame where run_id = ?")) {
      for (UUID id : runIds) {
        delete.setObject(1, id);
        deleted += delete.executeUpdate();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return deleted;
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
