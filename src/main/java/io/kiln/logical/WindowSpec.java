package io.kiln.logical;

import java.util.List;

/**
 * What a window's rows are grouped and ordered by: {@code PARTITION BY} expressions and
 * {@code ORDER BY} keys. Calls with an equal spec share one sort (one {@link Window} node).
 */
public record WindowSpec(List<Expr> partitionBy, List<SortKey> orderBy) {
  public WindowSpec {
    partitionBy = List.copyOf(partitionBy);
    orderBy = List.copyOf(orderBy);
  }

  @Override
  public String toString() {
    return "PARTITION BY " + partitionBy + " ORDER BY " + orderBy;
  }
}
