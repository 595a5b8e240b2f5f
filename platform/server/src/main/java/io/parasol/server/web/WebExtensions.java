package io.parasol.server.web;

import io.parasol.server.common.Page;
import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** What the page templates ask of the API's types beyond their properties. */
@TemplateExtension
public final class WebExtensions {

  private static final DateTimeFormatter MINUTES =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private WebExtensions() {}

  /** An instant as the pages show it, to the minute; the script shows it in local time. */
  static String display(Instant instant) {
    return MINUTES.format(instant);
  }

  /** Whether a page comes before this one. */
  static boolean hasPrevious(Page<?> page) {
    return page.page() > 0;
  }

  /** Whether a page comes after this one. */
  static boolean hasNext(Page<?> page) {
    return (long) (page.page() + 1) * page.size() < page.total();
  }

  /** The number of the page before. */
  static int previous(Page<?> page) {
    return Math.max(0, page.page() - 1);
  }

  /** The number of the page after. */
  static int next(Page<?> page) {
    return page.page() + 1;
  }
}
