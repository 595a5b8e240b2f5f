package io.parasol.server.common;

import io.parasol.server.publishing.PublishingService;
import io.parasol.server.storage.StorageService;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;

/**
 * Refuses a request whose declared Content-Length is over its route's limit before a byte of it is
 * read, with a problem+json answer: plugin uploads, workspace files and run outputs have their own
 * limits, every other body (JSON) at most {@value #JSON_LIMIT} bytes. The services check the real
 * size again as they store it.
 */
public class BodyLimitFilter {

  static final long JSON_LIMIT = 1024 * 1024;

  void register(@Observes Router router, PublishingService publishing, StorageService storage) {
    long pluginLimit = publishing.maxPluginBytes();
    long fileLimit = storage.maxFileBytes();
    router
        .route()
        .order(-100)
        .handler(
            ctx -> {
              String path = ctx.normalizedPath();
              HttpMethod method = ctx.request().method();
              if (method == HttpMethod.POST && "/api/v1/plugins".equals(path)) {
                check(ctx, pluginLimit + 64 * 1024, "plugin", pluginLimit);
              } else if (method == HttpMethod.POST && "/api/v1/files".equals(path)) {
                check(ctx, fileLimit + 64 * 1024, "file", fileLimit);
              } else if (method == HttpMethod.PUT && path.startsWith("/api/v1/worker/")) {
                ctx.next(); // run outputs: capped per run by the service while it streams them
              } else {
                check(ctx, JSON_LIMIT, "request body", JSON_LIMIT);
              }
            });
  }

  private static void check(RoutingContext ctx, long limit, String what, long advertised) {
    String length = ctx.request().getHeader("Content-Length");
    long declared;
    try {
      declared = length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      declared = -1;
    }
    if (declared > limit) {
      String body =
          "{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,\"detail\":\"the "
              + what
              + " is larger than the limit of "
              + advertised
              + " bytes\",\"instance\":\""
              + ctx.normalizedPath()
              + "\"}";
      ctx.response()
          .setStatusCode(413)
          .putHeader("Content-Type", Problem.MEDIA_TYPE)
          .putHeader("Connection", "close")
          .end(io.vertx.core.buffer.Buffer.buffer(body.getBytes(StandardCharsets.UTF_8)));
      return;
    }
    ctx.next();
  }
}
