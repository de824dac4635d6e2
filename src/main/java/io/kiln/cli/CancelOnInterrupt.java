package io.kiln.cli;

import io.kiln.Kiln;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) or SIGTERM while a command runs: the JVM starts shutting down, and this hook
 * cancels the session's queries (and refuses further ones), then waits (a few seconds at most) until the command has closed
 * the session, so the queries stop their pipelines and release their memory and temporary files
 * before the process exits.
 */
final class CancelOnInterrupt implements AutoCloseable {
  private static final long WAIT_SECONDS = 10;

  private final Thread hook;
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile Kiln kiln;

  private CancelOnInterrupt() {
    this.hook = new Thread(() -> {
      Kiln session = kiln;
      if (session != null) {
        session.shutdown();
      }
      try {
        closed.await(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "kiln-cancel-on-interrupt");
  }

  /** Installs the hook; open the session inside it (so it closes first) and {@link #watch} it. */
  static CancelOnInterrupt install() {
    CancelOnInterrupt c = new CancelOnInterrupt();
    Runtime.getRuntime().addShutdownHook(c.hook);
    return c;
  }

  /** The session whose queries an interrupt cancels. */
  Kiln watch(Kiln session) {
    this.kiln = session;
    return session;
  }

  @Override
  public void close() {
    closed.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running (or ran): it waited for this close and lets the JVM exit now.
    }
  }
}
