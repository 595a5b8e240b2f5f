package io.parasol.server.run;

import io.parasol.server.common.ProblemException;
import java.util.Arrays;
import java.util.Locale;

/** The life of a run: {@code QUEUED → SCHEDULED → RUNNING →} one of the terminal states. */
public enum RunState {
  /** Accepted and waiting for capacity. */
  QUEUED,
  /** Placed; its worker is starting. */
  SCHEDULED,
  /** The solver is running. */
  RUNNING,
  /** The solver finished and its outputs are stored. */
  SUCCEEDED,
  /** The solver or its worker failed; the reason says why. */
  FAILED,
  /** Cancelled by a person. */
  CANCELLED,
  /** Stopped at its wall-time limit. */
  TIMED_OUT;

  /** Reads a state filter (any case), answering 422 with the states when it is none of them. */
  public static RunState parse(String value) {
    try {
      return valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalid("state", "must be one of " + Arrays.toString(values()));
    }
  }

  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == TIMED_OUT;
  }

  /** Whether a worker may hold a live token in this state. */
  public boolean isInFlight() {
    return this == SCHEDULED || this == RUNNING;
  }
}
