package io.kiln.util;

import io.kiln.error.KilnException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleConsumer;

/**
 * Data generators' table writes (TPC-H, TPC-DS): each table on one of a few daemon threads, the
 * first failure cancelling the rest, and progress as a fraction of the rows expected in all.
 */
public final class TableWrites {
  private TableWrites() {}

  /** A table's write, reporting the rows it wrote to {@code progress}. */
  @FunctionalInterface
  public interface Write {
    void run(Progress progress);
  }

  /** Runs {@code writes} on {@code threads} threads; {@code what} names the job in errors ("TPC-H generation"). */
  public static void runAll(String what, int threads, double expectedRows, DoubleConsumer progress,
      List<Write> writes) {
    Progress p = new Progress(progress, expectedRows);
    ExecutorService pool = Executors.newFixedThreadPool(threads, DaemonThreads.named(
        "kiln-" + what.toLowerCase(java.util.Locale.ROOT).replace(' ', '-')));
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Write w : writes) {
        futures.add(pool.submit(() -> w.run(p)));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          futures.forEach(other -> other.cancel(true));
          Throwable cause = e.getCause();
          if (cause instanceof KilnException) {
            throw (KilnException) cause;
          }
          throw KilnException.execution(what + " failed: " + cause);
        } catch (InterruptedException e) {
          futures.forEach(other -> other.cancel(true));
          Thread.currentThread().interrupt();
          throw KilnException.execution(what + " interrupted");
        }
      }
    } finally {
      pool.shutdownNow();
    }
    progress.accept(1.0);
  }

  /** Rows written so far, as a fraction of those expected. */
  public static final class Progress {
    private final DoubleConsumer sink;
    private final double total;
    private final AtomicLong done = new AtomicLong();

    Progress(DoubleConsumer sink, double total) {
      this.sink = sink;
      this.total = total;
    }

    public void add(long rows) {
      sink.accept(Math.min(1.0, done.addAndGet(rows) / total));
    }
  }
}
