import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closed-loop load on the launch API: CLIENTS threads each POST a launch, wait for the answer and
 * POST the next, for SECONDS after a warm-up. Prints accepted launches per second and latency
 * percentiles of the accepted ones. Run with the source launcher:
 *
 * <pre>java bench/LaunchLoad.java URL USER:PASSWORD CLIENTS WARMUP_SECONDS SECONDS BODY_JSON</pre>
 */
public class LaunchLoad {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    String auth = "Basic " + Base64.getEncoder().encodeToString(args[1].getBytes(StandardCharsets.UTF_8));
    int clients = Integer.parseInt(args[2]);
    int warmup = Integer.parseInt(args[3]);
    int seconds = Integer.parseInt(args[4]);
    String body = args[5];
    HttpClient http =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", auth)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    long start = System.nanoTime();
    long measureFrom = start + warmup * 1_000_000_000L;
    long end = measureFrom + seconds * 1_000_000_000L;
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    List<long[]> perThread = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    int[] counts = new int[clients];
    for (int t = 0; t < clients; t++) {
      long[] latencies = new long[2_000_000];
      perThread.add(latencies);
      int me = t;
      Thread thread =
          new Thread(
              () -> {
                int n = 0;
                while (true) {
                  long t0 = System.nanoTime();
                  if (t0 >= end) {
                    break;
                  }
                  int status;
                  try {
                    status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                  } catch (Exception e) {
                    status = -1;
                  }
                  long t1 = System.nanoTime();
                  if (t0 >= measureFrom && t1 <= end) {
                    statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
                    if (status == 201 && n < latencies.length) {
                      latencies[n++] = t1 - t0;
                    }
                  }
                }
                counts[me] = n;
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int k = 0;
    for (int t = 0; t < clients; t++) {
      System.arraycopy(perThread.get(t), 0, all, k, counts[t]);
      k += counts[t];
    }
    Arrays.sort(all);
    System.out.printf(
        "clients %d, %d s measured: accepted %d (%.0f/s); latency of accepted p50 %.1f ms, p99 %.1f ms, max %.1f ms; statuses %s%n",
        clients,
        seconds,
        total,
        total / (double) seconds,
        all.length == 0 ? 0 : all[all.length / 2] / 1e6,
        all.length == 0 ? 0 : all[(int) Math.ceil(all.length * 0.99) - 1] / 1e6,
        all.length == 0 ? 0 : all[all.length - 1] / 1e6,
        new TreeMap<>(statuses));
  }
}
