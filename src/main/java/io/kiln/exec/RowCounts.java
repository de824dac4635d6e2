package io.kiln.exec;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Rows produced by each node of one query's physical plan, by node id, for EXPLAIN ANALYZE. Bodies
 * look their counters up once and add to them once per batch, in both execution modes. Each query
 * has its own, so concurrent queries do not mix their counts.
 */
public final class RowCounts {
  private final Map<Integer, LongAdder> counters = new HashMap<>();
  private final Map<Integer, Map<String, LongAdder>> details = new HashMap<>();

  /** The row counter of a plan node, created on first use. */
  public synchronized LongAdder counter(int node) {
    return counters.computeIfAbsent(node, n -> new LongAdder());
  }

  /** A further count of a node's work by name (e.g. "rows grouped by dictionary id"), created on first use. */
  public synchronized LongAdder counter(int node, String name) {
    return details.computeIfAbsent(node, n -> new LinkedHashMap<>()).computeIfAbsent(name, k -> new LongAdder());
  }

  /** The node's further counts by name, in the order they were first used; empty if none. */
  public synchronized Map<String, Long> details(int node) {
    Map<String, Long> out = new LinkedHashMap<>();
    details.getOrDefault(node, Map.of()).forEach((name, a) -> out.put(name, a.sum()));
    return out;
  }

  /** Rows the node produced, or -1 if it never ran. */
  public synchronized long rows(int node) {
    LongAdder a = counters.get(node);
    return a == null ? -1 : a.sum();
  }
}
