package io.kiln.physical;

import io.kiln.exec.ExecContext;

/** Makes one {@link Operator} per worker for the plan node {@link #nodeId()}. */
public interface OperatorFactory {
  Operator create(ExecContext ctx);

  /** The physical plan node this step runs, whose counters it adds to. */
  int nodeId();

  /** The step's expressions for the code generator, or null if it cannot be fused. */
  default FusionSpec fusion() {
    return null;
  }

  /** Whether its operators emit rows in {@link Operator#finish()} (outer joins' unmatched build rows). */
  default boolean emitsAtFinish() {
    return false;
  }

  /**
   * Whether, now that the pipelines it waits for are done, no row can come out of it whatever comes
   * in (an inner join whose build side is empty): then its pipeline reads no input at all.
   */
  default boolean dropsEveryRow() {
    return false;
  }

  /**
   * Whether it set input aside while its pipeline ran (a hash join whose build side spilled), to
   * be processed by {@link #runSetAside} once every morsel is done.
   */
  default boolean setsAside() {
    return false;
  }

  /** Processes the input set aside, on one thread, handing each output batch (the receiver's) to {@code out}. */
  default void runSetAside(ExecContext ctx, java.util.function.Consumer<io.kiln.data.Batch> out) {
    throw new IllegalStateException(describe() + " set nothing aside");
  }

  /** One line for EXPLAIN. */
  String describe();
}
