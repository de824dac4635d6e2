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
  /** Its entry on the session's dashboard; null when the session has none. */
  private volatile io.kiln.observe.QueryBoard.Tracked tracked;

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

  /** The SQL text being run, as the user wrote it; null for a DataFrame's plan. */
  private volatile String sql;

  void sql(String text) {
    sql = text;
  }

  String sql() {
    return sql;
  }

  void track(io.kiln.observe.QueryBoard.Tracked t) {
    tracked = t;
  }

  io.kiln.observe.QueryBoard.Tracked tracked() {
    return tracked;
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
