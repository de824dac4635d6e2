package io.kiln.physical.agg;

import io.kiln.data.Bytes;
import io.kiln.data.Vectors;
import io.kiln.error.KilnException;
import io.kiln.logical.AggregateCall;
import io.kiln.physical.expr.VectorOps;
import io.kiln.types.DataType;
import io.kiln.types.Decimals;
import io.kiln.types.PhysicalKind;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The aggregate state implementations, one small class per function family.
 *
 * <p>Each state's intermediate form (its {@link AggState#stateFields}, one row per group) is a wire
 * format shared by PARTIAL and FINAL aggregation; values travel in the engine's encodings (integers,
 * decimals scaled by the argument's scale, dates and timestamps as Int64; floats as Float8):
 * <ul>
 * <li>count(*), count(x): {@code count} Int64 not null.
 * <li>sum, avg of integers and decimals: {@code sum} Int64 not null (0 without values, in the
 *     argument's scale), {@code count} Int64 not null (values summed; 0 makes sum NULL).
 * <li>sum, avg of floats: {@code sum} Float8 not null, {@code count} Int64 not null.
 * <li>min, max: {@code value} of the argument's kind (Int64, Float8, Bool or Utf8), NULL while the
 *     group has no value.
 * <li>var_samp, var_pop, stddev_samp, stddev_pop: {@code count} Int64, {@code mean} Float8,
 *     {@code m2} Float8 (sum of squared deviations from the mean), all not null; merged by Chan's
 *     formula.
 * <li>bool_and, bool_or: {@code value} Bool, NULL while the group has no value ({@link BoolAndOrState}).
 * <li>quantile_cont, quantile_disc, median, string_agg: {@code values} List of the argument's kind,
 *     not null: every non-NULL value, in no particular order ({@link CollectState}).
 * <li>approx_count_distinct: {@code sketch} Binary, not null: a HyperLogLog sketch in DataSketches'
 *     compact form ({@link ApproxDistinctState}).
 * <li>a user's aggregate: {@code state} Binary, not null: the user's serialized state ({@link UdfAggState}).
 * <li>arg_min, arg_max: {@code by} of the compared value's kind and {@code value} of the
 *     argument's kind, both NULL while the group has no row ({@link ArgMinMaxState}).
 * <li>any DISTINCT aggregate: {@code values} List of the argument's kind, not null: the group's
 *     distinct non-NULL values, in no particular order (empty without values). The final value folds
 *     the union of the lists through the plain aggregate.
 * </ul>
 * A FILTER (WHERE ...) is applied where rows are folded in, so a filtered aggregate's state is that
 * of the same aggregate without the filter.
 */
public final class AggStates {
  private AggStates() {}

  /*
   * The "At" methods read an argument straight from an Arrow buffer of 8-byte values, as generated
   * code and the interpreter hand it over: row r of the call is row {@code sel == null ? r : sel[r]}
   * of the batch, and a validity address of 0 means the batch has no NULLs there. Reading the buffer
   * in the state's own loop spares generated code a copy of every value into an array.
   */

  static boolean isNull(long validity, int row) {
    return validity != 0 && (MemoryUtil.getByte(validity + (row >> 3)) & (1 << (row & 7))) == 0;
  }

  static long longAt(long data, int row) {
    return MemoryUtil.getLong(data + ((long) row << 3));
  }

  static double doubleAt(long data, int row) {
    return Double.longBitsToDouble(MemoryUtil.getLong(data + ((long) row << 3)));
  }

  /** The validity address the "At" methods take for a vector: 0 when it has no NULLs. */
  static long validityOf(ValueVector v) {
    return v.getNullCount() == 0 ? 0L : v.getValidityBuffer().memoryAddress();
  }

  static AggState create(AggregateCall call) {
    DataType argType = call.arg() == null ? null : call.arg().type();
    if (call.distinct()) {
      return argType.kind() == PhysicalKind.STRING ? new Distinct(call, argType) : new DistinctValuesState(call, argType);
    }
    switch (call.fn()) {
      case COUNT_STAR:
      case COUNT:
        return new Count();
      case SUM:
        return argType.kind() == PhysicalKind.DOUBLE ? new SumDouble(false) : new SumLong(call.type(), false, 0);
      case AVG:
        return argType.kind() == PhysicalKind.DOUBLE ? new SumDouble(true)
            : new SumLong(call.type(), true, argType.scale());
      case MIN:
      case MAX:
        return argType.kind() == PhysicalKind.STRING ? new MinMaxString(call.fn() == AggregateCall.Fn.MIN)
            : new MinMax(call.fn() == AggregateCall.Fn.MIN, call.type());
      case BOOL_AND:
      case BOOL_OR:
        return new BoolAndOrState(call.fn() == AggregateCall.Fn.BOOL_AND);
      case QUANTILE_CONT:
      case QUANTILE_DISC:
      case STRING_AGG:
        return new CollectState(call);
      case APPROX_COUNT_DISTINCT:
        return new ApproxDistinctState(argType.kind());
      case UDF:
        return new UdfAggState(call.udf());
      case ARG_MIN:
      case ARG_MAX:
        return new ArgMinMaxState(call);
      default:
        return new Moments(call.fn());
    }
  }

  public static final class Count implements AggState {
    long[] counts = new long[16];

    /** One row of generated code's update. */
    public void add(int g) {
      counts[g]++;
    }

    /** A batch of generated code's rows: row r counts in group {@code groups[r]} unless {@code skip[r]}. */
    public void addAll(int[] groups, boolean[] skip, int n) {
      for (int r = 0; r < n; r++) {
        if (skip == null || !skip[r]) {
          counts[groups[r]]++;
        }
      }
    }

    /** count(x) of generated code's rows: counts the rows whose value is not NULL (see "At" above). */
    public void addAllAt(int[] groups, long validity, int[] sel, int n) {
      for (int r = 0; r < n; r++) {
        if (!isNull(validity, sel == null ? r : sel[r])) {
          counts[groups[r]]++;
        }
      }
    }

    @Override
    public void update(int[] groups, int n, ValueVector arg, BitVector filter) {
      if (filter == null) {
        addAllAt(groups, arg == null ? 0L : validityOf(arg), null, n);
        return;
      }
      for (int i = 0; i < n; i++) {
        if (!AggState.skip(arg, filter, i)) {
          counts[groups[i]]++;
        }
      }
    }

    @Override
    public void merge(AggState other, int[] map, int otherGroups) {
      long[] o = ((Count) other).counts;
      for (int g = 0; g < otherGroups; g++) {
        counts[map[g]] += o[g];
      }
    }

    @Override
    public void ensure(int groups) {
      if (counts.length < groups) {
        counts = Arrays.copyOf(counts, Math.max(groups, counts.length * 2));
      }
    }

    static final List<Field> FIELDS = List.of(StateVectors.column("count", PhysicalKind.LONG, false));

    @Override
    public List<Field> stateFields() {
      return FIELDS;
    }

    @Override
    public ValueVector[] writeState(int groups, BufferAllocator allocator) {
      return new ValueVector[] {StateVectors.longs(FIELDS.get(0), counts, 0, 1, groups, allocator)};
    }

    @Override
    public void mergeState(int[] groupIds, int n, ValueVector[] stateColumns) {
      long data = StateVectors.data(stateColumns[0]);
      long validity = validityOf(stateColumns[0]);
      for (int r = 0; r < n; r++) {
        if (!isNull(validity, r)) {
          counts[groupIds[r]] += longAt(data, r);
        }
      }
    }

    @Override
    public ValueVector result(int groups, BufferAllocator allocator) {
      BigIntVector v = new BigIntVector("count", allocator);
      v.allocateNew(Math.max(groups, 1));
      for (int g = 0; g < groups; g++) {
        v.set(g, counts[g]);
      }
      v.setValueCount(groups);
      return v;
    }
  }

  /** SUM and AVG of integers and decimals: exact, overflow is an error. */
  public static final class SumLong implements AggState {
    final DataType type;
    final boolean average;
    final int argScale;
    /**
     * Group g's sum at {@code 2g} and count of values at {@code 2g + 1}: one cache line per update
     * where two arrays would take two (with a million groups, each is a miss).
     */
    long[] sumsAndCounts = new long[32];

    public void add(int g, long v) {
      try {
        sumsAndCounts[2 * g] = Math.addExact(sumsAndCounts[2 * g], v);
      } catch (ArithmeticException e) {
        throw overflow();
      }
      sumsAndCounts[2 * g + 1]++;
    }

    /** A batch of generated code's rows: row r adds {@code values[r]} to group {@code groups[r]} unless skipped. */
    public void addAll(int[] groups, long[] values, boolean[] skip, int n) {
      long[] state = sumsAndCounts;
      try {
        for (int r = 0; r < n; r++) {
          if (skip == null || !skip[r]) {
            int at = 2 * groups[r];
            state[at] = Math.addExact(state[at], values[r]);
            state[at + 1]++;
          }
        }
      } catch (ArithmeticException e) {
        throw overflow();
      }
    }

    /** A batch of generated code's rows read from an Arrow buffer (see "At" above). */
    public void addAllAt(int[] groups, long data, long validity, int[] sel, int n) {
      long[] state = sumsAndCounts;
      try {
        if (validity == 0 && sel == null) {
          for (int r = 0; r < n; r++) {
            int at = 2 * groups[r];
            state[at] = Math.addExact(state[at], longAt(data, r));
            state[at + 1]++;
          }
          return;
        }
        for (int r = 0; r < n; r++) {
          int row = sel == null ? r : sel[r];
          if (!isNull(validity, row)) {
            int at = 2 * groups[r];
            state[at] = Math.addExact(state[at], longAt(data, row));
            state[at + 1]++;
          }
        }
      } catch (ArithmeticException e) {
        throw overflow();
      }
    }

    SumLong(DataType type, boolean average, int argScale) {
      this.type = type;
      this.average = average;
      this.argScale = argScale;
    }

    @Override
    public void update(int[] groups, int n, ValueVector arg, BitVector filter) {
      BigIntVector v = (BigIntVector) arg;
      if (filter == null) {
        addAllAt(groups, v.getDataBuffer().memoryAddress(), validityOf(v), null, n);
        return;
      }
      for (int i = 0; i < n; i++) {
        if (!AggState.skip(v, filter, i)) {
          add(groups[i], v.get(i));
        }
      }
    }

    @Override
    public void merge(AggState other, int[] map, int otherGroups) {
      long[] o = ((SumLong) other).sumsAndCounts;
      long[] state = sumsAndCounts;
      try {
        for (int g = 0; g < otherGroups; g++) {
          int at = 2 * map[g];
          state[at] = Math.addExact(state[at], o[2 * g]);
          state[at + 1] += o[2 * g + 1];
        }
      } catch (ArithmeticException e) {
        throw overflow();
      }
    }

    private KilnException overflow() {
      return KilnException.execution("overflow in " + (average ? "avg" : "sum") + ": the total does not fit in 18"
          + " digits; cast the argument to DOUBLE");
    }

    @Override
    public void ensure(int groups) {
      if (sumsAndCounts.length < 2 * groups) {
        sumsAndCounts = Arrays.copyOf(sumsAndCounts, 2 * Math.max(groups, sumsAndCounts.length));
      }
    }

    static final List<Field> FIELDS = List.of(StateVectors.column("sum", PhysicalKind.LONG, false),
        StateVectors.column("count", PhysicalKind.LONG, false));

    @Override
    public List<Field> stateFields() {
      return FIELDS;
    }

    @Override
    public ValueVector[] writeState(int groups, BufferAllocator allocator) {
      ValueVector[] out = new ValueVector[2];
      return StateVectors.built(out, () -> {
        out[0] = StateVectors.longs(FIELDS.get(0), sumsAndCounts, 0, 2, groups, allocator);
        out[1] = StateVectors.longs(FIELDS.get(1), sumsAndCounts, 1, 2, groups, allocator);
      });
    }

    /** Overflow of a merged sum is an error, as in {@link #merge}. */
    @Override
    public void mergeState(int[] groupIds, int n, ValueVector[] stateColumns) {
      long sums = StateVectors.data(stateColumns[0]);
      long counts = StateVectors.data(stateColumns[1]);
      long validity = validityOf(stateColumns[1]);
      long[] state = sumsAndCounts;
      try {
        for (int r = 0; r < n; r++) {
          if (!isNull(validity, r)) {
            int at = 2 * groupIds[r];
            state[at] = Math.addExact(state[at], longAt(sums, r));
            state[at + 1] += longAt(counts, r);
          }
        }
      } catch (ArithmeticException e) {
        throw overflow();
      }
    }

    @Override
    public ValueVector result(int groups, BufferAllocator allocator) {
      BigIntVector v = new BigIntVector("sum", allocator);
      v.allocateNew(Math.max(groups, 1));
      for (int g = 0; g < groups; g++) {
        long sum = sumsAndCounts[2 * g];
        long count = sumsAndCounts[2 * g + 1];
        if (count > 0) {
          v.set(g, average ? Decimals.divide(sum, argScale, count, 0, type.scale()) : sum);
        }
      }
      v.setValueCount(groups);
      return v;
    }
  }

  public static final class SumDouble implements AggState {
    final boolean average;
    double[] sums = new double[16];
    long[] counts = new long[16];

    public void add(int g, double v) {
      sums[g] += v;
      counts[g]++;
    }

    /** A batch of generated code's rows: row r adds {@code values[r]} to group {@code groups[r]} unless skipped. */
    public void addAll(int[] groups, double[] values, boolean[] skip, int n) {
      for (int r = 0; r < n; r++) {
        if (skip == null || !skip[r]) {
          int g = groups[r];
          sums[g] += values[r];
          counts[g]++;
        }
      }
    }

    /** A batch of generated code's rows read from an Arrow buffer (see "At" above). */
    public void addAllAt(int[] groups, long data, long validity, int[] sel, int n) {
      double[] sums = this.sums;
      long[] counts = this.counts;
      for (int r = 0; r < n; r++) {
        int row = sel == null ? r : sel[r];
        if (!isNull(validity, row)) {
          int g = groups[r];
          sums[g] += doubleAt(data, row);
          counts[g]++;
        }
      }
    }

    SumDouble(boolean average) {
      this.average = average;
    }

    @Override
    public void update(int[] groups, int n, ValueVector arg, BitVector filter) {
      Float8Vector v = (Float8Vector) arg;
      if (filter == null) {
        addAllAt(groups, v.getDataBuffer().memoryAddress(), validityOf(v), null, n);
        return;
      }
      for (int i = 0; i < n; i++) {
        if (!AggState.skip(v, filter, i)) {
          sums[groups[i]] += v.get(i);
          counts[groups[i]]++;
        }
      }
    }

    @Override
    public void merge(AggState other, int[] map, int otherGroups) {
      SumDouble o = (SumDouble) other;
      for (int g = 0; g < otherGroups; g++) {
        sums[map[g]] += o.sums[g];
        counts[map[g]] += o.counts[g];
      }
    }

    @Override
    public void ensure(int groups) {
      if (sums.length < groups) {
        int c = Math.max(groups, sums.length * 2);
        sums = Arrays.copyOf(sums, c);
        counts = Arrays.copyOf(counts, c);
      }
    }

    static final List<Field> FIELDS = List.of(StateVectors.column("sum", PhysicalKind.DOUBLE, false),
        StateVectors.column("count", PhysicalKind.LONG, false));

    @Override
    public List<Field> stateFields() {
      return FIELDS;
    }

    @Override
    public ValueVector[] writeState(int groups, BufferAllocator allocator) {
      ValueVector[] out = new ValueVector[2];
      return StateVectors.built(out, () -> {
        out[0] = StateVectors.doubles(FIELDS.get(0), sums, groups, allocator);
        out[1] = StateVectors.longs(FIELDS.get(1), counts, 0, 1, groups, allocator);
      });
    }

    @Override
    public void mergeState(int[] groupIds, int n, ValueVector[] stateColumns) {
      long sumData = StateVectors.data(stateColumns[0]);
      long countData = StateVectors.data(stateColumns[1]);
      long validity = validityOf(stateColumns[1]);
      for (int r = 0; r < n; r++) {
        if (!isNull(validity, r)) {
          int g = groupIds[r];
          sums[g] += doubleAt(sumData, r);
          counts[g] += longAt(countData, r);
        }
      }
    }

    @Override
    public ValueVector result(int groups, BufferAllocator allocator) {
      Float8Vector v = new Float8Vector("sum", allocator);
      v.allocateNew(Math.max(groups, 1));
      for (int g = 0; g < groups; g++) {
        if (counts[g] > 0) {
          v.set(g, average ? sums[g] / counts[g] : sums[g]);
        }
      }
      v.setValueCount(groups);
      return v;
    }
  }

  /**
   * MIN / MAX of numbers, dates, timestamps and booleans (strings: {@link MinMaxString}). Booleans
   * are the longs 0 and 1, so MIN is AND and MAX is OR.
   */
  public static final class MinMax implements AggState {
    final boolean min;
    final DataType type;
    long[] longs = new long[16];
    double[] doubles;
    boolean[] has = new boolean[16];

    public void add(int g, long x) {
      if (!has[g] || (min ? x < longs[g] : x > longs[g])) {
        longs[g] = x;
      }
      has[g] = true;
    }

    public void add(int g, double x) {
      if (!has[g] || (min ? Double.compare(x, doubles[g]) < 0 : Double.compare(x, doubles[g]) > 0)) {
        doubles[g] = x;
      }
      has[g] = true;
    }

    /** A batch of generated code's rows: row r goes to group {@code groups[r]} unless skipped. */
    public void addAll(int[] groups, long[] values, boolean[] skip, int n) {
      for (int r = 0; r < n; r++) {
        if (skip == null || !skip[r]) {
          add(groups[r], values[r]);
        }
      }
    }

    /** A batch of generated code's rows: row r goes to group {@code groups[r]} unless skipped. */
    public void addAll(int[] groups, double[] values, boolean[] skip, int n) {
      for (int r = 0; r < n; r++) {
        if (skip == null || !skip[r]) {
          add(groups[r], values[r]);
        }
      }
    }

    /** A batch of generated code's rows read from an Arrow buffer of longs or doubles (see "At" above). */
    public void addAllAt(int[] groups, long data, long validity, int[] sel, int n) {
      boolean isDouble = doubles != null;
      for (int r = 0; r < n; r++) {
        int row = sel == null ? r : sel[r];
        if (isNull(validity, row)) {
          continue;
        }
        if (isDouble) {
          add(groups[r], doubleAt(data, row));
        } else {
          add(groups[r], longAt(data, row));
        }
      }
    }

    MinMax(boolean min, DataType type) {
      this.min = min;
      this.type = type;
      if (type.kind() == PhysicalKind.DOUBLE) {
        doubles = new double[16];
      }
    }

    @Override
    public void update(int[] groups, int n, ValueVector arg, BitVector filter) {
      for (int i = 0; i < n; i++) {
        if (AggState.skip(arg, filter, i)) {
          continue;
        }
        if (arg instanceof Float8Vector) {
          add(groups[i], ((Float8Vector) arg).get(i));
        } else {
          add(groups[i], arg instanceof BitVector ? ((BitVector) arg).get(i) : ((BigIntVector) arg).get(i));
        }
      }
    }

    @Override
    public void merge(AggState other, int[] map, int otherGroups) {
      MinMax o = (MinMax) other;
      for (int g = 0; g < otherGroups; g++) {
        if (!o.has[g]) {
          continue;
        }
        if (doubles != null) {
          add(map[g], o.doubles[g]);
        } else {
          add(map[g], o.longs[g]);
        }
      }
    }

    @Override
    public void ensure(int groups) {
      if (has.length < groups) {
        int c = Math.max(groups, has.length * 2);
        has = Arrays.copyOf(has, c);
        longs = Arrays.copyOf(longs, c);
        if (doubles != null) {
          doubles = Arrays.copyOf(doubles, c);
        }
      }
    }

    @Override
    public List<Field> stateFields() {
      return List.of(StateVectors.column("value", type.kind(), true));
    }

    /** The state is the value so far, as {@link #result} gives it: NULL while a group has none. */
    @Override
    public ValueVector[] writeState(int groups, BufferAllocator allocator) {
      return new ValueVector[] {fill(StateVectors.allocate(stateFields().get(0), groups, allocator), groups)};
    }

    @Override
    public void mergeState(int[] groupIds, int n, ValueVector[] stateColumns) {
      ValueVector v = stateColumns[0];
      if (v instanceof BitVector) {
        BitVector bits = (BitVector) v;
        for (int r = 0; r < n; r++) {
          if (!bits.isNull(r)) {
            add(groupIds[r], (long) bits.get(r));
          }
        }
        return;
      }
      // Reads longs or doubles, as the state's kind says.
      addAllAt(groupIds, StateVectors.data(v), validityOf(v), null, n);
    }

    @Override
    public ValueVector result(int groups, BufferAllocator allocator) {
      return fill(Vectors.allocate(type, "minmax", allocator, groups), groups);
    }

    /** Sets each group's value in {@code v}, a new vector of the state's kind with room for the groups. */
    private ValueVector fill(ValueVector v, int groups) {
      for (int g = 0; g < groups; g++) {
        if (!has[g]) {
          continue;
        }
        if (doubles != null) {
          ((Float8Vector) v).set(g, doubles[g]);
        } else if (v instanceof BitVector) {
          ((BitVector) v).set(g, (int) longs[g]);
        } else {
          ((BigIntVector) v).set(g, longs[g]);
        }
      }
      v.setValueCount(groups);
      return v;
    }
  }

  /**
   * MIN / MAX of strings, in the engine's string order: unsigned UTF-8 bytes, which is code point
   * order (as ORDER BY and DuckDB; UTF-16 order differs for supplementary characters). Each group's
   * best value is kept as its bytes; a row's string is compared where it lies, in an Arrow buffer or
   * a byte[], and copied only when it becomes the best, into the group's array if the lengths match.
   */
  public static final class MinMaxString implements AggState {
    final boolean min;
    /** Group g's best value, or null while the group has none. Arrays are this state's own, never shared. */
    byte[][] best = new byte[16][];

    MinMaxString(boolean min) {
      this.min = min;
    }

    /** One row of generated code's update: the {@code length} bytes at {@code address}. */
    public void add(int g, long address, int length) {
      byte[] current = best[g];
      if (current == null || better(Bytes.compare(address, length, current))) {
        byte[] b = current != null && current.length == length ? current : new byte[length];
        MemoryUtil.copyFromMemory(address, b, 0, length);
        best[g] = b;
      }
    }

    /** One row of generated code's update: a computed string (copied when kept: it may be a shared constant). */
    public void add(int g, byte[] value) {
      byte[] current = best[g];
      if (current == null || better(Arrays.compareUnsigned(value, current))) {
        byte[] b = current != null && current.length == value.length ? current : new byte[value.length];
        System.arraycopy(value, 0, b, 0, value.length);
        best[g] = b;
      }
    }

    /**
     * A batch of generated code's rows read from a string column's Arrow buffers (see "At" above):
     * the string of row {@code row} runs from {@code data + offset[row]} to {@code data + offset[row + 1]},
     * the offsets being the ints at {@code offsets}.
     */
    public void addAllAt(int[] groups, long data, long offsets, long validity, int[] sel, int n) {
      for (int r = 0; r < n; r++) {
        int row = sel == null ? r : sel[r];
        if (!isNull(validity, row)) {
          addAt(groups[r], data, offsets, row);
        }
      }
    }

    private void addAt(int g, long data, long offsets, int row) {
      long at = offsets + ((long) row << 2);
      int start = MemoryUtil.getInt(at);
      add(g, data + start, MemoryUtil.getInt(at + 4) - start);
    }

    private boolean better(int comparison) {
      return min ? comparison < 0 : comparison > 0;
    }

    @Override
    public void update(int[] groups, int n, ValueVector arg, BitVector filter) {
      VarCharVector v = (VarCharVector) arg;
      long data = v.getDataBuffer().memoryAddress();
      long offsets = v.getOffsetBuffer().memoryAddress();
      if (filter == null) {
        addAllAt(groups, data, offsets, validityOf(v), null, n);
        return;
      }
      for (int i = 0; i < n; i++) {
        if (!AggState.skip(v, filter, i)) {
          addAt(groups[i], data, offsets, i);
        }
      }
    }

    /** Takes the other state's arrays as they are: a merged state is not used again. */
    @Override
    public void merge(AggState other, int[] map, int otherGroups) {
      byte[][] o = ((MinMaxString) other).best;
      for (int g = 0; g < otherGroups; g++) {
        byte[] x = o[g];
        int t = map[g];
        if (x != null && (best[t] == null || better(Arrays.compareUnsigned(x, best[t])))) {
          best[t] = x;
        }
      }
    }

    @Override
    public void ensure(int groups) {
      if (best.length < groups) {
        best = Arrays.copyOf(best, Math.max(groups, best.length * 2));
      }
    }

    static final List<Field> FIELDS = List.of(StateVectors.column("value", PhysicalKind.STRING, true));

    @Override
    public List<Field> stateFields() {
      return FIELDS;
    }

    /** The state is the value so far, as {@link #result} gives it: NULL while a group has none. */
    @Override
    public ValueVector[] writeState(int groups, BufferAllocator allocator) {
      return new ValueVector[] {fill((VarCharVector) FIELDS.get(0).createVector(allocator), groups)};
    }

    @Override
    public void mergeState(int[] groupIds, int n, ValueVector[] stateColumns) {
      VarCharVector v = (VarCharVector) stateColumns[0];
      addAllAt(groupIds, v.getDataBuffer().memoryAddress(), v.getOffsetBuffer().memoryAddress(), validityOf(v),
          null, n);
    }

    @Override
    public ValueVector result(int groups, BufferAllocator allocator) {
      return fill(new VarCharVector("minmax", allocator), groups);
    }

    /** Allocates {@code v}, a new string vector, for the groups' values and sets them. */
    private VarCharVector fill(VarCharVector v, int groups) {
      long bytes = 0;
      for (int g = 0; g < groups; g++) {
        bytes += best[g] == null ? 0 : best[g].length;
      }
      try {
        v.allocateNew(Math.max(bytes, 1), Math.max(groups, 1));
      } catch (RuntimeException e) {
        v.close();
        throw e;
      }
      for (int g = 0; g < groups; g++) {
        if (best[g] != null) {
          v.set(g, best[g]);
        }
      }
      v.setValueCount(groups);
      return v;
    }
  }

  /** Variance and standard deviation (Welford's running mean and squared deviations). */
  public static final class Moments implements AggState {
    final AggregateCall.Fn fn;
    long[] counts = new long[16];
    double[] means = new double[16];
    double[] m2 = new double[16];

    public void add(int g, double x) {
      long c = ++counts[g];
      double delta = x - means[g];
      means[g] += delta / c;
      m2[g] += delta * (x - means[g]);
    }

    Moments(AggregateCall.Fn fn) {
      this.fn = fn;
    }

    @Override
    public void update(int[] groups, int n, ValueVector arg, BitVector filter) {
      Float8Vector v = (Float8Vector) arg;
      for (int i = 0; i < n; i++) {
        if (AggState.skip(v, filter, i)) {
          continue;
        }
        int g = groups[i];
        double x = v.get(i);
        long c = ++counts[g];
        double delta = x - means[g];
        means[g] += delta / c;
        m2[g] += delta * (x - means[g]);
      }
    }

    @Override
    public void merge(AggState other, int[] map, int otherGroups) {
      Moments o = (Moments) other;
      for (int g = 0; g < otherGroups; g++) {
        combine(map[g], o.counts[g], o.means[g], o.m2[g]);
      }
    }

    /** Folds in {@code nb} values with mean {@code meanB} and squared deviations {@code m2b} (Chan et al.). */
    private void combine(int t, long nb, double meanB, double m2b) {
      if (nb == 0) {
        return;
      }
      long na = counts[t];
      long nt = na + nb;
      double delta = meanB - means[t];
      means[t] += delta * nb / nt;
      m2[t] += m2b + delta * delta * na * nb / nt;
      counts[t] = nt;
    }

    static final List<Field> FIELDS = List.of(StateVectors.column("count", PhysicalKind.LONG, false),
        StateVectors.column("mean", PhysicalKind.DOUBLE, false), StateVectors.column("m2", PhysicalKind.DOUBLE, false));

    @Override
    public List<Field> stateFields() {
      return FIELDS;
    }

    @Override
    public ValueVector[] writeState(int groups, BufferAllocator allocator) {
      ValueVector[] out = new ValueVector[3];
      return StateVectors.built(out, () -> {
        out[0] = StateVectors.longs(FIELDS.get(0), counts, 0, 1, groups, allocator);
        out[1] = StateVectors.doubles(FIELDS.get(1), means, groups, allocator);
        out[2] = StateVectors.doubles(FIELDS.get(2), m2, groups, allocator);
      });
    }

    @Override
    public void mergeState(int[] groupIds, int n, ValueVector[] stateColumns) {
      long countData = StateVectors.data(stateColumns[0]);
      long validity = validityOf(stateColumns[0]);
      long meanData = StateVectors.data(stateColumns[1]);
      long m2Data = StateVectors.data(stateColumns[2]);
      for (int r = 0; r < n; r++) {
        if (!isNull(validity, r)) {
          combine(groupIds[r], longAt(countData, r), doubleAt(meanData, r), doubleAt(m2Data, r));
        }
      }
    }

    @Override
    public void ensure(int groups) {
      if (counts.length < groups) {
        int c = Math.max(groups, counts.length * 2);
        counts = Arrays.copyOf(counts, c);
        means = Arrays.copyOf(means, c);
        m2 = Arrays.copyOf(m2, c);
      }
    }

    @Override
    public ValueVector result(int groups, BufferAllocator allocator) {
      Float8Vector v = new Float8Vector("moments", allocator);
      v.allocateNew(Math.max(groups, 1));
      for (int g = 0; g < groups; g++) {
        Double r = value(counts[g], m2[g]);
        if (r != null) {
          v.set(g, r);
        }
      }
      v.setValueCount(groups);
      return v;
    }

    private Double value(long n, double sumSquares) {
      switch (fn) {
        case VAR_POP:
          return n == 0 ? null : sumSquares / n;
        case STDDEV_POP:
          return n == 0 ? null : Math.sqrt(sumSquares / n);
        case VAR_SAMP:
          return n < 2 ? null : sumSquares / (n - 1);
        default:
          return n < 2 ? null : Math.sqrt(sumSquares / (n - 1));
      }
    }
  }

  /**
   * Aggregates over DISTINCT strings: keeps each group's value set, then folds it at the end.
   * (Other kinds: {@link DistinctValuesState}.)
   */
  public static final class Distinct implements AggState {
    final AggregateCall call;
    final DataType argType;
    @SuppressWarnings("unchecked")
    Set<Object>[] sets = new Set[16];

    /** A value as its engine object (Long, Double, Boolean, String). */
    public void add(int g, Object v) {
      set(g).add(v);
    }

    Distinct(AggregateCall call, DataType argType) {
      this.call = call;
      this.argType = argType;
    }

    @Override
    public void update(int[] groups, int n, ValueVector arg, BitVector filter) {
      for (int i = 0; i < n; i++) {
        if (!AggState.skip(arg, filter, i)) {
          set(groups[i]).add(VectorOps.read(arg, i));
        }
      }
    }

    private Set<Object> set(int g) {
      if (sets[g] == null) {
        sets[g] = new HashSet<>();
      }
      return sets[g];
    }

    @Override
    public void merge(AggState other, int[] map, int otherGroups) {
      Distinct o = (Distinct) other;
      for (int g = 0; g < otherGroups; g++) {
        if (o.sets[g] != null) {
          set(map[g]).addAll(o.sets[g]);
        }
      }
    }

    @Override
    public List<Field> stateFields() {
      return List.of(StateVectors.list("values", argType.kind()));
    }

    /** Each group's set as one list (empty when it has none); the order within a list means nothing. */
    @Override
    public ValueVector[] writeState(int groups, BufferAllocator allocator) {
      ListVector v = (ListVector) StateVectors.allocate(stateFields().get(0), groups, allocator);
      ValueVector[] out = {v};
      return StateVectors.built(out, () -> {
        ValueVector items = v.getDataVector();
        for (int g = 0; g < groups; g++) {
          int at = v.startNewValue(g);
          if (sets[g] != null) {
            for (Object x : sets[g]) {
              VectorOps.write(items, at++, x);
            }
          }
          v.endValue(g, sets[g] == null ? 0 : sets[g].size());
        }
        v.setValueCount(groups);
      });
    }

    @Override
    public void mergeState(int[] groupIds, int n, ValueVector[] stateColumns) {
      StateVectors.forEachListItem((ListVector) stateColumns[0], groupIds, n,
          (items, i, g) -> set(g).add(VectorOps.read(items, i)));
    }

    @Override
    public void ensure(int groups) {
      if (sets.length < groups) {
        sets = Arrays.copyOf(sets, Math.max(groups, sets.length * 2));
      }
    }

    @Override
    public ValueVector result(int groups, BufferAllocator allocator) {
      // Fold each set through the plain aggregate, one group at a time.
      AggregateCall plain = call.withDistinct(false).withExprs(call.arg(), call.by(), null);
      AggState folded = create(plain);
      folded.ensure(groups);
      for (int g = 0; g < groups; g++) {
        if (sets[g] == null || sets[g].isEmpty()) {
          continue;
        }
        int n = sets[g].size();
        ValueVector values = Vectors.allocate(argType, "distinct", allocator, n);
        try {
          int i = 0;
          for (Object x : sets[g]) {
            VectorOps.write(values, i++, x);
          }
          values.setValueCount(n);
          int[] ids = new int[n];
          Arrays.fill(ids, g);
          folded.update(ids, n, values, null);
        } finally {
          values.close();
        }
      }
      return folded.result(groups, allocator);
    }
  }
}
