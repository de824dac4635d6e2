package io.kiln.physical.agg;

import io.kiln.logical.AggregateCall;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The columns a PARTIAL aggregation outputs and its FINAL aggregation reads: the grouping keys, then
 * each aggregate's state columns (see {@link AggStates} for each state's layout), so the planner can
 * type the exchange between the phases. Columns are in the engine's physical encodings: a key of
 * type DATE or DECIMAL travels as Int64, as in every engine batch.
 */
public final class AggregateLayout {
  private AggregateLayout() {}

  /** One aggregate's state columns, named as the state names them ({@code sum}, {@code count}...). */
  public static List<Field> stateFields(AggregateCall call) {
    return AggStates.create(call).stateFields();
  }

  /**
   * PARTIAL's output columns: key k is named {@code keyNames.get(k)} (nullable: NULL is a key), and
   * state column {@code s} of aggregate {@code i} is named {@code a<i>_<s>} (for example
   * {@code a0_sum}, {@code a0_count}), unique as long as no key name takes that form.
   */
  public static List<Field> partialFields(List<String> keyNames, List<DataType> keyTypes, List<AggregateCall> calls) {
    if (keyNames.size() != keyTypes.size()) {
      throw new IllegalArgumentException(keyNames.size() + " key names for " + keyTypes.size() + " keys");
    }
    List<Field> fields = new ArrayList<>();
    for (int k = 0; k < keyTypes.size(); k++) {
      fields.add(StateVectors.column(keyNames.get(k), keyTypes.get(k).kind(), true));
    }
    for (int i = 0; i < calls.size(); i++) {
      for (Field f : stateFields(calls.get(i))) {
        fields.add(renamed(f, "a" + i + "_" + f.getName()));
      }
    }
    return fields;
  }

  /** {@link #partialFields(List, List, List)} with keys named {@code k0, k1, ...}. */
  public static List<Field> partialFields(List<DataType> keyTypes, List<AggregateCall> calls) {
    List<String> names = new ArrayList<>();
    for (int k = 0; k < keyTypes.size(); k++) {
      names.add("k" + k);
    }
    return partialFields(names, keyTypes, calls);
  }

  /** {@link #partialFields(List, List)} as an Arrow schema, for IPC files and Flight streams. */
  public static Schema partialSchema(List<DataType> keyTypes, List<AggregateCall> calls) {
    return new Schema(partialFields(keyTypes, calls));
  }

  /** How many state columns each aggregate has, in order. */
  static int[] stateWidths(List<AggregateCall> calls) {
    int[] widths = new int[calls.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = stateFields(calls.get(i)).size();
    }
    return widths;
  }

  private static Field renamed(Field f, String name) {
    FieldType t = f.getFieldType();
    return new Field(name, t, f.getChildren());
  }
}
