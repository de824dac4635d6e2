package io.kiln.physical;

import io.kiln.exec.ExecContext;

/** Makes one {@link Operator} per worker; {@link #prepare} runs once before (e.g. builds a hash table). */
public interface OperatorFactory {
  default void prepare(ExecContext ctx) {}

  Operator create(ExecContext ctx);

  /** One line for EXPLAIN. */
  String describe();

  /** Pipelines this operator needs finished first (a hash join's build side), for EXPLAIN. */
  default java.util.List<Pipeline> dependencies() {
    return java.util.List.of();
  }
}
