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

  /** One line for EXPLAIN. */
  String describe();
}
