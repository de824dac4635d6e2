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
  private final Map<Object, Map<String, LongAdder>> details = new IdentityHashMap<>();

  /** The counter of a plan node (a Source or an OperatorFactory), created on first use. */
  public synchronized LongAdder counter(Object node) {
    return counters.computeIfAbsent(node, n -> new LongAdder());
  }

  /** A further count of a node's work by name (e.g. "rows grouped by dictionary id"), created on first use. */
  public synchronized LongAdder counter(Object node, String name) {
    return details.computeIfAbsent(node, n -> new java.util.LinkedHashMap<>()).computeIfAbsent(name,
        k -> new LongAdder());
  }

  /** The node's further counts by name, in the order they were first used; empty if none. */
  public synchronized Map<String, Long> details(Object node) {
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    details.getOrDefault(node, Map.of()).forEach((name, a) -> out.put(name, a.sum()));
    return out;
  }

  /** Rows the node produced, or -1 if it never ran. */
  public synchronized long rows(Object node) {
    LongAdder a = counters.get(node);
    return a == null ? -1 : a.sum();
  }
}
