package io.kiln.physical.plan;

/**
 * A hash aggregation's phase. Where an aggregation's rows are partitioned (threads of another
 * process, tasks of a cluster), each part runs PARTIAL, an exchange brings equal keys together, and
 * FINAL merges their states; otherwise one SINGLE aggregation does both.
 */
public enum AggregateMode {
  /** Input rows to final values: key columns, then one column per aggregate. */
  SINGLE,
  /** Input rows to key columns then state columns, as {@code physical.agg.AggregateLayout.partialFields} names them. */
  PARTIAL,
  /** Batches of PARTIAL's output to final values, merging the states of equal keys: SINGLE's output. */
  FINAL
}
