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
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.ValueVector;

/**
 * Probes a {@link JoinTable} with each batch: finds the (probe row, build row) pairs whose keys are
 * equal, keeps those passing the residual condition, and shapes the output for the join type.
 * Output columns are the probe side's, then the build side's (or a mark column for MARK joins).
 *
 * <p>Pairs are found {@link #MAX_PAIRS} at a time, so a key repeated on both sides (a join on a
 * flag, a cross join) makes a stream of bounded batches rather than one that does not fit in
 * memory, and a cancelled query stops between them.
 */
final class HashJoinOperator implements Operator {
  /** Pairs found, and rows emitted, per step: a parquet batch's worth. */
  static final int MAX_PAIRS = 32 * 1024;
  /** {@link #chainAt} when the next probe row's chain has not been started. */
  private static final int NOT_STARTED = -2;

  private final JoinSpec spec;
  private final JoinTable table;
  private final JoinTable groups;
  private final BufferAllocator allocator;
  /** Throws the query's cancel, if one was asked for (checked between steps). */
  private final Runnable stopIfCancelled;
  private int[] probeRows = new int[1024];
  private int[] buildRows = new int[1024];
  /** Where the pair search resumes: a probe row, its place in its chain, and its hash. */
  private int rowAt;
  private int chainAt;
  private long hashAt;
  /** The build rows with a NULL IN value, for a NOT IN correlated by a residual; found on first need. */
  private int[] nullValueRows;

  HashJoinOperator(JoinSpec spec, JoinTable table, JoinTable groups, BufferAllocator allocator,
      Runnable stopIfCancelled) {
    this.spec = spec;
    this.table = table;
    this.groups = groups;
    this.allocator = allocator;
    this.stopIfCancelled = stopIfCancelled;
  }

  @Override
  public void process(Batch in, Consumer<Batch> out) {
    try (Batch probe = in) {
      int n = probe.rowCount();
      ValueVector[] keys = new ValueVector[spec.probeKeys.size()];
      try {
        for (int k = 0; k < keys.length; k++) {
          keys[k] = spec.probeKeys.get(k).evaluate(probe, allocator);
        }
        boolean[] hit = needsHits() ? new boolean[n] : null;
        rowAt = 0;
        chainAt = NOT_STARTED;
        while (true) {
          int pairs = findPairs(keys, n);
          if (spec.residual != null && pairs > 0) {
            pairs = applyResidual(probe, pairs);
          }
          boolean last = rowAt >= n;
          Batch shaped = shape(probe, keys, n, pairs, hit, last);
          if (shaped != null) {
            out.accept(shaped);
          }
          if (last) {
            return;
          }
          stopIfCancelled.run();
        }
      } finally {
        Batches.closeAll(keys);
      }
    }
  }

  /** Whether the output depends on which probe rows found a match. */
  private boolean needsHits() {
    return !spec.emitBuildSide && spec.type != JoinType.INNER && spec.type != JoinType.RIGHT;
  }

  /** The next pairs, at most {@link #MAX_PAIRS}, from where the last call stopped; {@link #rowAt} is n once all are found. */
  private int findPairs(ValueVector[] keys, int n) {
    boolean firstOnly = spec.residual == null && !spec.emitBuildSide
        && (spec.type == JoinType.SEMI || spec.type == JoinType.ANTI || spec.type == JoinType.MARK);
    int count = 0;
    for (int i = rowAt; i < n; i++, chainAt = NOT_STARTED) {
      long h;
      int j;
      if (chainAt == NOT_STARTED) {
        if (KeyVectors.hasNullKey(keys, spec.nullSafe, i)) {
          continue;
        }
        h = KeyVectors.hash(keys, i);
        j = table.first(h);
      } else {
        h = hashAt;
        j = chainAt;
      }
      for (; j >= 0; j = table.next(j, h)) {
        if (!KeyVectors.equal(keys, i, table.keys, j)) {
          continue;
        }
        if (count == MAX_PAIRS) {
          rowAt = i;
          chainAt = j;
          hashAt = h;
          return count;
        }
        room(count + 1);
        probeRows[count] = i;
        buildRows[count] = j;
        count++;
        if (firstOnly) {
          break;
        }
      }
    }
    rowAt = n;
    return count;
  }

