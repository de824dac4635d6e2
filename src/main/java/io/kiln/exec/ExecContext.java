package io.kiln.exec;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.BufferAllocator;

/**
 * What one query's execution shares: its allocator (a child of the session's, with the memory
 * limit), the worker pool, a cancellation flag, and resources to release when the query ends.
 */
public final class ExecContext implements AutoCloseable {
  private final BufferAllocator allocator;
  private final ExecutorService workers;
  private final int threads;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final RowCounts rowCounts = new RowCounts();
  private final MorselProgress progress = new MorselProgress();

  public ExecContext(BufferAllocator allocator, ExecutorService workers, int threads) {
    this.allocator = allocator;
    this.workers = workers;
    this.threads = threads;
  }

  /** Rows out of each source and operator of this query so far. */
  public RowCounts rowCounts() {
    return rowCounts;
  }

  /** Morsels planned and run by each pipeline of this query so far. */
  public MorselProgress progress() {
    return progress;
  }

  public BufferAllocator allocator() {
    return allocator;
  }

  public ExecutorService workers() {
    return workers;
  }

  public int threads() {
    return threads;
  }

  public boolean isCancelled() {
    return cancelled.get();
  }

  public void cancel() {
    cancelled.set(true);
  }

  /** Closes the resource when the query ends (hash tables, materialized intermediate results). */
  public synchronized <T extends AutoCloseable> T register(T resource) {
    resources.push(resource);
    return resource;
  }

  @Override
  public void close() {
    RuntimeException first = null;
    synchronized (this) {
      while (!resources.isEmpty()) {
        try {
          resources.pop().close();
        } catch (Exception e) {
          if (first == null) {
            first = e instanceof RuntimeException ? (RuntimeException) e : new RuntimeException(e);
          } else {
            first.addSuppressed(e);
          }
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
