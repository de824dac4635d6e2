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

    /**
     * Called on the worker's thread once a morsel's rows are all pushed, when each morsel has a
     * local of its own ({@link #localPerMorsel}), before the local is merged: the place for a
     * morsel's heavy work, which then runs in parallel rather than under the merge's lock.
     */
    default void morselDone() {}

    @Override
    void close();
  }

  Local newLocal(ExecContext ctx);

  /** Absorbs a worker's local state (called under the sink's lock); the local is closed afterwards. */
  void merge(Local local);

  /**
   * Whether each morsel gets a local state of its own, merged as soon as the morsel is done: for a
   * sink fed by an exchange's partitions, one per morsel, whose results are disjoint (a FINAL
   * aggregation: each partition's groups are complete, so merging is appending).
   */
  default boolean localPerMorsel() {
    return false;
  }

  /** True once the sink needs no more input (a satisfied LIMIT). */
  default boolean isDone() {
    return false;
  }

  String describe();

  /**
   * Bytes the sink holds once every worker's input is merged (a join's build rows and chains, an
   * aggregate's groups and states, rows waiting to be sorted), for EXPLAIN ANALYZE; 0 for sinks
   * that only pass rows on.
   */
  default long heldBytes() {
    return 0;
  }

  @Override
  void close();
}
