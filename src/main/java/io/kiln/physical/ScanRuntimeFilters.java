package io.kiln.physical;

import io.kiln.catalog.ColumnPredicate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The runtime filters a scan of this DAG took: predicates from the key sets of joins laid out in
 * the same DAG, known once those joins' build pipelines have finished, which the scan's pipeline
 * therefore waits for. Filled by {@link DagBuilder} once the whole DAG is laid out, as a join may
 * be laid out after the scan it narrows.
 */
public final class ScanRuntimeFilters {
  private final List<Supplier<List<ColumnPredicate>>> predicates = new ArrayList<>();
  private final List<BoundPipeline> builds = new ArrayList<>();

  void add(Supplier<List<ColumnPredicate>> keys, List<BoundPipeline> buildPipelines) {
    predicates.add(keys);
    builds.addAll(buildPipelines);
  }

  /** How many filters the scan took. */
  public int size() {
    return predicates.size();
  }

  /** The filters' predicates; asked when the scan starts, once {@link #builds} have finished. */
  public List<ColumnPredicate> predicates() {
    List<ColumnPredicate> out = new ArrayList<>();
    for (Supplier<List<ColumnPredicate>> p : predicates) {
      out.addAll(p.get());
    }
    return out;
  }

  /** The build pipelines the scan waits for. */
  public List<BoundPipeline> builds() {
    return builds;
  }
}
