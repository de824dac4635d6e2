package io.kiln.exec;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Rows produced by each source and operator of one query's physical plan, for EXPLAIN ANALYZE.
 * Bodies look their counters up once and add to them once per batch, in both execution modes.
 */
public final class RowCounts {
  private final Map<Object, LongAdder> counters = new IdentityHashMap<>();

  /** The counter of a plan node (a Source or an OperatorFactory), created on first use. */
  public synchronized LongAdder counter(Object node) {
    return counters.computeIfAbsent(node, n -> new LongAdder());
  }

  /** Rows the node produced, or -1 if it never ran. */
  public synchronized long rows(Object node) {
    LongAdder a = counters.get(node);
    return a == null ? -1 : a.sum();
  }
}
