package io.kiln.cli;

import io.kiln.Progress;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A query's progress on a terminal's stderr, redrawn in place: after the query has run for a
 * while (a second, so quick queries print nothing), the rows and bytes read since it started and,
 * on a cluster, a bar of its tasks done. Closing it wipes the line, so the result prints clean.
 */
final class QueryProgress implements AutoCloseable {
  private static final int WIDTH = 30;
  private static final long REDRAW_MILLIS = 200;

  private final PrintWriter err;
  private final Supplier<Progress> progress;
  private final Progress start;
  private final long startNanos = System.nanoTime();
  private final Thread drawer;
  private int drawnWidth;

  private QueryProgress(PrintWriter err, Supplier<Progress> progress, long delayMillis, boolean terminal) {
    this.err = err;
    this.progress = progress;
    this.start = progress.get();
    this.drawer = terminal ? new Thread(() -> draw(delayMillis), "kiln-progress") : null;
    if (drawer != null) {
      drawer.setDaemon(true);
      drawer.start();
    }
  }

  /** Shows {@code progress} on {@code err} after {@code delayMillis} if it is a terminal; nothing otherwise. */
  static QueryProgress show(PrintWriter err, boolean terminal, Supplier<Progress> progress, long delayMillis) {
    return new QueryProgress(err, progress, delayMillis, terminal);
  }

  private void draw(long delayMillis) {
    try {
      Thread.sleep(delayMillis);
      while (!Thread.currentThread().isInterrupted()) {
        String line = line(progress.get(), System.nanoTime() - startNanos);
        synchronized (this) {
          err.print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
          err.flush();
          drawnWidth = line.length();
        }
        Thread.sleep(REDRAW_MILLIS);
      }
    } catch (InterruptedException e) {
      // closed: the query is over
    }
  }

  /** One line: time so far, what the scans read, and on a cluster a bar of the tasks done. */
  String line(Progress now, long elapsedNanos) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%.1f s  %,d rows  %s read",
        elapsedNanos / 1e9, now.rowsRead() - start.rowsRead(), bytes(now.bytesRead() - start.bytesRead())));
    if (now.tasksTotal() > 0) {
      int filled = (int) ((long) WIDTH * now.tasksDone() / now.tasksTotal());
      b.append(String.format(Locale.ROOT, "  [%s%s] stages %d/%d, tasks %d/%d", "#".repeat(filled),
          " ".repeat(WIDTH - filled), now.stagesDone(), now.stagesTotal(), now.tasksDone(), now.tasksTotal()));
    }
    return b.toString();
  }

  private static String bytes(long n) {
    return n < 1 << 20 ? String.format(Locale.ROOT, "%.1f KiB", n / 1024.0)
        : n < 1L << 30 ? String.format(Locale.ROOT, "%.1f MiB", n / (double) (1 << 20))
        : String.format(Locale.ROOT, "%.2f GiB", n / (double) (1L << 30));
  }

  @Override
  public void close() {
    if (drawer == null) {
      return;
    }
    drawer.interrupt();
    try {
      drawer.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the caller's own interrupt (a cancel): keep it
    }
    synchronized (this) {
      if (drawnWidth > 0) {
        err.print("\r" + " ".repeat(drawnWidth) + "\r");
        err.flush();
        drawnWidth = 0;
      }
    }
  }
}
