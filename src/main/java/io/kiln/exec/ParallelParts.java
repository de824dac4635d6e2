package io.kiln.exec;

import io.kiln.util.Uninterruptibly;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs the parts of a step that one thread would otherwise do alone (a join table's build, after
 * its build pipelines finished) on the calling thread and on idle threads of the query's pool.
 * The caller takes parts too and waits only for parts a helper has already begun, so a pool busy
 * with other pipelines makes the step serial, never stuck.
 */
public final class ParallelParts {
  private final int parts;
  private final IntConsumer part;
  private final AtomicInteger nextPart = new AtomicInteger();
  /** After a failure, parts claimed later are skipped (and still count as finished). */
  private volatile boolean failed;
  private int finished;
  private Throwable failure;

  private ParallelParts(int parts, IntConsumer part) {
    this.parts = parts;
    this.part = part;
  }

  /**
   * Calls {@code part} once for each of 0 to {@code parts - 1}, on this thread and on up to
   * {@code helpers} threads of {@code pool}, and returns when every call has returned. The first
   * failure is thrown here, once no part is running any more.
   */
  public static void run(Executor pool, int helpers, int parts, IntConsumer part) {
    if (parts <= 1 || helpers <= 0 || pool == null) {
      for (int p = 0; p < parts; p++) {
        part.accept(p);
      }
      return;
    }
    ParallelParts run = new ParallelParts(parts, part);
    for (int h = 0; h < Math.min(helpers, parts - 1); h++) {
      try {
        pool.execute(run::work);
      } catch (RejectedExecutionException e) {
        break; // the pool is shutting down: the caller does the remaining parts itself
      }
    }
    run.work();
    run.awaitFinished();
    run.rethrow();
  }

  private void work() {
    for (int p = nextPart.getAndIncrement(); p < parts; p = nextPart.getAndIncrement()) {
      Throwable thrown = null;
      if (!failed) {
        try {
          part.accept(p);
        } catch (Throwable t) {
          thrown = t;
          failed = true;
        }
      }
      partFinished(thrown);
    }
  }

  private synchronized void partFinished(Throwable thrown) {
    finished++;
    if (thrown != null) {
      if (failure == null) {
        failure = thrown;
      } else {
        failure.addSuppressed(thrown);
      }
    }
    notifyAll();
  }

  /**
   * Every part is claimed once the caller's {@link #work} returns; waits for the ones still running
   * elsewhere. The wait is not cut short by an interrupt: those parts write into the caller's arrays.
   */
  private synchronized void awaitFinished() {
    Uninterruptibly.await(this, () -> finished >= parts);
  }

  private synchronized void rethrow() {
    if (failure instanceof RuntimeException) {
      throw (RuntimeException) failure;
    }
    if (failure instanceof Error) {
      throw (Error) failure;
    }
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
  }
}
