package io.kiln.physical.join;

import io.kiln.logical.JoinType;
import io.kiln.physical.expr.Evaluator;
import io.kiln.types.DataType;
import java.util.List;

/** Everything a hash join needs to know besides its build table. */
final class JoinSpec {
  final JoinType type;
  final List<Evaluator> probeKeys;
  final List<Evaluator> buildKeys;
  final boolean[] nullSafe;
  /** Condition over [probe columns, build columns] checked on key matches, or null. */
  final Evaluator residual;
  final List<DataType> probeTypes;
  final List<DataType> buildTypes;
  /** For MARK joins from IN: which key is the IN value (-1 for EXISTS). */
  final int nullAwareKey;
  /**
   * SEMI/ANTI with the preserved (left) side as the build side: probes only mark build rows, and
   * the matched (SEMI) or unmatched (ANTI) build rows are emitted at the end. Chosen when the
   * left side is the smaller one (TPC-H Q4: a few orders against most of lineitem).
   */
  boolean emitBuildSide;
  /** Set when the table is built: some build row has a NULL IN value. */
  boolean buildHasNullInKey;

  JoinSpec(JoinType type, List<Evaluator> probeKeys, List<Evaluator> buildKeys, boolean[] nullSafe, Evaluator residual,
      List<DataType> probeTypes, List<DataType> buildTypes, int nullAwareKey) {
    this.type = type;
    this.probeKeys = probeKeys;
    this.buildKeys = buildKeys;
    this.nullSafe = nullSafe;
    this.residual = residual;
    this.probeTypes = probeTypes;
    this.buildTypes = buildTypes;
    this.nullAwareKey = nullAwareKey;
  }
}
