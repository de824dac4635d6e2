package io.kiln.codegen;

import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.types.DataType;
import java.util.List;

/**
 * A column of the row a generated loop works on, and where its value comes from: a column of the
 * input batch, a build column of a fused join probe (at that probe's build row), a computed
 * expression over other slots, or a value a probe stored for the later loops of its segment (a
 * MARK join's mark). {@link #val} holds the variables of the current loop once loaded; a new loop
 * starts with every slot unloaded, and reading, recomputing or fetching the value again is what
 * lets a segment run as several loops (a join probe's phases) without materializing rows.
 */
final class Slot {
  enum Kind { INPUT, BUILD, COMPUTED, CARRIED }

  final Kind kind;
  final DataType type;
  /** INPUT: the input batch's column; BUILD: the build side's column. */
  final int column;
  /** BUILD: the field holding the probe's table, the variable holding the build row, and whether it may be -1 (NULL). */
  final String table;
  final String buildRow;
  final boolean nullRow;
  /** COMPUTED: the expression and the slots (in the order of {@code layout}) it reads. */
  final Expr expr;
  final List<Slot> scope;
  final List<ColumnRef> layout;

  /** The value in the current loop, or null until loaded there. */
  Val val;
  /** INPUT and BUILD: buffer addresses, read once per batch. */
  String data;
  String validity;
  String noNulls;
  String offsets;

  private Slot(Kind kind, DataType type, int column, String table, String buildRow, boolean nullRow, Expr expr,
      List<Slot> scope, List<ColumnRef> layout) {
    this.kind = kind;
    this.type = type;
    this.column = column;
    this.table = table;
    this.buildRow = buildRow;
    this.nullRow = nullRow;
    this.expr = expr;
    this.scope = scope;
    this.layout = layout;
  }

  static Slot input(int column, DataType type) {
    return new Slot(Kind.INPUT, type, column, null, null, false, null, null, null);
  }

  static Slot build(String table, int column, DataType type, String buildRow, boolean nullRow) {
    return new Slot(Kind.BUILD, type, column, table, buildRow, nullRow, null, null, null);
  }

  static Slot computed(Expr expr, List<Slot> scope, List<ColumnRef> layout) {
    return new Slot(Kind.COMPUTED, expr.type(), -1, null, null, false, expr, List.copyOf(scope), layout);
  }

  static Slot carried(DataType type) {
    return new Slot(Kind.CARRIED, type, -1, null, null, false, null, null, null);
  }

  /** The input batch's column this slot is, or -1 (its values must be written out). */
  int inputColumn() {
    return kind == Kind.INPUT ? column : -1;
  }
}
