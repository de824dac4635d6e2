package io.kiln.cli;

import java.io.IOException;
import java.io.InputStream;

/**
 * {@code --exit-with-parent}: a local cluster's processes end with the process that started
 * them, which never writes to their standard input; its end (the parent gone, or closing it) stops
 * this process through its shutdown hooks.
 */
final class ParentWatch {
  private ParentWatch() {}

  /** Watches standard input from a daemon thread; runs {@code beforeExit}, then exits with 0, once it ends. */
  static void start(Runnable beforeExit) {
    Thread watch = new Thread(() -> {
      try (InputStream in = System.in) {
        while (in.read() >= 0) {
          // Nothing is sent: only the end of the stream matters.
        }
      } catch (IOException e) {
        // A broken pipe means the parent is gone too.
      }
      beforeExit.run();
      System.exit(ExitCodes.OK); // runs the shutdown hooks, which stop the process cleanly
    }, "kiln-parent-watch");
    watch.setDaemon(true);
    watch.start();
  }
}