  private void room(int pairs) {
    if (pairs > probeRows.length) {
      int size = Math.max(pairs, probeRows.length * 2);
      probeRows = Arrays.copyOf(probeRows, size);
      buildRows = Arrays.copyOf(buildRows, size);
    }
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

  /**
   * The output of one step's pairs, which {@code hit} records for the probe rows; on the
   * {@code last} step also what depends on all of a row's matches (unmatched rows, SEMI, ANTI, marks).
   */
  private Batch shape(Batch probe, ValueVector[] keys, int n, int pairs, boolean[] hit, boolean last) {
    markBuild(pairs);
    if (spec.emitBuildSide) {
      return null;
    }
    switch (spec.type) {
      case INNER:
      case RIGHT:
        return pairs == 0 ? null : joinedRows(probe, pairs);
      case SEMI:
      case ANTI: {
        markHits(pairs, hit);
        if (!last) {
          return null;
        }
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
        markHits(pairs, hit);
        return last ? withMark(probe, keys, n, hit) : null;
      default: {
        // LEFT, FULL, SINGLE: every probe row appears; unmatched ones, after the last step, with NULLs.
        for (int p = 0; p < pairs; p++) {
          if (spec.type == JoinType.SINGLE && hit[probeRows[p]]) {
            throw KilnException.execution("a scalar subquery returned more than one row");
          }
          hit[probeRows[p]] = true;
        }
        int k = pairs;
        if (last) {
          for (int i = 0; i < n; i++) {
            if (!hit[i]) {
              room(k + 1);
              probeRows[k] = i;
              buildRows[k] = -1;
              k++;
            }
          }
        }
        return k == 0 ? null : joinedRows(probe, k);
      }
    }
  }

  private void markHits(int pairs, boolean[] hit) {
    for (int p = 0; p < pairs; p++) {
      hit[probeRows[p]] = true;
    }
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
    boolean[] unknownByResidual = inKey >= 0 && spec.residual != null ? unknownUnderResidual(probe, keys, n, hit, corr)
        : null;
    for (int i = 0; i < n; i++) {
      if (hit[i]) {
        mark.set(i, 1);
        continue;
      }
      if (inKey < 0) {
        mark.set(i, 0);
        continue;
      }
      boolean unknown;
      if (unknownByResidual != null) {
        unknown = unknownByResidual[i];
      } else {
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
        unknown = keys[inKey].isNull(i) ? groupNonEmpty : groupHasNull;
      }
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

  /**
   * For an IN whose subquery is correlated by a condition the keys do not cover (the residual):
   * per unmatched probe row, whether a build row of its own (equal correlation keys, and passing
   * the residual with it) makes its mark NULL: one with a NULL value, or any one when the probe's
   * value is NULL. The candidate pairs are checked {@link #MAX_PAIRS} at a time.
   */
  private boolean[] unknownUnderResidual(Batch probe, ValueVector[] keys, int n, boolean[] hit, ValueVector[] corr) {
    ValueVector buildValues = table.keys[spec.nullAwareKey];
    boolean[] unknown = new boolean[n];
    int pairs = 0;
    for (int i = 0; i < n; i++) {
      if (hit[i]) {
        continue;
      }
      boolean anyValue = keys[spec.nullAwareKey].isNull(i);
      if (groups == null) {
        int[] candidates = anyValue ? null : nullValueRows(buildValues);
        int count = anyValue ? table.size() : candidates.length;
        for (int c = 0; c < count; c++) {
          pairs = addCandidate(probe, i, anyValue ? c : candidates[c], pairs, unknown);
        }
      } else if (!KeyVectors.hasNullKey(corr, groups.nullSafe, i)) {
        long h = KeyVectors.hash(corr, i);
        for (int j = groups.first(h); j >= 0; j = groups.next(j, h)) {
          if (KeyVectors.equal(corr, i, groups.keys, j) && (anyValue || buildValues.isNull(j))) {
            pairs = addCandidate(probe, i, j, pairs, unknown);
          }
        }
      }
      stopIfCancelled.run();
    }
    markPassing(probe, pairs, unknown);
    return unknown;
  }

  private int addCandidate(Batch probe, int probeRow, int buildRow, int pairs, boolean[] unknown) {
    if (pairs == MAX_PAIRS) {
      markPassing(probe, pairs, unknown);
      pairs = 0;
    }
    room(pairs + 1);
    probeRows[pairs] = probeRow;
    buildRows[pairs] = buildRow;
    return pairs + 1;
  }

  /** Marks the probe rows of the candidate pairs that pass the residual. */
  private void markPassing(Batch probe, int pairs, boolean[] unknown) {
    if (pairs == 0) {
      return;
    }
    int kept = applyResidual(probe, pairs);
    for (int p = 0; p < kept; p++) {
      unknown[probeRows[p]] = true;
    }
  }

  /** The build rows whose IN value is NULL, found once. */
  private int[] nullValueRows(ValueVector buildValues) {
    if (nullValueRows == null) {
      int count = 0;
      int[] rows = new int[table.size()];
      for (int j = 0; j < table.size(); j++) {
        if (buildValues.isNull(j)) {
          rows[count++] = j;
        }
      }
      nullValueRows = Arrays.copyOf(rows, count);
    }
    return nullValueRows;
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
