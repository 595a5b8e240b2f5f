package io.parasol.server.common;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A background thread that does one round of work whenever it is woken, and at a fixed interval
 * besides, so that nothing waits for long if a wake-up is missed (or comes from another process). A
 * failing round is logged and retried on the next.
 */
public final class WakeableLoop {

  private static final Logger LOG = Logger.getLogger(WakeableLoop.class);

  private final String name;
  private final Runnable round;
  private final Duration interval;
  private final LinkedBlockingQueue<Boolean> signal = new LinkedBlockingQueue<>(1);
  private volatile boolean running;
  private Thread thread;

  public WakeableLoop(String name, Duration interval, Runnable round) {
    this.name = name;
    this.interval = interval;
    this.round = round;
  }

  /** Starts the thread; the first round runs at once. */
  public synchronized void start() {
    running = true;
    thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
    wake();
  }

  public synchronized void stop() {
    running = false;
    if (thread != null) {
      thread.interrupt();
    }
  }

  /** Asks for a round now. */
  public void wake() {
    signal.offer(Boolean.TRUE);
  }

  private void loop() {
    while (running) {
      try {
        signal.poll(interval.toMillis(), TimeUnit.MILLISECONDS);
        round.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (ProblemMappers.isDatabaseUnavailable(e)) {
          LOG.warnf("%s: the database cannot be reached; retrying", name);
        } else {
          LOG.errorf(e, "%s: a round failed; retrying", name);
        }
      }
    }
  }
}
