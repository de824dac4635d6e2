package io.kiln.physical.agg;

import io.kiln.data.Vectors;
import io.kiln.logical.AggregateCall;
import io.kiln.types.PhysicalKind;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The aggregates that need every value of a group: quantile_cont, quantile_disc (and median) and
 * string_agg. Each group keeps its non-NULL values in an array of the argument's kind (LONG,
 * DOUBLE or STRING as UTF-8 bytes); the final value sorts them. The state is {@code values}, a List
 * of the argument's kind, not null (empty without values), in no particular order.
 */
public final class CollectState implements AggState {
  private final AggregateCall call;
  private final PhysicalKind kind;
  private int[] counts = new int[16];
  private long[][] longs;
  private double[][] doubles;
  private byte[][][] strings;

  CollectState(AggregateCall call) {
    this.call = call;
    this.kind = call.arg().type().kind();
    switch (kind) {
      case LONG -> longs = new long[16][];
      case DOUBLE -> doubles = new double[16][];
      case STRING -> strings = new byte[16][][];
      default -> throw new IllegalArgumentException(call + " collects values of kind " + kind);
    }
  }

  /** One row of generated code's update: a boxed Long, Double or String, never null. */
  public void add(int g, Object v) {
    switch (kind) {
      case LONG -> addLong(g, (Long) v);
      case DOUBLE -> addDouble(g, (Double) v);
      default -> addBytes(g, ((String) v).getBytes(StandardCharsets.UTF_8));
    }
  }

  private void addLong(int g, long v) {
    long[] a = longs[g];
    int n = counts[g];
    if (a == null || n == a.length) {
      a = longs[g] = a == null ? new long[4] : Arrays.copyOf(a, n * 2);
    }
    a[n] = v;
    counts[g] = n + 1;
  }

  private void addDouble(int g, double v) {
    double[] a = doubles[g];
    int n = counts[g];
    if (a == null || n == a.length) {
      a = doubles[g] = a == null ? new double[4] : Arrays.copyOf(a, n * 2);
    }
    a[n] = v;
    counts[g] = n + 1;
  }

  private void addBytes(int g, byte[] v) {
    byte[][] a = strings[g];
    int n = counts[g];
    if (a == null || n == a.length) {
      a = strings[g] = a == null ? new byte[4][] : Arrays.copyOf(a, n * 2);
    }
    a[n] = v;
    counts[g] = n + 1;
  }

  /** Appends value i of {@code v} (not NULL) to group g. */
  private void addFrom(ValueVector v, int i, int g) {
    switch (kind) {
      case LONG -> addLong(g, ((BigIntVector) v).get(i));
      case DOUBLE -> addDouble(g, ((Float8Vector) v).get(i));
      default -> addBytes(g, ((VarCharVector) v).get(i));
    }
  }

  @Override
  public void update(int[] groups, int n, ValueVector arg, BitVector filter) {
    for (int i = 0; i < n; i++) {
      if (!AggState.skip(arg, filter, i)) {
        addFrom(arg, i, groups[i]);
      }
    }
  }

  @Override
  public void merge(AggState other, int[] map, int otherGroups) {
    CollectState o = (CollectState) other;
    for (int g = 0; g < otherGroups; g++) {
      for (int i = 0; i < o.counts[g]; i++) {
        switch (kind) {
          case LONG -> addLong(map[g], o.longs[g][i]);
          case DOUBLE -> addDouble(map[g], o.doubles[g][i]);
          default -> addBytes(map[g], o.strings[g][i]);
        }
      }
    }
  }

  @Override
  public void ensure(int groups) {
    if (counts.length >= groups) {
      return;
    }
    int size = Math.max(groups, counts.length * 2);
    counts = Arrays.copyOf(counts, size);
    switch (kind) {
      case LONG -> longs = Arrays.copyOf(longs, size);
      case DOUBLE -> doubles = Arrays.copyOf(doubles, size);
      default -> strings = Arrays.copyOf(strings, size);
    }
  }

  @Override
  public List<Field> stateFields() {
    return List.of(StateVectors.list("values", kind));
  }

  @Override
  public ValueVector[] writeState(int groups, BufferAllocator allocator) {
    ListVector v = (ListVector) StateVectors.allocate(stateFields().get(0), groups, allocator);
    ValueVector[] out = {v};
    return StateVectors.built(out, () -> {
      ValueVector items = v.getDataVector();
      for (int g = 0; g < groups; g++) {
        int at = v.startNewValue(g);
        for (int i = 0; i < counts[g]; i++, at++) {
          switch (kind) {
            case LONG -> ((BigIntVector) items).setSafe(at, longs[g][i]);
            case DOUBLE -> ((Float8Vector) items).setSafe(at, doubles[g][i]);
            default -> ((VarCharVector) items).setSafe(at, strings[g][i]);
          }
        }
        v.endValue(g, counts[g]);
      }
      v.setValueCount(groups);
    });
  }

