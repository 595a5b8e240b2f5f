package io.parasol.scheduling;

import java.util.Locale;
import java.util.Optional;

/** What the engineer wants placement to optimise. */
public enum Objective {
  /** The earliest predicted finish; cost breaks ties. */
  FASTEST,
  /** The lowest predicted cost; the earlier finish breaks ties. */
  CHEAPEST,
  /** Predicted finish and cost weighed equally, each relative to the best candidate's. */
  BALANCED;

  /** The objective's name as the API spells it. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The objective with this API name, if there is one. */
  public static Optional<Objective> parse(String id) {
    for (Objective o : values()) {
      if (o.id().equals(id)) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }
}
