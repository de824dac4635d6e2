package io.kiln.catalog;

import io.kiln.data.Batch;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;

/**
 * One morsel of a scan (a file, a row group, a slice of a table). Running it pushes batches of the
 * projected columns, in the engine's physical encoding, to the consumer, which takes ownership.
 */
public interface ScanTask extends AutoCloseable {
  /**
   * Reads this morsel. Returns early (without error) when {@code stop} says so, e.g. once a limit
   * is reached. Errors are KilnExceptions naming the file and column.
   */
  void run(BufferAllocator allocator, Consumer<Batch> out, java.util.function.BooleanSupplier stop);

  /** Rows this task will produce, if known, for progress and planning. */
  default long estimatedRows() {
    return -1;
  }

  /**
   * Releases what the task holds outside {@link #run}, e.g. bytes fetched ahead of it. The
   * executor closes every task of a query when the query ends, whether the task ran or not (a
   * LIMIT reached, a failure, a cancel).
   */
  @Override
  default void close() {}
}
