package io.parasol.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parasol.protocol.MetricFrame;
import io.parasol.protocol.RunEvent;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends a run's events to the server in batches, on its own thread, with the run-scoped token. Each
 * answer tells whether the run was cancelled.
 */
final class EventReporter implements AutoCloseable {

  private static final int MAX_BATCH = 500;
  private static final int MAX_FRAMES = 100;
  // About a minute of retries with capped back-off: long enough to ride out a server restart.
  private static final int ATTEMPTS = 15;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final ObjectMapper json;
  private final String base;
  private final String token;
  private final LinkedBlockingQueue<RunEvent> queue = new LinkedBlockingQueue<>(100_000);
  // About an hour of frames at one a second, should the server be unreachable for a while.
  private final LinkedBlockingQueue<MetricFrame> frames = new LinkedBlockingQueue<>(3_600);
  private final AtomicBoolean cancelled;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final Thread sender;

  EventReporter(
      ObjectMapper json, String serverUrl, String runId, String token, AtomicBoolean cancelled) {
    this.json = json;
    this.cancelled = cancelled;
    this.base = stripSlash(serverUrl) + "/api/v1/worker/runs/" + runId;
    this.token = token;
    this.sender = new Thread(this::loop, "parasol-event-sender");
    this.sender.setDaemon(true);
    this.sender.start();
  }

  /** Queues an event; drops it when the queue is full (a flooding solver). */
  boolean offer(RunEvent event) {
    return queue.offer(event);
  }

  /** Queues a metric frame; drops the oldest when the queue is full. */
  void offerFrame(MetricFrame frame) {
    while (!frames.offer(frame)) {
      frames.poll();
    }
  }

  /** Sends a final event after everything queued, synchronously. */
  void finish(RunEvent event) throws IOException, InterruptedException {
    closing.set(true);
    sender.join(TimeUnit.SECONDS.toMillis(30));
    sendFrames();
    List<RunEvent> rest = new ArrayList<>();
    queue.drainTo(rest);
    rest.add(event);
    post(rest);
  }

  void upload(String name, Path file) throws IOException, InterruptedException {
    String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/outputs/" + encoded))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/octet-stream")
            .timeout(Duration.ofMinutes(10))
            .PUT(HttpRequest.BodyPublishers.ofFile(file))
            .build();
    send(request);
  }

  private void loop() {
    while (!closing.get() || !queue.isEmpty()) {
      try {
        RunEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
        sendFrames();
        if (first == null) {
          continue;
        }
        List<RunEvent> batch = new ArrayList<>();
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        post(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException e) {
        System.err.println("parasol-worker: could not report events: " + e.getMessage());
      }
    }
  }

  /** How often frames are sent at most; set by the worker from the run spec. */
  private volatile long reportNanos;

  private long lastReport;

  /** Sends queued frames at most this often (the samples taken meanwhile go in one call). */
  void reportEvery(java.time.Duration interval) {
    reportNanos = Math.max(0, interval.toNanos());
  }

  /**
   * Sends the queued frames, in batches, when the report interval has passed (always when closing);
   * a refused batch is dropped, not retried.
   */
  private void sendFrames() throws InterruptedException {
    if (frames.isEmpty() || (!closing.get() && System.nanoTime() - lastReport < reportNanos)) {
      return;
    }
    lastReport = System.nanoTime();
    while (!frames.isEmpty()) {
      List<MetricFrame> batch = new ArrayList<>();
      frames.drainTo(batch, MAX_FRAMES);
      try {
        send(postJson("/samples", batch));
      } catch (IOException e) {
        System.err.println("parasol-worker: could not report samples: " + e.getMessage());
        return;
      }
    }
  }

  /** A POST of {@code body} as JSON to a path under the run's callback URL, with the token. */
  private HttpRequest postJson(String path, Object body) throws IOException {
    return HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
        .build();
  }

  /**
   * The most characters of one event's message that are sent (the server keeps less), and the most
   * characters of messages in one call: a call stays well under the server's 1 MiB body limit
   * whatever the solver logs or throws.
   */
  static final int MAX_MESSAGE = 4_000;

  static final int MAX_BATCH_CHARS = 200_000;

  private void post(List<RunEvent> events) throws IOException, InterruptedException {
    List<RunEvent> batch = new ArrayList<>();
    long chars = 0;
    for (RunEvent event : events) {
      RunEvent clipped = clipped(event);
      int length = clipped.message() == null ? 0 : clipped.message().length();
      if (!batch.isEmpty() && chars + length > MAX_BATCH_CHARS) {
        postBatch(batch);
        batch = new ArrayList<>();
        chars = 0;
      }
      batch.add(clipped);
      chars += length + 100;
    }
    if (!batch.isEmpty()) {
      postBatch(batch);
    }
  }

  static RunEvent clipped(RunEvent e) {
    if (e.message() == null || e.message().length() <= MAX_MESSAGE) {
      return e;
    }
    String cut = e.message().substring(0, MAX_MESSAGE - 1);
    if (Character.isHighSurrogate(cut.charAt(cut.length() - 1))) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return new RunEvent(
        e.type(), e.at(), e.progress(), cut + "\u2026", e.level(), e.metric(), e.value());
  }

  private void postBatch(List<RunEvent> events) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = send(postJson("/events", events));
    if (response.body().length > 0) {
      JsonNode answer = json.readTree(response.body());
      if (answer.path("cancel").asBoolean(false)) {
        cancelled.set(true);
      }
    }
  }

  /** The server answered 4xx: retrying would not help. */
  static final class RefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    RefusedException(String message) {
      super(message);
    }
  }

  private HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
    IOException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      HttpResponse<byte[]> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        // Connection refused or reset, timeouts: the server may be restarting.
        last = e;
        Thread.sleep(Math.min(5_000L, 200L * attempt * attempt));
        continue;
      }
      int status = response.statusCode();
      if (status < 300) {
        return response;
      }
      if (status < 500) {
        throw new RefusedException(
            "server refused "
                + request.uri().getPath()
                + ": HTTP "
                + status
                + " "
                + new String(response.body(), StandardCharsets.UTF_8));
      }
      last = new IOException("server answered HTTP " + status);
      Thread.sleep(Math.min(5_000L, 200L * attempt * attempt));
    }
    throw last;
  }

  @Override
  public void close() {
    closing.set(true);
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
