package io.kiln.physical;

import io.kiln.exec.ExecContext;

/** Makes one {@link Operator} per worker; {@link #prepare} runs once before (e.g. builds a hash table). */
public interface OperatorFactory {
  default void prepare(ExecContext ctx) {}

  Operator create(ExecContext ctx);

  /** The step's expressions for the code generator, or null if it cannot be fused. */
  default FusionSpec fusion() {
    return null;
  }

  /** One line for EXPLAIN. */
  String describe();

  /** Pipelines this operator needs finished first (a hash join's build side), for EXPLAIN. */
  default java.util.List<Pipeline> dependencies() {
    return java.util.List.of();
  }
}
