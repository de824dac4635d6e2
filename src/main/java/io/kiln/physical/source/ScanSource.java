package io.kiln.physical.source;

import io.kiln.catalog.ColumnPredicate;
import io.kiln.catalog.ScanRequest;
import io.kiln.catalog.ScanTask;
import io.kiln.catalog.ScanTaskDescriptor;
import io.kiln.catalog.TableProvider;
import io.kiln.exec.ExecContext;
import io.kiln.physical.BoundPipeline;
import io.kiln.physical.ScanRuntimeFilters;
import io.kiln.physical.Source;
import io.kiln.physical.plan.PhysicalNode;
import java.util.List;

/**
 * A table scan: the provider's morsels for the projected columns, with filters it may use to skip
 * data. Either the provider splits the scan when the pipeline starts, or the scan runs exactly the
 * task descriptors it was given (a worker's share of a scan a scheduler split).
 */
public final class ScanSource implements Source {
  private final TableProvider provider;
  private final ScanRequest request;
  private final int nodeId;
  private final String shown;
  /** Empty: split at run time. */
  private final List<ScanTaskDescriptor> descriptors;
  /** Filters known once the joins whose keys they hold have built their tables; asked when the scan starts. */
  private final ScanRuntimeFilters runtimeFilters;
  /** The runtime filters' predicates, once the scan has started (for EXPLAIN ANALYZE). */
  private volatile List<ColumnPredicate> runtimePredicates = List.of();

  private ScanSource(int nodeId, TableProvider provider, ScanRequest request, String shown,
      List<ScanTaskDescriptor> descriptors, ScanRuntimeFilters runtimeFilters) {
    this.nodeId = nodeId;
    this.provider = provider;
    this.request = request;
    this.shown = shown;
    this.descriptors = List.copyOf(descriptors);
    this.runtimeFilters = runtimeFilters;
  }

  /**
   * The source for a plan's scan node over {@code provider}: its columns, pruning predicates,
   * limit and dictionary-id wishes, and its task descriptors when it has them.
   */
  public static ScanSource of(PhysicalNode.Scan s, TableProvider provider) {
    return of(s, provider, new ScanRuntimeFilters());
  }

  /** The same, also narrowed by {@code runtimeFilters}' predicates, which are asked for when the scan starts. */
  public static ScanSource of(PhysicalNode.Scan s, TableProvider provider, ScanRuntimeFilters runtimeFilters) {
    return new ScanSource(s.id(), provider, request(s), s.table() + " " + s.output(), s.tasks(), runtimeFilters);
  }

  /** What the scan node asks of its table: columns, pruning predicates, limit, dictionary ids. */
  public static ScanRequest request(PhysicalNode.Scan s) {
    int[] idx = s.columnIndexes().stream().mapToInt(Integer::intValue).toArray();
    boolean[] ids = new boolean[idx.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = s.dictionaryIds().get(i);
    }
    return new ScanRequest(idx, s.predicates(), s.limit()).withDictionaryIds(ids);
  }

  @Override
  public List<ScanTask> tasks(ExecContext ctx) {
    List<ColumnPredicate> runtime = runtimeFilters.predicates();
    runtimePredicates = List.copyOf(runtime);
    ScanRequest forThreads = request.withMoreFilters(runtime).forWorkers(ctx.threads())
        .withReadTotals(ctx.readTotals());
    List<ScanTask> tasks = descriptors.isEmpty() ? provider.planScan(forThreads) : provider.open(forThreads, descriptors);
    return tasks.stream().map(t -> (ScanTask) new RowCountingScanTask(t, ctx.readTotals())).toList();
  }

  @Override
  public List<BoundPipeline> waitsFor() {
    return runtimeFilters.builds();
  }

  @Override
  public int nodeId() {
    return nodeId;
  }

  @Override
  public String describe() {
    return "Scan " + shown + " [" + provider.describe() + "]"
        + (request.filters().isEmpty() ? "" : " pruning=" + request.filters())
        + (runtimeFilters.size() == 0 ? "" : " runtime filters=" + (runtimePredicates.isEmpty()
            ? runtimeFilters.size() + " (known when it starts)" : shown(runtimePredicates)))
        + (descriptors.isEmpty() ? "" : " tasks=" + descriptors.size());
  }

  /** Predicates as EXPLAIN shows them, a long IN list (a join's keys) by its length. */
  private static String shown(List<ColumnPredicate> predicates) {
    List<String> out = new java.util.ArrayList<>();
    for (ColumnPredicate p : predicates) {
      out.add(p.op() == ColumnPredicate.Op.IN && p.values().size() > 8
          ? "#" + p.column() + " IN [" + p.values().size() + " values]" : p.toString());
    }
    return out.toString();
  }
}
