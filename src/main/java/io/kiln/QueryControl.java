package io.kiln;

import io.kiln.error.KilnException;
import io.kiln.exec.ExecContext;

/**
 * Cancellation of one call's statements: the execution context of the statement running now, and
 * whether a cancel was asked for (before a statement starts, during it, or between statements).
 */
final class QueryControl {
  private boolean cancelled;
  private ExecContext running;

  synchronized void cancel() {
    cancelled = true;
    if (running != null) {
      running.cancel();
    }
  }

  /** The statement now running; cancelled at once if a cancel came first. */
  synchronized void attach(ExecContext ctx) {
    running = ctx;
    if (cancelled) {
      ctx.cancel();
    }
  }

  synchronized void detach() {
    running = null;
  }

  /** Throws if a cancel was asked for, so no further statement starts. */
  synchronized void check() {
    if (cancelled) {
      throw KilnException.cancelled("the query was cancelled");
    }
  }
}
