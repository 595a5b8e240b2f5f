package io.parasol.server.scheduling;

import java.util.Locale;
import java.util.Optional;

/** How urgently a run is queued: higher priorities go first in Parasol's queues. */
public enum RunPriority {
  LOW(-1),
  NORMAL(0),
  HIGH(1);

  private final int level;

  RunPriority(int level) {
    this.level = level;
  }

  /** The queue level: higher first. */
  public int level() {
    return level;
  }

  /** The API name. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The priority with this API name. */
  public static Optional<RunPriority> parse(String id) {
    for (RunPriority p : values()) {
      if (p.id().equals(id)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The priority of a queue level. */
  public static RunPriority ofLevel(int level) {
    return level > 0 ? HIGH : level < 0 ? LOW : NORMAL;
  }
}
