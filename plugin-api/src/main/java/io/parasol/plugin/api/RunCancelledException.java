package io.parasol.plugin.api;

/**
 * Signals that a solver stopped because its run was cancelled or ran out of time; thrown by {@link
 * RunContext#checkCancelled()}.
 */
public class RunCancelledException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a standard message. */
  public RunCancelledException() {
    super("the run was cancelled");
  }
}
