package io.kiln.physical.plan;

import io.kiln.catalog.TableProvider;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.JoinType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Gives scans the key sets of hash joins, to skip rows by once those joins' build sides are done.
 * A join that drops the probe rows nothing matches (INNER, SEMI, RIGHT, or one whose build side
 * is the preserved side) narrows the scan its probe key column is read from by its own keys. A
 * join that drops the build rows nothing matches narrows the scan its build key is read from by
 * the keys of a join below on its probe side that every probe key value passed (an inner join on
 * the same column). Columns are traced down through filters, renames, sorts, exchanges, the
 * grouping keys of aggregations (a group with another key would be dropped above, so its rows
 * may be dropped below) and the row-preserving side of other joins. Added only where the build
 * side is expected to hold well under the column's distinct values: the scan then waits for the
 * build, which is worth it only when it lets the scan skip much.
 */
final class RuntimeFilters {
  /** The build side must be expected to hold at most this fraction of the column's distinct values. */
  private static final double MAX_KEPT_FRACTION = 0.5;

  private final Map<Integer, Double> estimatedRows;
  private final Map<String, TableProvider> tables;
  private final Map<Integer, List<RuntimeFilter>> byScan = new HashMap<>();

  private RuntimeFilters(Map<Integer, Double> estimatedRows, Map<String, TableProvider> tables) {
    this.estimatedRows = estimatedRows;
    this.tables = tables;
  }

  /** The plan with runtime filters on the scans where they are expected to pay. */
  static PhysicalNode add(PhysicalNode root, Map<Integer, Double> estimatedRows, Map<String, TableProvider> tables) {
    RuntimeFilters r = new RuntimeFilters(estimatedRows, tables);
    for (PhysicalNode.HashJoin j : PlanNodes.find(root, PhysicalNode.HashJoin.class)) {
      r.join(j);
    }
    if (r.byScan.isEmpty()) {
      return root;
    }
    return PlanNodes.mapBottomUp(root, n -> n instanceof PhysicalNode.Scan s && r.byScan.containsKey(s.id())
        ? s.withRuntimeFilters(r.byScan.get(s.id())) : n);
  }

  private void join(PhysicalNode.HashJoin j) {
    if (j.buildKeys().isEmpty()) {
      return;
    }
    boolean dropsUnmatchedProbeRows = j.emitBuildSide() || j.type() == JoinType.INNER || j.type() == JoinType.SEMI
        || j.type() == JoinType.RIGHT;
    // NOT IN and IN-as-a-value look at the build side's NULLs and emptiness, which a filter would change.
    boolean dropsUnmatchedBuildRows = !j.emitBuildSide() && j.type() != JoinType.RIGHT && j.type() != JoinType.FULL
        && j.nullAwareKey() < 0;
    for (int k = 0; k < j.probeKeys().size(); k++) {
      // A NULL-safe key matches NULL, which a filter on values would drop; keys of other types
      // compare after a cast the scan does not make.
      if (j.nullSafe().get(k) || !(j.probeKeys().get(k) instanceof ColumnRef probe)
          || !(j.buildKeys().get(k) instanceof ColumnRef build) || !probe.type().equals(build.type())) {
        continue;
      }
      if (dropsUnmatchedProbeRows) {
        add(scanColumn(probe, j.probe()), j.id(), k, j.build());
      }
      if (dropsUnmatchedBuildRows) {
        // Every probe key value is a key of a join below on the probe side: build rows with other
        // values match nothing, and may be skipped by that join's keys (Q17: the average quantity
        // per part is needed only for the parts the outer query's join with part kept).
        JoinKey source = keySource(probe, j.probe());
        if (source != null && source.join().buildKeys().get(source.key()).type().equals(build.type())) {
          add(scanColumn(build, j.build()), source.join().id(), source.key(), source.join().build());
        }
      }
    }
  }

  /** Filters {@code read} by key {@code key} of join {@code joinId}, whose build side is {@code keys}, where that pays. */
  private void add(ScanColumn read, int joinId, int key, PhysicalNode keys) {
    double buildRows = estimatedRows.getOrDefault(keys.id(), Double.POSITIVE_INFINITY);
    if (read != null && pays(read.scan(), read.column(), buildRows)) {
      PhysicalNode.Scan scan = read.scan();
      int column = scan.columnIndexes().get(scan.output().indexOf(read.column()));
      RuntimeFilter f = new RuntimeFilter(joinId, key, column);
      List<RuntimeFilter> filters = byScan.computeIfAbsent(scan.id(), id -> new ArrayList<>());
      if (!filters.contains(f)) {
        filters.add(f);
      }
    }
  }

