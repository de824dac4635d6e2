package io.kiln.codegen;

import io.kiln.physical.FusionSpec;
import java.util.List;

/**
 * The top-N cut-off, fused into the segment that writes the rows for an ORDER BY ... LIMIT: once
 * the worker holds enough rows, each row's sort keys (in variables anyway, being output columns)
 * are compared against the cut-off row's keys, read once per batch, and a row that does not sort
 * before it is never written. The sink then takes the batch without comparing its rows again,
 * where the interpreted path reads every row's keys through getters and copies the survivors. The
 * comparison is RowComparator's: NULL placement independent of the direction, Double.compare for
 * doubles, unsigned bytes for strings.
 */
final class TopNCutoffs {
  private static final String LOCAL = "io.kiln.physical.sink.SortSink.TopNLocal";
  private static final String CUTOFF = "io.kiln.physical.sink.CutoffRow";

  private final ClassBuilder cls;
  private final FusionSpec.TopN topN;
  private String cutoff;
  private String[] nulls;
  private String[] values;
  private String[] lengths;

  TopNCutoffs(ClassBuilder cls, FusionSpec.TopN topN) {
    this.cls = cls;
    this.topN = topN;
  }

  /** Reads the worker's cut-off keys for this batch (the cut-off only changes when a batch is pushed). */
  void setup(Code setup) {
    cutoff = cls.mutableField(CUTOFF, "cutoff", "null");
    setup.comment(topN.shown() + ": the worker's cut-off row, if it holds enough rows yet");
    setup.line(cutoff + " = ((" + LOCAL + ") local).cutoff();");
    int n = topN.keys().size();
    nulls = new String[n];
    values = new String[n];
    lengths = new String[n];
    for (int k = 0; k < n; k++) {
      io.kiln.types.DataType type = topN.input().get(topN.keys().get(k)).type();
      nulls[k] = cls.var(setup, "boolean", "cutNull", cutoff + " != null && " + cutoff + ".isNull(" + k + ")");
      String known = cutoff + " != null && !" + nulls[k] + " ? ";
      switch (type.kind()) {
        case LONG:
          values[k] = cls.var(setup, "long", "cut", known + cutoff + ".longKey(" + k + ") : 0L");
          break;
        case DOUBLE:
          values[k] = cls.var(setup, "double", "cut", known + cutoff + ".doubleKey(" + k + ") : 0.0");
          break;
        case BOOLEAN:
          values[k] = cls.var(setup, "boolean", "cut", known + cutoff + ".booleanKey(" + k + ") : false");
          break;
        default:
          values[k] = cls.var(setup, "long", "cutAddr", known + cutoff + ".address(" + k + ") : 0L");
          lengths[k] = cls.var(setup, "int", "cutLen", known + cutoff + ".length(" + k + ") : 0");
      }
    }
  }

  /** Rejects the current row (with {@code reject}) unless it sorts before the cut-off row. */
  void compare(Row row, List<Slot> slots, Code code, String reject) {
    code.comment(topN.shown() + ": only rows sorting before the cut-off row can be in the result");
    // The keys are loaded outside the block: the row's output reuses them.
    for (int key : topN.keys()) {
      row.load(slots.get(key), code);
    }
    code.open("if (" + cutoff + " != null)");
    String c = cls.var(code, "int", "cmp", "0");
    for (int k = 0; k < topN.keys().size(); k++) {
      Val v = slots.get(topN.keys().get(k)).val;
      boolean nullsFirst = topN.nullsFirst().get(k);
      if (k > 0) {
        code.open("if (" + c + " == 0)");
      }
      // As RowComparator: NULLs first or last whatever the direction.
      code.open("if (" + v.isNull + " || " + nulls[k] + ")");
      code.line(c + " = " + v.isNull + " && " + nulls[k] + " ? 0 : " + v.isNull + " ? " + (nullsFirst ? "-1 : 1" : "1 : -1")
          + ";");
      code.orElse();
      code.line(c + " = " + (topN.ascending().get(k) ? "" : "-") + comparison(v, k) + ";");
      code.close();
      if (k > 0) {
        code.close();
      }
    }
    code.line("if (" + c + " >= 0) " + reject);
    code.close();
  }

  private String comparison(Val v, int k) {
    switch (v.kind()) {
      case LONG:
        return "Long.compare(" + v.value + ", " + values[k] + ")";
      case DOUBLE:
        return "Double.compare(" + v.value + ", " + values[k] + ")";
      case BOOLEAN:
        return "Boolean.compare(" + v.value + ", " + values[k] + ")";
      default:
        String cut = values[k] + ", " + lengths[k];
        return v.isSlice() ? "io.kiln.codegen.runtime.Strs.compare(" + v.addr + ", " + v.len + ", " + cut + ")"
            : "-io.kiln.codegen.runtime.Strs.compare(" + cut + ", " + v.value + ")";
    }
  }

  /** The statement handing the batch to the top-N, saying which cut-off its rows were compared with. */
  String push(String batch) {
    return "((" + LOCAL + ") local).push(" + batch + ", " + cutoff + ");";
  }
}
