import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Simulated workers for the sample-ingestion benchmark: RUNS runs (id and token per line of
 * RUNS_FILE) each sample METRICS values every second, as a worker sampling at 1 Hz does, and
 * report them BATCH samples a call (every BATCH seconds, as the worker's report interval makes it),
 * for SECONDS after a warm-up. A run's frame is sent when it is due; a sender that falls
 * behind shows as lag. At SWITCH_SECOND the first IDLE runs drop to 30% CPU, so that the time to
 * the idle-cores finding can be read from the database afterwards (their switch instants are
 * written to SWITCH_FILE). Prints accepted samples per second and request latency percentiles.
 *
 * <pre>java bench/IngestLoad.java URL RUNS_FILE METRICS SENDERS WARMUP SECONDS IDLE SWITCH_FILE BATCH</pre>
 */
public class IngestLoad {
  public static void main(String[] args) throws Exception {
    String base = args[0];
    List<String[]> runs = Files.readAllLines(Path.of(args[1])).stream()
        .filter(l -> !l.isBlank()).map(l -> l.trim().split("\\s+")).toList();
    int metrics = Integer.parseInt(args[2]);
    int senders = Integer.parseInt(args[3]);
    int warmup = Integer.parseInt(args[4]);
    int seconds = Integer.parseInt(args[5]);
    int idle = Integer.parseInt(args[6]);
    Path switchFile = Path.of(args[7]);
    int batch = Integer.parseInt(args[8]);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    String[] names = new String[metrics];
    String[] fixed = {"cpu_utilisation", "core_spread", "memory_used_bytes", "memory_limit_bytes",
        "memory_rss_bytes", "io_read_bytes_per_second", "io_write_bytes_per_second", "io_wait_fraction",
        "threads", "progress"};
    for (int i = 0; i < metrics; i++) {
      names[i] = i < fixed.length ? fixed[i] : "solver.metric_" + i;
    }
    long t0 = System.nanoTime();
    long measureFrom = t0 + warmup * 1_000_000_000L;
    long end = measureFrom + seconds * 1_000_000_000L;
    long switchAt = measureFrom + (seconds / 2) * 1_000_000_000L;
    AtomicLong accepted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong maxLagMs = new AtomicLong();
    AtomicLongArray latencyUs = new AtomicLongArray(5_000_000);
    AtomicLong latencies = new AtomicLong();
    Instant[] switched = new Instant[runs.size()];
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      final int sender = s;
      Thread t = new Thread(() -> {
        List<Integer> mine = new ArrayList<>();
        for (int r = sender; r < runs.size(); r += senders) mine.add(r);
        long[] due = new long[mine.size()];
        for (int i = 0; i < due.length; i++) due[i] = t0 + (long) (1e9 * batch * mine.get(i) / runs.size());
        double[] progress = new double[mine.size()];
        while (true) {
          int next = 0;
          for (int i = 1; i < due.length; i++) if (due[i] < due[next]) next = i;
          long wait = due[next] - System.nanoTime();
          if (due[next] >= end) return;
          if (wait > 0) {
            try { Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); } catch (InterruptedException e) { return; }
          }
          long sentAt = System.nanoTime();
          long lag = (sentAt - due[next]) / 1_000_000;
          if (sentAt >= measureFrom) maxLagMs.accumulateAndGet(lag, Math::max);
          int run = mine.get(next);
          StringBuilder body = new StringBuilder(64 + batch * metrics * 40);
          body.append('[');
          Instant now = Instant.now();
          for (int k = 0; k < batch; k++) {
            Instant at = now.minusSeconds(batch - 1 - k);
            long sampledAt = sentAt - (batch - 1 - k) * 1_000_000_000L;
            boolean isIdle = run < idle && sampledAt >= switchAt;
            if (isIdle && switched[run] == null) switched[run] = at;
            progress[next] = Math.min(0.99, progress[next] + 0.0005);
            if (k > 0) body.append(',');
            body.append("{\"at\":\"").append(at).append("\",\"values\":{");
            for (int m = 0; m < metrics; m++) {
              if (m > 0) body.append(',');
              double v = switch (names[m]) {
                case "cpu_utilisation" -> isIdle ? 0.3 : 0.95 + (run % 5) / 100.0;
                case "core_spread" -> 0.02;
                case "memory_used_bytes" -> 4e8;
                case "memory_limit_bytes" -> 1e9;
                case "io_wait_fraction" -> 0.01;
                case "progress" -> progress[next];
                default -> (run * 31 + m * 7 + (sampledAt / 1_000_000_000L)) % 1000 / 10.0;
              };
              body.append('"').append(names[m]).append("\":").append(v);
            }
            body.append("}}");
          }
          body.append(']');
          HttpRequest request = HttpRequest.newBuilder(
                  URI.create(base + "/api/v1/worker/runs/" + runs.get(run)[0] + "/samples"))
              .header("Authorization", "Bearer " + runs.get(run)[1])
              .header("Content-Type", "application/json")
              .timeout(Duration.ofSeconds(30))
              .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
              .build();
          try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            long done = System.nanoTime();
            if (sentAt >= measureFrom && done < end) {
              if (response.statusCode() == 202) {
                accepted.addAndGet((long) metrics * batch);
                long i = latencies.getAndIncrement();
                if (i < latencyUs.length()) latencyUs.set((int) i, (done - sentAt) / 1000);
              } else if (response.statusCode() == 503) {
                refused.incrementAndGet();
              } else {
                failed.incrementAndGet();
              }
            }
          } catch (Exception e) {
            if (sentAt >= measureFrom) failed.incrementAndGet();
          }
          due[next] += batch * 1_000_000_000L;
        }
      }, "sender-" + s);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) t.join();
    int n = (int) Math.min(latencies.get(), latencyUs.length());
    long[] lat = new long[n];
    for (int i = 0; i < n; i++) lat[i] = latencyUs.get(i);
    Arrays.sort(lat);
    System.out.printf(Locale.ROOT,
        "%d runs x %d metrics at 1 Hz, %d samples a call, for %d s: %.0f samples/s accepted (offered %d/s), p50 %.1f ms,"
            + " p99 %.1f ms, max sender lag %d ms, refused %d, failed %d%n",
        runs.size(), metrics, batch, seconds, accepted.get() / (double) seconds, runs.size() * metrics,
        n == 0 ? 0 : lat[n / 2] / 1000.0, n == 0 ? 0 : lat[(int) (n * 0.99)] / 1000.0,
        maxLagMs.get(), refused.get(), failed.get());
    List<String> lines = new ArrayList<>();
    for (int r = 0; r < idle; r++) {
      if (switched[r] != null) lines.add(runs.get(r)[0] + " " + switched[r]);
    }
    Files.write(switchFile, lines);
  }
}
