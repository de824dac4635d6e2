package io.kiln.physical;

import io.kiln.data.Batch;
import io.kiln.exec.ExecContext;

/**
 * The end of a pipeline (aggregate, hash build, sort, collect). Each worker fills its own
 * {@link Local}; locals are merged one at a time when the worker is done.
 */
public interface Sink extends AutoCloseable {
  interface Local extends AutoCloseable {
    /** Takes ownership of the batch. */
    void push(Batch batch);

    @Override
    void close();
  }

  Local newLocal(ExecContext ctx);

  /** Absorbs a worker's local state (called under the sink's lock); the local is closed afterwards. */
  void merge(Local local);

  /** True once the sink needs no more input (a satisfied LIMIT). */
  default boolean isDone() {
    return false;
  }

  String describe();

  @Override
  void close();
}