  @Override
  public void mergeState(int[] groupIds, int n, ValueVector[] stateColumns) {
    StateVectors.forEachListItem((ListVector) stateColumns[0], groupIds, n, this::addFrom);
  }

  @Override
  public ValueVector result(int groups, BufferAllocator allocator) {
    ValueVector out = Vectors.allocate(call.type(), "result", allocator, groups);
    try {
      for (int g = 0; g < groups; g++) {
        if (counts[g] == 0) {
          Vectors.setNull(out, g);
        } else if (call.fn() == AggregateCall.Fn.STRING_AGG) {
          ((VarCharVector) out).setSafe(g, joined(g));
        } else {
          quantile(g, out);
        }
      }
      out.setValueCount(groups);
      return out;
    } catch (RuntimeException | Error e) {
      out.close();
      throw e;
    }
  }

  /**
   * As DuckDB 2.0: quantile_disc takes the value at index ceil(n × fraction) - 1; quantile_cont
   * interpolates at position (n - 1) × fraction between the values at its floor and ceiling, in
   * double arithmetic: decimals truncate the result toward zero, timestamps round it half away.
   */
  private void quantile(int g, ValueVector out) {
    int n = counts[g];
    double fraction = ((Number) call.param().value()).doubleValue();
    boolean discrete = call.fn() == AggregateCall.Fn.QUANTILE_DISC;
    int lo;
    int hi;
    double d;
    if (discrete) {
      lo = hi = (int) Math.max(0, Math.ceil(n * fraction) - 1);
      d = 0;
    } else {
      double position = (n - 1) * fraction;
      lo = (int) Math.floor(position);
      hi = (int) Math.ceil(position);
      d = position - lo;
    }
    switch (kind) {
      case LONG -> {
        long[] a = longs[g];
        Arrays.sort(a, 0, n);
        long value = a[lo];
        if (lo != hi) {
          double v = a[lo] + (double) (a[hi] - a[lo]) * d;
          value = call.type().id() == io.kiln.types.DataType.Id.TIMESTAMP
              ? (v < 0 ? -Math.round(-v) : Math.round(v)) : (long) v;
        }
        ((BigIntVector) out).set(g, value);
      }
      case DOUBLE -> {
        double[] a = doubles[g];
        Arrays.sort(a, 0, n);
        ((Float8Vector) out).set(g, lo == hi ? a[lo] : a[lo] + (a[hi] - a[lo]) * d);
      }
      default -> {
        byte[][] a = strings[g];
        Arrays.sort(a, 0, n, Arrays::compareUnsigned); // UTF-8 bytes sort in code point order
        ((VarCharVector) out).setSafe(g, a[lo]);
      }
    }
  }

  /** Group g's values in the call's order, as UTF-8 text. */
  private byte[][] texts(int g) {
    int n = counts[g];
    boolean sorted = call.order() != AggregateCall.ValueOrder.AS_READ;
    boolean descending = call.order() == AggregateCall.ValueOrder.DESCENDING;
    if (kind == PhysicalKind.STRING) {
      byte[][] a = strings[g];
      if (sorted) {
        Arrays.sort(a, 0, n, descending ? (x, y) -> Arrays.compareUnsigned(y, x) : Arrays::compareUnsigned);
      }
      return a;
    }
    io.kiln.types.DataType type = call.arg().type();
    byte[][] out = new byte[n][];
    if (kind == PhysicalKind.LONG) {
      long[] a = longs[g];
      if (sorted) {
        Arrays.sort(a, 0, n);
      }
      for (int i = 0; i < n; i++) {
        out[descending ? n - 1 - i : i] = text(a[i], type);
      }
    } else {
      double[] a = doubles[g];
      if (sorted) {
        Arrays.sort(a, 0, n);
      }
      for (int i = 0; i < n; i++) {
        out[descending ? n - 1 - i : i] = text(a[i], type);
      }
    }
    return out;
  }

  private static byte[] text(Object value, io.kiln.types.DataType type) {
    return ((String) io.kiln.types.Casts.cast(value, type, io.kiln.types.DataType.VARCHAR))
        .getBytes(StandardCharsets.UTF_8);
  }

  private byte[] joined(int g) {
    int n = counts[g];
    byte[][] a = texts(g);
    byte[] separator = ((String) call.param().value()).getBytes(StandardCharsets.UTF_8);
    int size = separator.length * (n - 1);
    for (int i = 0; i < n; i++) {
      size += a[i].length;
    }
    byte[] out = new byte[size];
    int at = 0;
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        System.arraycopy(separator, 0, out, at, separator.length);
        at += separator.length;
      }
      System.arraycopy(a[i], 0, out, at, a[i].length);
      at += a[i].length;
    }
    return out;
  }
}