  /** A column of a node's input. */
  private record InputColumn(PhysicalNode input, ColumnRef column) {}

  /**
   * The input column whose value each row of {@code node} holds as {@code c}, for the nodes that
   * pass values on unchanged: filters, sorts, exchanges, renames and grouping keys (a group's key
   * is its rows' value). Null for any other node or column (a computed one).
   */
  private static InputColumn passedThrough(ColumnRef c, PhysicalNode node) {
    if (node instanceof PhysicalNode.Filter || node instanceof PhysicalNode.Sort
        || node instanceof PhysicalNode.Exchange) {
      return new InputColumn(node.inputs().get(0), c);
    }
    if (node instanceof PhysicalNode.Project p) {
      int i = p.output().indexOf(c);
      return i >= 0 && p.exprs().get(i) instanceof ColumnRef from ? new InputColumn(p.input(), from) : null;
    }
    if (node instanceof PhysicalNode.HashAggregate a) {
      int i = a.output().indexOf(c);
      return i >= 0 && i < a.keys().size() && a.keys().get(i) instanceof ColumnRef from
          ? new InputColumn(a.input(), from) : null;
    }
    return null;
  }

  /** Key number {@code key} of {@code join}. */
  private record JoinKey(PhysicalNode.HashJoin join, int key) {}

  /**
   * A join below whose key set holds every value column {@code c} has in {@code node}'s rows: an
   * inner join on {@code c} (from either side), or a semi join on it; or null.
   */
  private static JoinKey keySource(ColumnRef c, PhysicalNode node) {
    InputColumn in = passedThrough(c, node);
    if (in != null) {
      return keySource(in.column(), in.input());
    }
    if (!(node instanceof PhysicalNode.HashJoin j) || j.emitBuildSide()) {
      return null;
    }
    boolean onBuild = j.build().output().contains(c);
    if (!onBuild && !j.probe().output().contains(c)) {
      return null;
    }
    boolean keepsOnlyMatches = onBuild ? j.type() == JoinType.INNER
        : j.type() == JoinType.INNER || j.type() == JoinType.SEMI;
    if (keepsOnlyMatches) {
      List<Expr> keys = onBuild ? j.buildKeys() : j.probeKeys();
      for (int k = 0; k < keys.size(); k++) {
        if (keys.get(k).equals(c) && !j.nullSafe().get(k)
            && j.probeKeys().get(k).type().equals(j.buildKeys().get(k).type())) {
          return new JoinKey(j, k);
        }
      }
    }
    if (onBuild) {
      return j.type() == JoinType.INNER ? keySource(c, j.build()) : null;
    }
    boolean probeRowsKept = j.type() != JoinType.RIGHT && j.type() != JoinType.FULL;
    return probeRowsKept ? keySource(c, j.probe()) : null;
  }

  /** Whether a scan of {@code column} is expected to keep few enough rows, given a build side of {@code buildRows} rows. */
  private boolean pays(PhysicalNode.Scan scan, ColumnRef column, double buildRows) {
    TableProvider provider = tables.get(scan.table());
    if (provider == null || !scan.limit().isEmpty()) {
      return false;
    }
    OptionalLong rows = provider.statistics().rowCount();
    if (rows.isEmpty()) {
      return false;
    }
    OptionalLong distinct = provider.statistics().distinctCount(column.name());
    double values = distinct.isPresent() ? distinct.getAsLong() : rows.getAsLong();
    return buildRows <= values * MAX_KEPT_FRACTION;
  }

  /** A scan and one of its output columns. */
  private record ScanColumn(PhysicalNode.Scan scan, ColumnRef column) {}

  /** Follows a column down to the scan that reads it, through the nodes that keep a row's value of it; or null. */
  private static ScanColumn scanColumn(ColumnRef c, PhysicalNode node) {
    if (node instanceof PhysicalNode.Scan s) {
      return s.output().contains(c) ? new ScanColumn(s, c) : null;
    }
    InputColumn in = passedThrough(c, node);
    if (in != null) {
      return scanColumn(in.column(), in.input());
    }
    if (node instanceof PhysicalNode.HashJoin j) {
      if (j.probe().output().contains(c)) {
        // Every output row keeps its probe row's value, unless unmatched build rows are emitted too.
        boolean probeRowsKept = !j.emitBuildSide() && j.type() != JoinType.RIGHT && j.type() != JoinType.FULL;
        return probeRowsKept ? scanColumn(c, j.probe()) : null;
      }
      if (j.build().output().contains(c) && j.type() == JoinType.INNER && !j.emitBuildSide()) {
        return scanColumn(c, j.build());
      }
    }
    return null;
  }
}
