package io.parasol.server.common;

import io.parasol.server.monitoring.MonitoringService;
import io.parasol.server.publishing.PublishingService;
import io.parasol.server.storage.DataDirectory;
import io.parasol.server.storage.StorageService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Enforces every request body's limit on the bytes as they arrive, not on what the client declares,
 * and answers problem+json as soon as a limit is passed.
 *
 * <ul>
 *   <li>Plugin uploads and workspace files: their own limits; a declared {@code Content-Length}
 *       over the limit is refused before a byte is read, and any other body is decoded here (its
 *       files spooled to disk) only until its bytes pass the limit.
 *   <li>Run outputs ({@code PUT /api/v1/worker/...}): streamed and capped per run by the service.
 *   <li>Every other body (JSON) at most {@value #JSON_LIMIT} bytes, counted while it streams: the
 *       request is read here into one buffer that stops at the limit (413 and the connection is
 *       closed), and the resources take that buffer.
 *   <li>A worker's event and sample reports: the run token is checked before the body is read, so a
 *       caller without a valid token gets 401 without sending a byte of it.
 * </ul>
 */
public class BodyLimitFilter {

  private static final String LIMIT = "parasol.body-limit";

  static final long JSON_LIMIT = 1024 * 1024;

  private static final Pattern WORKER_REPORT =
      Pattern.compile("/api/v1/worker/runs/([0-9a-fA-F-]{36})/(events|samples)");

  void register(
      @Observes Router router,
      PublishingService publishing,
      StorageService storage,
      DataDirectory data,
      MonitoringService monitoring) {
    long pluginLimit = publishing.maxPluginBytes();
    long fileLimit = storage.maxFileBytes();
    String spool = data.tmp().resolve("uploads").toString();
    BodyHandler plugins = multipart(spool, pluginLimit + 64 * 1024);
    BodyHandler files = multipart(spool, fileLimit + 64 * 1024);
    BodyHandler json =
        BodyHandler.create(false)
            .setBodyLimit(JSON_LIMIT)
            .setMergeFormAttributes(false)
            .setPreallocateBodyBuffer(false);
    router
        .route()
        .order(-100)
        .handler(
            ctx -> {
              String path = ctx.normalizedPath();
              HttpMethod method = ctx.request().method();
              Optional<RequestChecks.Refusal> refusal = RequestChecks.check(ctx.request());
              if (refusal.isPresent()) {
                RequestChecks.Refusal r = refusal.get();
                refuse(ctx, r.status(), r.title(), r.detail(), r.field());
              } else if (method == HttpMethod.POST && "/api/v1/plugins".equals(path)) {
                upload(ctx, plugins, pluginLimit + 64 * 1024, "plugin", pluginLimit);
              } else if (method == HttpMethod.POST && "/api/v1/files".equals(path)) {
                upload(ctx, files, fileLimit + 64 * 1024, "file", fileLimit);
              } else if (method == HttpMethod.PUT && path.startsWith("/api/v1/worker/")) {
                ctx.next(); // run outputs: capped per run by the service while it streams them
              } else if ("/j_security_check".equals(path)) {
                // the sign-in form: read by the form mechanism, whose decoder has its own limits
                if (declared(ctx) > JSON_LIMIT) {
                  tooLarge(ctx, "request body", JSON_LIMIT);
                } else {
                  ctx.next();
                }
              } else if (!hasBody(ctx)) {
                ctx.next();
              } else if (declared(ctx) > JSON_LIMIT) {
                tooLarge(ctx, "request body", JSON_LIMIT);
              } else {
                Optional<UUID> reportingRun = workerReport(method, path);
                if (reportingRun.isPresent()) {
                  String token = ctx.request().getHeader("Authorization");
                  ctx.request().pause(); // not a byte of the body is taken before the check
                  ctx.vertx()
                      .<Boolean>executeBlocking(
                          () ->
                              monitoring.acceptsWorkerToken(
                                  reportingRun.get(),
                                  io.parasol.server.run.WorkerCallbackResource.bearer(token)),
                          false)
                      .onComplete(
                          accepted -> {
                            if (accepted.succeeded() && accepted.result()) {
                              json.handle(ctx);
                            } else if (accepted.succeeded()) {
                              refuse(
                                  ctx,
                                  401,
                                  "Unauthorized",
                                  "the run token is not valid for this run (or the run has ended)");
                            } else {
                              refuse(
                                  ctx,
                                  503,
                                  "Service Unavailable",
                                  "the run token cannot be checked now; retry shortly");
                            }
                          });
                } else {
                  json.handle(ctx);
                }
              }
            })
        .failureHandler(FAILURES);
    // Between reading a JSON body and handing it on: text with NUL (U+0000), which no database
    // column can hold, is refused at its field. Worker reports are not: their log lines are
    // cleaned.
    router
        .route()
        .order(-99)
        .handler(
            ctx -> {
              ctx.put(DECODED, Boolean.TRUE);
              Buffer body = ctx.body() == null ? null : ctx.body().buffer();
              String type = ctx.request().getHeader("Content-Type");
              Optional<String> field =
                  body == null
                          || type == null
                          || !type.toLowerCase(java.util.Locale.ROOT).contains("json")
                          || ctx.normalizedPath().startsWith("/api/v1/worker/")
                      ? Optional.empty()
                      : JsonNul.firstField(body.getBytes());
              if (field.isPresent()) {
                refuse(
                    ctx,
                    400,
                    "Bad Request",
                    field.get() + " must not contain the NUL character (U+0000)",
                    field.get());
              } else {
                ctx.next();
              }
            });
  }

  private static final io.vertx.core.Handler<RoutingContext> FAILURES =
      ctx -> {
        if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
          Limit limit = ctx.get(LIMIT, new Limit("request body", JSON_LIMIT));
          tooLarge(ctx, limit.what(), limit.bytes());
        } else if (ctx.response().ended()
            || ctx.failure() instanceof io.vertx.core.http.HttpClosedException) {
          // the refused client's connection closing, or a client that went away mid-body
        } else {
          ctx.next();
        }
      };

  private static BodyHandler multipart(String spool, long limit) {
    return BodyHandler.create(spool)
        .setBodyLimit(limit)
        .setDeleteUploadedFilesOnEnd(true)
        .setMergeFormAttributes(true);
  }

  /**
   * How much more of a refused body is read and dropped, at most, before the connection closes:
   * what is left of a declared length up to 8 MiB (the client is about to finish), or 8 MiB of a
   * body without one. Closing sooner resets connections whose client has not read the answer yet (2
   * MiB lost about 0.3 % of the answers under load, and streaming clients saw a reset instead of
   * the 413).
   */
  static final long LINGER_BYTES = 8L * 1024 * 1024;

  static final long LINGER_CHUNKED_BYTES = 8L * 1024 * 1024;

  /** How long, at most, a refused body is read and dropped before the connection closes. */
  static final long LINGER_MILLIS = 2_000;

  /**
   * Reads and drops what a refused client is still sending, for at most {@link #LINGER_BYTES} (or
   * {@link #LINGER_CHUNKED_BYTES}) and {@link #LINGER_MILLIS} (a lingering close, as web servers
   * do): a client that writes its body before it reads (most do) still reads the answer, which a
   * reset would have thrown away; past that, or when the body has ended, the connection is closed.
   */
  private static void linger(RoutingContext ctx) {
    var request = ctx.request();
    if (request.isEnded()) {
      request.connection().close();
      return;
    }
    long declared = declared(ctx);
    if (declared >= 0 && declared - request.bytesRead() > LINGER_BYTES) {
      request.connection().close(); // it would not finish sending in the time it is given
      return;
    }
    long budget = declared >= 0 ? LINGER_BYTES : LINGER_CHUNKED_BYTES;
    long[] dropped = {0};
    long timer = ctx.vertx().setTimer(LINGER_MILLIS, t -> request.connection().close());
    request.handler(
        chunk -> {
          dropped[0] += chunk.length();
          if (dropped[0] > budget) {
            ctx.vertx().cancelTimer(timer);
            request.connection().close();
          }
        });
    request.endHandler(
        v -> {
          ctx.vertx().cancelTimer(timer);
          request.connection().close();
        });
    request.exceptionHandler(e -> request.connection().close());
    request.resume();
  }

  private static Optional<UUID> workerReport(HttpMethod method, String path) {
    if (method != HttpMethod.POST) {
      return Optional.empty();
    }
    Matcher m = WORKER_REPORT.matcher(path);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(UUID.fromString(m.group(1)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Whether the request says it carries a body (a length above zero, or a transfer coding). */
  private static boolean hasBody(RoutingContext ctx) {
    return declared(ctx) > 0 || ctx.request().getHeader("Transfer-Encoding") != null;
  }

  /** The declared Content-Length, or -1 when there is none or it is not a number. */
  private static long declared(RoutingContext ctx) {
    String length = ctx.request().getHeader("Content-Length");
    try {
      return length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * A multipart upload: a declared length over the limit is refused at once; otherwise the body is
   * decoded here, its files spooled to disk, and the decoding stops with 413 as soon as the bytes
   * pass the limit, whether or not the client declared a length.
   */
  private static void upload(
      RoutingContext ctx, BodyHandler decoder, long limit, String what, long advertised) {
    if (declared(ctx) > limit) {
      tooLarge(ctx, what, advertised);
    } else {
      ctx.put(LIMIT, new Limit(what, advertised));
      decoder.handle(ctx);
      watchForTruncation(ctx);
    }
  }

  /**
   * A multipart body whose bytes all arrived but whose last part never ended (no closing boundary)
   * leaves the decoder waiting for ever: once the request has ended and the decoder has not handed
   * it on within a grace period, the client is told its body was cut short.
   */
  private static void watchForTruncation(RoutingContext ctx) {
    long[] endedAt = {0};
    ctx.vertx()
        .setPeriodic(
            250,
            timer -> {
              if (ctx.get(DECODED) != null || ctx.response().ended() || ctx.response().closed()) {
                ctx.vertx().cancelTimer(timer);
              } else if (ctx.request().isEnded()) {
                if (endedAt[0] == 0) {
                  endedAt[0] = System.nanoTime();
                } else if (System.nanoTime() - endedAt[0] > 1_000_000_000L) {
                  ctx.vertx().cancelTimer(timer);
                  refuse(
                      ctx,
                      400,
                      "Bad Request",
                      "the multipart body ended before its closing boundary: the upload was cut"
                          + " short; send it again");
                }
              }
            });
  }

  private static final String DECODED = "parasol.body-decoded";

  /** What the body read for a request is, and its limit, for the answer when it is passed. */
  private record Limit(String what, long bytes) {}

  private static void tooLarge(RoutingContext ctx, String what, long advertised) {
    refuse(
        ctx,
        413,
        "Content Too Large",
        "the " + what + " is larger than the limit of " + advertised + " bytes");
  }

  /**
   * Answers a problem, then closes the connection (see {@link #linger}), so that a client still
   * sending a body it was refused stops using the server's bandwidth and memory.
   */
  private static void refuse(RoutingContext ctx, int status, String title, String detail) {
    refuse(ctx, status, title, detail, null);
  }

  private static void refuse(
      RoutingContext ctx, int status, String title, String detail, String field) {
    if (ctx.response().ended()) {
      return;
    }
    JsonObject problem =
        new JsonObject()
            .put("type", "about:blank")
            .put("title", title)
            .put("status", status)
            .put("detail", detail)
            .put("instance", ProblemMappers.cut(ctx.normalizedPath(), ProblemMappers.MAX_TEXT));
    if (field != null) {
      problem.put(
          "errors",
          new io.vertx.core.json.JsonArray()
              .add(
                  new JsonObject()
                      .put("field", field)
                      .put(
                          "message",
                          detail.startsWith(field)
                              ? detail.substring(field.length()).trim()
                              : detail)));
    }
    String body = problem.encode();
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", Problem.MEDIA_TYPE)
        .putHeader("Connection", "close");
    if (status == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
    }
    if (status == 503) {
      ctx.response().putHeader("Retry-After", "1");
    }
    ctx.response().end(Buffer.buffer(body.getBytes(StandardCharsets.UTF_8)));
    linger(ctx);
  }
}
