package io.parasol.server.common;

import io.parasol.server.publishing.PublishingService;
import io.parasol.server.storage.StorageService;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;

/**
 * Refuses an upload whose declared Content-Length is over its route's limit before a byte of it is
 * read, with a problem+json answer. (The services check the real size again as they store it.)
 */
public class BodyLimitFilter {

  void register(@Observes Router router, PublishingService publishing, StorageService storage) {
    long pluginLimit = publishing.maxPluginBytes();
    long fileLimit = storage.maxFileBytes();
    router
        .route()
        .order(-100)
        .handler(
            ctx -> {
              if (ctx.request().method() == HttpMethod.POST) {
                String path = ctx.normalizedPath();
                if ("/api/v1/plugins".equals(path)) {
                  check(ctx, pluginLimit + 64 * 1024, "plugin", pluginLimit);
                  return;
                } else if ("/api/v1/files".equals(path)) {
                  check(ctx, fileLimit + 64 * 1024, "file", fileLimit);
                  return;
                }
              }
              ctx.next();
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
