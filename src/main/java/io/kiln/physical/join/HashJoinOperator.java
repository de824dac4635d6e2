package io.kiln.physical.join;

import io.kiln.error.KilnException;
import io.kiln.data.Batch;
import io.kiln.logical.JoinType;
import io.kiln.physical.Batches;
import io.kiln.physical.Operator;
import io.kiln.physical.expr.Evaluator;
import io.kiln.physical.expr.VectorOps;
import io.kiln.types.DataType;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.ValueVector;

/**
 * Probes a {@link JoinTable} with each batch: finds the (probe row, build row) pairs whose keys are
 * equal, keeps those passing the residual condition, and shapes the output for the join type.
 * Output columns are the probe side's, then the build side's (or a mark column for MARK joins).
 */
final class HashJoinOperator implements Operator {
  private final JoinSpec spec;
  private final JoinTable table;
  private final JoinTable groups;
  private final BufferAllocator allocator;
  private int[] probeRows = new int[1024];
  private int[] buildRows = new int[1024];

  HashJoinOperator(JoinSpec spec, JoinTable table, JoinTable groups, BufferAllocator allocator) {
    this.spec = spec;
    this.table = table;
    this.groups = groups;
    this.allocator = allocator;
  }

  @Override
  public Batch process(Batch in) {
    try (Batch probe = in) {
      int n = probe.rowCount();
      ValueVector[] keys = new ValueVector[spec.probeKeys.size()];
      try {
        for (int k = 0; k < keys.length; k++) {
          keys[k] = spec.probeKeys.get(k).evaluate(probe, allocator);
        }
        int pairs = findPairs(keys, n);
        if (spec.residual != null && pairs > 0) {
          pairs = applyResidual(probe, pairs);
        }
        return shape(probe, keys, n, pairs);
      } finally {
        Batches.closeAll(keys);
      }
    }
  }

  private int findPairs(ValueVector[] keys, int n) {
    boolean firstOnly = spec.residual == null && !spec.emitBuildSide
        && (spec.type == JoinType.SEMI || spec.type == JoinType.ANTI || spec.type == JoinType.MARK);
    int count = 0;
    for (int i = 0; i < n; i++) {
      if (KeyVectors.hasNullKey(keys, spec.nullSafe, i)) {
        continue;
      }
      long h = KeyVectors.hash(keys, i);
      for (int j = table.first(h); j >= 0; j = table.next(j, h)) {
        if (!KeyVectors.equal(keys, i, table.keys, j)) {
          continue;
        }
        if (count == probeRows.length) {
          probeRows = Arrays.copyOf(probeRows, count * 2);
          buildRows = Arrays.copyOf(buildRows, count * 2);
        }
        probeRows[count] = i;
        buildRows[count] = j;
        count++;
        if (firstOnly) {
          break;
        }
      }
    }
    return count;
  }

  private int applyResidual(Batch probe, int pairs) {
    try (Batch joined = joinedRows(probe, pairs); BitVector keep = (BitVector) spec.residual.evaluate(joined, allocator)) {
      int k = 0;
      for (int p = 0; p < pairs; p++) {
        if (!keep.isNull(p) && keep.get(p) == 1) {
          probeRows[k] = probeRows[p];
          buildRows[k] = buildRows[p];
          k++;
        }
      }
      return k;
    }
  }

  private Batch joinedRows(Batch probe, int pairs) {
    int pc = probe.columnCount();
    int bc = table.rows.columnCount();
    ValueVector[] cols = new ValueVector[pc + bc];
    try {
      for (int c = 0; c < pc; c++) {
        cols[c] = VectorOps.gather(probe.column(c), probeRows, pairs, allocator);
      }
      for (int c = 0; c < bc; c++) {
        cols[pc + c] = VectorOps.gather(table.rows.column(c), buildRows, pairs, allocator);
      }
    } catch (RuntimeException e) {
      Batches.closeAll(cols);
      throw e;
    }
    return new Batch(cols, pairs);
  }

