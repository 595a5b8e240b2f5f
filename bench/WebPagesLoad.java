import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Web page load: USERS signed-in browsers (form sign-in, each its own session) fetch one page over
 * and over for SECONDS, accepting gzip as browsers do; prints requests/s, p50/p99 response time
 * and the bytes on the wire per page (compressed body; headers not counted).
 *
 * <p>java bench/WebPagesLoad.java BASE_URL USER USERS SECONDS PATH...
 */
public class WebPagesLoad {

  public static void main(String[] args) throws Exception {
    String base = args[0];
    String user = args[1];
    int users = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    List<HttpClient> clients = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      HttpClient client =
          HttpClient.newBuilder()
              .cookieHandler(new CookieManager())
              .followRedirects(HttpClient.Redirect.NEVER)
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      String form =
          "j_username="
              + URLEncoder.encode(user, StandardCharsets.UTF_8)
              + "&j_password="
              + URLEncoder.encode(user, StandardCharsets.UTF_8);
      HttpResponse<Void> signIn =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/j_security_check"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(form))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      if (signIn.statusCode() != 302) {
        throw new IllegalStateException("sign-in answered " + signIn.statusCode());
      }
      clients.add(client);
    }
    System.out.printf(
        "%-28s %9s %9s %9s %12s %12s%n", "page", "req/s", "p50 ms", "p99 ms", "bytes (gz)", "bytes (raw)");
    for (int a = 4; a < args.length; a++) {
      String path = args[a];
      // Warm-up, then measure.
      run(clients, base + path, 3);
      Result r = run(clients, base + path, seconds);
      long raw =
          clients
              .get(0)
              .send(
                  HttpRequest.newBuilder(URI.create(base + path)).build(),
                  HttpResponse.BodyHandlers.ofByteArray())
              .body()
              .length;
      System.out.printf(
          "%-28s %9.1f %9.2f %9.2f %12d %12d%n",
          path.length() > 28 ? path.substring(0, 25) + "..." : path,
          r.count / (double) seconds,
          r.percentile(0.50),
          r.percentile(0.99),
          r.bytes,
          raw);
    }
  }

  record Result(long count, List<Long> nanos, long bytes) {
    double percentile(double p) {
      List<Long> sorted = new ArrayList<>(nanos);
      Collections.sort(sorted);
      return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size()))) / 1e6;
    }
  }

  static Result run(List<HttpClient> clients, String url, int seconds) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
    AtomicLong bytes = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    CountDownLatch done = new CountDownLatch(clients.size());
    for (HttpClient client : clients) {
      Thread t =
          new Thread(
              () -> {
                try {
                  while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    HttpResponse<byte[]> response =
                        client.send(
                            HttpRequest.newBuilder(URI.create(url))
                                .header("Accept-Encoding", "gzip")
                                .header("Accept", "text/html")
                                .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    nanos.add(System.nanoTime() - start);
                    if (response.statusCode() != 200) {
                      errors.incrementAndGet();
                    }
                    bytes.set(response.body().length);
                  }
                } catch (Exception e) {
                  errors.incrementAndGet();
                } finally {
                  done.countDown();
                }
              });
      t.start();
    }
    done.await();
    if (errors.get() > 0) {
      throw new IllegalStateException(errors.get() + " requests failed for " + url);
    }
    return new Result(nanos.size(), nanos, bytes.get());
  }
}
