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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
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
 * Keeps runs' sample series. Ingested samples are buffered in memory and written in bulk every
 * {@code flush-interval} (PostgreSQL {@code COPY}, batched inserts on H2), so that thousands of
 * runs can report every second; a full buffer refuses more (the worker retries). Reads bucket the
 * samples to the asked step; maintenance replaces old raw samples with per-step means and deletes
 * the series of runs past retention.
 */
@ApplicationScoped
public class SampleStore {

  private static final Logger LOG = Logger.getLogger(SampleStore.class);
  private static final int FLUSH_CHUNK = 50_000;

  /**
   * One sample.
   *
   * @param runId the run
   * @param name the metric
   * @param at when
   * @param value the value, null when unavailable
   */
  public record Sample(UUID runId, String name, Instant at, Double value) {}

  /**
   * A point of a series: the mean of the samples in the step starting at {@code at}.
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
  private final ConcurrentLinkedQueue<List<Sample>> buffer = new ConcurrentLinkedQueue<>();
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
    this.postgres = dbKind.toLowerCase().startsWith("postgres");
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
   * Buffers samples for writing.
   *
   * @return false when the buffer is full and nothing was taken
   */
  public boolean offer(List<Sample> samples) {
    if (samples.isEmpty()) {
      return true;
    }
    if (buffered.get() + samples.size() > config.ingest().bufferSamples()) {
      refused.increment(samples.size());
      return false;
    }
    buffered.addAndGet(samples.size());
    buffer.add(samples);
    ingested.increment(samples.size());
    return true;
  }

  /** Writes everything buffered now (tests and shutdown; the writer thread does it otherwise). */
  public void flush() {
    synchronized (flushLock) {
      while (!buffer.isEmpty()) {
        List<Sample> chunk = new ArrayList<>();
        List<Sample> next;
        while (chunk.size() < FLUSH_CHUNK && (next = buffer.poll()) != null) {
          chunk.addAll(next);
        }
        try {
          write(chunk);
        } catch (SQLException e) {
          LOG.errorf("could not write %d samples: %s", chunk.size(), e.getMessage());
        } finally {
          buffered.addAndGet(-chunk.size());
        }
      }
    }
  }