  private Batch shape(Batch probe, ValueVector[] keys, int n, int pairs) {
    if (spec.emitBuildSide) {
      markBuild(pairs);
      return null;
    }
    switch (spec.type) {
      case INNER:
      case RIGHT:
        markBuild(pairs);
        return pairs == 0 ? null : joinedRows(probe, pairs);
      case SEMI:
      case ANTI: {
        boolean[] hit = hits(n, pairs);
        int[] rows = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
          if (hit[i] == (spec.type == JoinType.SEMI)) {
            rows[k++] = i;
          }
        }
        return k == 0 ? null : Batches.gather(probe, rows, k, allocator);
      }
      case MARK:
        return withMark(probe, keys, n, hits(n, pairs));
      default: {
        // LEFT, FULL, SINGLE: every probe row appears; unmatched ones with NULLs.
        markBuild(pairs);
        boolean[] hit = hits(n, pairs);
        if (spec.type == JoinType.SINGLE) {
          for (int p = 1; p < pairs; p++) {
            if (probeRows[p] == probeRows[p - 1]) {
              throw KilnException.execution("a scalar subquery returned more than one row");
            }
          }
        }
        int extra = 0;
        for (int i = 0; i < n; i++) {
          if (!hit[i]) {
            extra++;
          }
        }
        if (pairs + extra > probeRows.length) {
          probeRows = Arrays.copyOf(probeRows, pairs + extra);
          buildRows = Arrays.copyOf(buildRows, pairs + extra);
        }
        int k = pairs;
        for (int i = 0; i < n; i++) {
          if (!hit[i]) {
            probeRows[k] = i;
            buildRows[k] = -1;
            k++;
          }
        }
        return k == 0 ? null : joinedRows(probe, k);
      }
    }
  }

  private boolean[] hits(int n, int pairs) {
    boolean[] hit = new boolean[n];
    for (int p = 0; p < pairs; p++) {
      hit[probeRows[p]] = true;
    }
    return hit;
  }

  private void markBuild(int pairs) {
    if (table.matched != null) {
      for (int p = 0; p < pairs; p++) {
        table.matched[buildRows[p]] = true;
      }
    }
  }

  /** The probe rows plus the mark: TRUE on a match, else NULL or FALSE by IN's rules for NULLs. */
  private Batch withMark(Batch probe, ValueVector[] keys, int n, boolean[] hit) {
    BitVector mark = new BitVector("mark", allocator);
    mark.allocateNew(Math.max(n, 1));
    int inKey = spec.nullAwareKey;
    ValueVector[] corr = groups == null ? null : correlationKeys(keys);
    for (int i = 0; i < n; i++) {
      if (hit[i]) {
        mark.set(i, 1);
        continue;
      }
      if (inKey < 0) {
        mark.set(i, 0);
        continue;
      }
      boolean groupNonEmpty;
      boolean groupHasNull;
      if (groups == null) {
        groupNonEmpty = table.size() > 0;
        groupHasNull = spec.buildHasNullInKey;
      } else {
        groupNonEmpty = false;
        groupHasNull = false;
        if (!KeyVectors.hasNullKey(corr, groups.nullSafe, i)) {
          long h = KeyVectors.hash(corr, i);
          for (int j = groups.first(h); j >= 0; j = groups.next(j, h)) {
            if (KeyVectors.equal(corr, i, groups.keys, j)) {
              groupNonEmpty = true;
              groupHasNull |= table.keys[inKey].isNull(j);
            }
          }
        }
      }
      boolean unknown = keys[inKey].isNull(i) ? groupNonEmpty : groupHasNull;
      if (!unknown) {
        mark.set(i, 0);
      }
    }
    mark.setValueCount(n);
    ValueVector[] cols = new ValueVector[probe.columnCount() + 1];
    for (int c = 0; c < probe.columnCount(); c++) {
      cols[c] = VectorOps.share(probe.column(c), allocator);
    }
    cols[cols.length - 1] = mark;
    return new Batch(cols, n);
  }

  private ValueVector[] correlationKeys(ValueVector[] keys) {
    ValueVector[] corr = new ValueVector[keys.length - 1];
    for (int k = 0, c = 0; k < keys.length; k++) {
      if (k != spec.nullAwareKey) {
        corr[c++] = keys[k];
      }
    }
    return corr;
  }

  @Override
  public Batch finish() {
    if (table.matched == null) {
      return null;
    }
    int n = table.size();
    int[] rows = new int[n];
    int k = 0;
    boolean keepMatched = spec.emitBuildSide && spec.type == JoinType.SEMI;
    for (int j = 0; j < n; j++) {
      if (table.matched[j] == keepMatched) {
        rows[k++] = j;
      }
    }
    if (k == 0) {
      return null;
    }
    if (spec.emitBuildSide) {
      return Batches.gather(table.rows, rows, k, allocator);
    }
    List<DataType> probeTypes = spec.probeTypes;
    ValueVector[] cols = new ValueVector[probeTypes.size() + table.rows.columnCount()];
    try {
      for (int c = 0; c < probeTypes.size(); c++) {
        cols[c] = VectorOps.nulls(probeTypes.get(c), k, allocator);
      }
      for (int c = 0; c < table.rows.columnCount(); c++) {
        cols[probeTypes.size() + c] = VectorOps.gather(table.rows.column(c), rows, k, allocator);
      }
    } catch (RuntimeException e) {
      Batches.closeAll(cols);
      throw e;
    }
    return new Batch(cols, k);
  }
}
