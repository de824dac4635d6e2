package io.kiln.exec;

import io.kiln.error.KilnException;
import io.kiln.catalog.ReadTotals;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
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
  private final ReadTotals readTotals;
  private final MorselProgress progress = new MorselProgress();

  public ExecContext(BufferAllocator allocator, ExecutorService workers, int threads) {
    this(allocator, workers, threads, new ReadTotals());
  }

  /** {@code readTotals}: the session's or worker's, which this query's scans add to. */
  public ExecContext(BufferAllocator allocator, ExecutorService workers, int threads, ReadTotals readTotals) {
    this.allocator = allocator;
    this.workers = workers;
    this.threads = threads;
    this.readTotals = readTotals;
  }

  /** No spans unless {@link #trace} gives a tracer: OpenTelemetry's no-op one costs nothing. */
  private static final Tracer NO_TRACES = OpenTelemetry.noop().getTracer("io.kiln");
  private Tracer tracer = NO_TRACES;
  private Context traceParent = Context.root();

  /** This query's pipelines (and shuffle fetches) become spans of {@code tracer} under {@code parent}. */
  public ExecContext trace(Tracer tracer, Context parent) {
    this.tracer = tracer;
    this.traceParent = parent;
    return this;
  }

  /** A span for part of this query's work, under the query's (or task's) span, started now; the caller ends it. */
  public Span span(String name) {
    return tracer.spanBuilder(name).setParent(traceParent).startSpan();
  }

  /** Rows and bytes this query's scans read, added to the owner's running totals. */
  public ReadTotals readTotals() {
    return readTotals;
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

  private Path spillParent = Path.of(System.getProperty("java.io.tmpdir"));
  private LongAdder spillTotals = new LongAdder();
  private SpillSpace spill;

  /** This query spills into a directory under {@code parent}, adding the bytes to {@code totals} (the session's). */
  public ExecContext spillTo(Path parent, LongAdder totals) {
    this.spillParent = parent;
    this.spillTotals = totals;
    return this;
  }

  /** Where this query's operators spill; its directory is made on first use and deleted when the query ends. */
  public synchronized SpillSpace spill() {
    if (spill == null) {
      spill = new SpillSpace(spillParent, spillTotals);
    }
    return spill;
  }

  /** Bytes this query spilled so far. */
  public synchronized long spilledBytes() {
    return spill == null ? 0 : spill.bytes();
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

  /** Stops the calling operator's work with the query's cancel, if one was asked for. */
  public void throwIfCancelled() {
    if (isCancelled()) {
      throw KilnException.cancelled("the query was cancelled");
    }
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
      // Last: the operators have closed their spill files.
      if (spill != null) {
        try {
          spill.close();
        } catch (RuntimeException e) {
          if (first == null) {
            first = e;
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
