package io.parasol.worker;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replaces System.out/err while plugin code runs: passes bytes through until a shared cap is
 * reached, then drops them and raises a flag the worker acts on.
 */
final class CappedPrintStream extends PrintStream {

  private final AtomicLong written;
  private final long cap;
  private final Runnable onOverflow;

  CappedPrintStream(OutputStream out, AtomicLong written, long cap, Runnable onOverflow) {
    super(out, true);
    this.written = written;
    this.cap = cap;
    this.onOverflow = onOverflow;
  }

  @Override
  public void write(int b) {
    if (admit(1)) {
      super.write(b);
    }
  }

  @Override
  public void write(byte[] buf, int off, int len) {
    if (admit(len)) {
      super.write(buf, off, len);
    }
  }

  private boolean admit(int len) {
    long total = written.addAndGet(len);
    if (total > cap) {
      onOverflow.run();
      return false;
    }
    return true;
  }
}
