package io.kiln;

import io.kiln.error.KilnException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A query started with {@link Kiln#submit}: wait for its result, or cancel it. A cancelled query
 * stops its pipelines at the next batch and frees all its memory before {@link #result()} throws
 * a {@link KilnException} of kind CANCELLED.
 */
public final class QueryHandle {
  private final CompletableFuture<Result> result;
  private final QueryControl control;

  QueryHandle(CompletableFuture<Result> result, QueryControl control) {
    this.result = result;
    this.control = control;
  }

  /** Waits for the query and returns its result, or throws its error. */
  public Result result() {
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KilnException.cancelled("interrupted while waiting for the query");
    } catch (ExecutionException e) {
      throw rethrown(e.getCause());
    }
  }

  /** Waits at most {@code timeout} for the result; throws a CANCELLED error if it has not come by then (the query goes on). */
  public Result result(long timeout, TimeUnit unit) {
    try {
      return result.get(timeout, unit);
    } catch (TimeoutException e) {
      throw KilnException.cancelled("no result after " + timeout + " " + unit.name().toLowerCase());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KilnException.cancelled("interrupted while waiting for the query");
    } catch (ExecutionException e) {
      throw rethrown(e.getCause());
    }
  }

  /** Asks the query to stop; returns at once. Cancelling a finished query does nothing. */
  public void cancel() {
    control.cancel();
  }

  public boolean isDone() {
    return result.isDone();
  }

  private static RuntimeException rethrown(Throwable t) {
    if (t instanceof RuntimeException) {
      return (RuntimeException) t;
    }
    if (t instanceof Error) {
      throw (Error) t;
    }
    return new KilnException(KilnException.Kind.EXECUTION, t.toString(), t);
  }
}