  private void write(List<Sample> chunk) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      if (postgres) {
        StringBuilder text = new StringBuilder(chunk.size() * 80);
        for (Sample s : chunk) {
          text.append(s.runId())
              .append('\t')
              .append(s.name())
              .append('\t')
              .append(s.at())
              .append('\t')
              .append(s.value() == null ? "\\N" : Double.toString(s.value()))
              .append("\t0\n");
        }
        try {
          c.unwrap(PGConnection.class)
              .getCopyAPI()
              .copyIn(
                  "copy run_sample (run_id, name, at, val, step_seconds) from stdin",
                  new StringReader(text.toString()));
        } catch (java.io.IOException e) {
          throw new SQLException(e);
        }
      } else {
        insert(c, chunk, 0);
      }
    }
  }

  private static void insert(Connection c, Collection<Sample> samples, int step)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "insert into run_sample (run_id, name, at, val, step_seconds) values (?, ?, ?, ?, ?)")) {
      for (Sample s : samples) {
        insert.setObject(1, s.runId());
        insert.setString(2, s.name());
        insert.setObject(3, OffsetDateTime.ofInstant(s.at(), ZoneOffset.UTC));
        if (s.value() == null) {
          insert.setNull(4, java.sql.Types.DOUBLE);
        } else {
          insert.setDouble(4, s.value());
        }
        insert.setInt(5, step);
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  // ---------------------------------------------------------------- reads

  /** The series a run has. */
  public List<SeriesInfo> series(UUID runId) {
    List<SeriesInfo> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select name, count(*), count(val), min(at), max(at) from run_sample"
                    + " where run_id = ? group by name order by name")) {
      q.setObject(1, runId);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.add(
              new SeriesInfo(
                  rs.getString(1),
                  rs.getLong(2),
                  rs.getLong(3) > 0,
                  instant(rs, 4),
                  instant(rs, 5)));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
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
    try (Connection c = dataSource.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select name, at, val from run_sample where run_id = ? and name = ?"
                    + " and at >= ? and at < ? order by at")) {
      for (String name : names) {
        q.setObject(1, runId);
        q.setString(2, name);
        q.setObject(3, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
        q.setObject(4, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
        TreeMap<Long, double[]> series = buckets.get(name);
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            long at = instant(rs, 2).toEpochMilli();
            long bucket = Math.floorDiv(at, stepMillis) * stepMillis;
            double[] acc = series.computeIfAbsent(bucket, b -> new double[2]);
            double v = rs.getDouble(3);
            if (!rs.wasNull()) {
              acc[0] += v;
              acc[1]++;
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
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

  /** A run's raw samples since {@code from}, as frames (to rebuild a run's recent window). */
  public List<Frame> frames(UUID runId, Instant from) {
    TreeMap<Instant, Map<String, Double>> frames = new TreeMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select name, at, val from run_sample where run_id = ? and at >= ?"
                    + " and step_seconds = 0")) {
      q.setObject(1, runId);
      q.setObject(2, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          double v = rs.getDouble(3);
          if (!rs.wasNull()) {
            frames
                .computeIfAbsent(instant(rs, 2), a -> new java.util.HashMap<>())
                .put(rs.getString(1), v);
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    List<Frame> out = new ArrayList<>();
    frames.forEach((at, values) -> out.add(new Frame(at, values)));
    return out;
  }

  // ---------------------------------------------------------------- maintenance

  /**
   * Replaces a run's raw samples older than {@code cutoff} by one mean per {@code stepSeconds} (the
   * cutoff is rounded down to a step), in one transaction.
   *
   * @return how many raw samples were replaced
   */
  public int downsample(UUID runId, Instant cutoff, long stepSeconds) {
    long stepMillis = stepSeconds * 1000;
    Instant aligned =
        Instant.ofEpochMilli(Math.floorDiv(cutoff.toEpochMilli(), stepMillis) * stepMillis);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        if (postgres) {
          try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
            lock.setLong(1, runId.getMostSignificantBits() ^ runId.getLeastSignificantBits());
            lock.executeQuery().close();
          }
        }
        Map<String, TreeMap<Long, double[]>> buckets = new TreeMap<>();
        int raw = 0;
        try (PreparedStatement q =
            c.prepareStatement(
                "select name, at, val from run_sample where run_id = ? and step_seconds = 0"
                    + " and at < ?")) {
          q.setObject(1, runId);
          q.setObject(2, OffsetDateTime.ofInstant(aligned, ZoneOffset.UTC));
          try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
              raw++;
              long at = instant(rs, 2).toEpochMilli();
              double[] acc =
                  buckets
                      .computeIfAbsent(rs.getString(1), n -> new TreeMap<>())
                      .computeIfAbsent(
                          Math.floorDiv(at, stepMillis) * stepMillis, b -> new double[2]);
              double v = rs.getDouble(3);
              if (!rs.wasNull()) {
                acc[0] += v;
                acc[1]++;
              }
            }
          }
        }
        if (raw == 0) {
          c.rollback();
          return 0;
        }
        List<Sample> rollups = new ArrayList<>();
        buckets.forEach(
            (name, series) ->
                series.forEach(
                    (bucket, acc) ->
                        rollups.add(
                            new Sample(
                                runId,
                                name,
                                Instant.ofEpochMilli(bucket),
                                acc[1] == 0 ? null : acc[0] / acc[1]))));
        try (PreparedStatement delete =
            c.prepareStatement(
                "delete from run_sample where run_id = ? and step_seconds = 0 and at < ?")) {
          delete.setObject(1, runId);
          delete.setObject(2, OffsetDateTime.ofInstant(aligned, ZoneOffset.UTC));
          delete.executeUpdate();
        }
        insert(c, rollups, (int) stepSeconds);
        c.commit();
        return raw;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes every sample of these runs. */
  public int delete(Collection<UUID> runIds) {
    int deleted = 0;
    try (Connection c = dataSource.getConnection();
        PreparedStatement delete = c.prepareStatement("delete from run_sample where run_id = ?")) {
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
