package io.kiln.datasource.parquet;

import io.kiln.catalog.ColumnPredicate;
import io.kiln.data.LikePattern;
import io.kiln.types.DataType;
import io.kiln.types.Timestamps;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * The scan's pushed-down predicates evaluated on decoded values of a batch's predicate columns,
 * narrowing a selection of row positions. It may keep rows a predicate rejects (it leaves out any
 * predicate it cannot decide exactly, and keeps NaN and signed zeros), but never drops a row the
 * filter above the scan would keep: that filter still runs, so the selection only saves work.
 */
final class DecodedRowFilter {
  /** One predicate on one decoded column: drops the positions of a selection that fail it. */
  private interface Test {
    /** {@code dense}: sel[0..m) is 0..m-1, so the test may walk rows directly. */
    int narrow(ValueVector v, int[] sel, int m, boolean dense);
  }

  /** Per test: the index in the task's distinct columns of the vector it reads. */
  private final int[] slots;
  private final Test[] tests;

  private DecodedRowFilter(int[] slots, Test[] tests) {
    this.slots = slots;
    this.tests = tests;
  }

  /**
   * A filter over the predicates of {@code filters} on columns among {@code distinct} that it can
   * decide exactly; null if there is none.
   */
  static DecodedRowFilter create(List<ParquetColumn> columns, List<ColumnPredicate> filters,
      List<ParquetColumn> distinct) {
    List<Integer> slots = new ArrayList<>();
    List<Test> tests = new ArrayList<>();
    // Bounds on long-encoded columns fold into one [low, high] test per column: one pass for a BETWEEN.
    long[] low = new long[distinct.size()];
    long[] high = new long[distinct.size()];
    boolean[] bounded = new boolean[distinct.size()];
    java.util.Arrays.fill(low, Long.MIN_VALUE);
    java.util.Arrays.fill(high, Long.MAX_VALUE);
    for (ColumnPredicate p : filters) {
      if (p.column() < 0 || p.column() >= columns.size()) {
        continue;
      }
      int d = distinct.indexOf(columns.get(p.column()));
      if (d < 0) {
        continue;
      }
      DataType type = distinct.get(d).type;
      if (type.kind() == io.kiln.types.PhysicalKind.LONG) {
        long[] bounds = longBounds(p, type);
        if (bounds != null) {
          low[d] = Math.max(low[d], bounds[0]);
          high[d] = Math.min(high[d], bounds[1]);
          bounded[d] = true;
          continue;
        }
      }
      Test t = test(p, type);
      if (t != null) {
        slots.add(d);
        tests.add(t);
      }
    }
    for (int d = distinct.size() - 1; d >= 0; d--) {
      if (bounded[d]) {
        // Ranges first: they are the cheapest tests and usually the most selective.
        slots.add(0, d);
        tests.add(0, between(low[d], high[d]));
      }
    }
    if (tests.isEmpty()) {
      return null;
    }
    return new DecodedRowFilter(slots.stream().mapToInt(Integer::intValue).toArray(), tests.toArray(new Test[0]));
  }

  /** Whether distinct column {@code d} is read by some test. */
  boolean reads(int d) {
    for (int s : slots) {
      if (s == d) {
        return true;
      }
    }
    return false;
  }

  /**
   * Narrows positions {@code sel[0..m)} of the batch's {@code n} rows of {@code decoded} (by
   * distinct column) to those passing the tests on columns not in {@code except}; returns how
   * many. {@code m == n} means sel is 0..n-1.
   */
  int select(ValueVector[] decoded, int[] sel, int m, int n, boolean[] except) {
    for (int t = 0; t < tests.length && m > 0; t++) {
      if (!except[slots[t]]) {
        m = tests[t].narrow(decoded[slots[t]], sel, m, m == n);
      }
    }
    return m;
  }

  /**
   * Narrows positions {@code sel[0..m)} (all of 0..m-1) of {@code v}, holding values of distinct
   * column {@code d}, by the tests on that column alone; returns how many pass.
   */
  int selectOn(int d, ValueVector v, int[] sel, int m) {
    int n = m;
    for (int t = 0; t < tests.length && m > 0; t++) {
      if (slots[t] == d) {
        m = tests[t].narrow(v, sel, m, m == n);
      }
    }
    return m;
  }

  // ------------------------------------------------------------------ building tests

  private static Test test(ColumnPredicate p, DataType type) {
    switch (p.op()) {
      case IS_NULL:
        return (v, sel, m, dense) -> keepValidity(v, sel, m, 0);
      case IS_NOT_NULL:
        return (v, sel, m, dense) -> keepValidity(v, sel, m, 1);
      default:
        break;
    }
    switch (type.kind()) {
      case LONG:
        return longTest(p, type);
      case DOUBLE:
        return doubleTest(p, type.id() == DataType.Id.REAL);
      case BOOLEAN:
        return booleanTest(p);
      default:
        return type.id() == DataType.Id.VARCHAR ? stringTest(p) : null;
    }
  }

  /**
   * Integers, decimals (unscaled at the column's scale), dates (days) and timestamps (micros):
   * NE and IN (ranges go through {@link #longBounds}). An equality with a value no row can hold is
   * left to the filter above.
   */
  private static Test longTest(ColumnPredicate p, DataType type) {
    switch (p.op()) {
      case NE: {
        Long c = exactLong(p.value(), type);
        if (c == null) {
          return null;
        }
        long k = c;
        return longs((x) -> x != k);
      }
      case IN: {
        long[] set = new long[p.values().size()];
        for (int i = 0; i < set.length; i++) {
          Long c = exactLong(p.values().get(i), type);
          if (c == null) {
            return null;
          }
          set[i] = c;
        }
        if (set.length > 8) {
          return longSet(set);
        }
        return longs((x) -> {
          for (long s : set) {
            if (s == x) {
              return true;
            }
          }
          return false;
        });
      }
      default:
        return null;
    }
  }

  /**
   * EQ, LT, LE, GT and GE on a long-encoded column as inclusive bounds {low, high}, or null if the
   * predicate is not one of them or its value has no exact place among the column's values. A
   * bound between two stored values rounds to the one that keeps the answer exact.
   */
  private static long[] longBounds(ColumnPredicate p, DataType type) {
    switch (p.op()) {
      case EQ: {
        Long c = exactLong(p.value(), type);
        return c == null ? null : new long[] {c, c};
      }
      case LT: {
        Long c = roundedLong(p.value(), type, RoundingMode.CEILING); // x < v  <=>  x < ceil(v)
        return c == null ? null : c == Long.MIN_VALUE ? new long[] {1, 0} : new long[] {Long.MIN_VALUE, c - 1};
      }
      case GE: {
        Long c = roundedLong(p.value(), type, RoundingMode.CEILING); // x >= v  <=>  x >= ceil(v)
        return c == null ? null : new long[] {c, Long.MAX_VALUE};
      }
      case LE: {
        Long c = roundedLong(p.value(), type, RoundingMode.FLOOR); // x <= v  <=>  x <= floor(v)
        return c == null ? null : new long[] {Long.MIN_VALUE, c};
      }
      case GT: {
        Long c = roundedLong(p.value(), type, RoundingMode.FLOOR); // x > v  <=>  x > floor(v)
        return c == null ? null : c == Long.MAX_VALUE ? new long[] {1, 0} : new long[] {c + 1, Long.MAX_VALUE};
      }
      default:
        return null;
    }
  }

  /** A predicate value in the column's long encoding, or null if it has none exactly. */
  private static Long exactLong(Object v, DataType type) {
    BigDecimal scaled = scaled(v, type);
    if (scaled == null) {
      return null;
    }
    try {
      return scaled.longValueExact();
    } catch (ArithmeticException e) {
      return null; // a fraction or out of range: no stored value equals it, the filter above decides
    }
  }

  private static Long roundedLong(Object v, DataType type, RoundingMode rounding) {
    BigDecimal scaled = scaled(v, type);
    if (scaled == null) {
      return null;
    }
    try {
      return scaled.setScale(0, rounding).longValueExact();
    } catch (ArithmeticException e) {
      return null; // beyond 64 bits: leave it to the filter above
    }
  }

  /** The value on the scale of the column's long encoding, or null if not comparable exactly. */
  private static BigDecimal scaled(Object v, DataType type) {
    switch (type.id()) {
      case DATE:
        return v instanceof LocalDate ? BigDecimal.valueOf(((LocalDate) v).toEpochDay()) : null;
      case TIMESTAMP:
        return v instanceof LocalDateTime ? BigDecimal.valueOf(Timestamps.toMicros(
            (LocalDateTime) v)) : null;
      case TINYINT:
      case SMALLINT:
      case INTEGER:
      case BIGINT:
      case DECIMAL: {
        BigDecimal d = io.kiln.catalog.ColumnPredicate.exactNumber(v);
        if (d == null) {
          return null;
        }
        return type.id() == DataType.Id.DECIMAL ? d.movePointRight(type.scale()) : d;
      }
      default:
        return null;
    }
  }

  @FunctionalInterface
  private interface LongCondition {
    boolean holds(long x);
  }

  /** Most bits a long IN list's bitmap may take (1 MiB): larger spans go through a binary search. */
  private static final long MAX_BITMAP_SPAN = 1L << 23;

  /**
   * A long IN list (a join's keys pushed down as a runtime filter): a bitmap over the list's span
   * where it is small, one load and no hard-to-predict branch per row; else a binary search.
   */
  private static Test longSet(long[] set) {
    java.util.Arrays.sort(set);
    long low = set[0];
    long span = set[set.length - 1] - low;
    if (span < 0 || span >= MAX_BITMAP_SPAN) {
      return longs((x) -> java.util.Arrays.binarySearch(set, x) >= 0);
    }
    long[] bits = new long[(int) (span >>> 6) + 1];
    for (long v : set) {
      long at = v - low;
      bits[(int) (at >>> 6)] |= 1L << at;
    }
    return longs((x) -> {
      long at = x - low;
      return at >= 0 && at <= span && (bits[(int) (at >>> 6)] & (1L << at)) != 0;
    });
  }

  private static Test longs(LongCondition c) {
    return (v, sel, m, dense) -> {
      ArrowBuf data = v.getDataBuffer();
      ArrowBuf valid = v.getValidityBuffer();
      int k = 0;
      for (int i = 0; i < m; i++) {
        int r = sel[i];
        sel[k] = r;
        k += BitVectorHelper.get(valid, r) != 0 && c.holds(data.getLong((long) r << 3)) ? 1 : 0;
      }
      return k;
    };
  }

  /**
   * low <= x <= high, the hot test (date and decimal bounds). Branch-free: x - low, compared
   * unsigned, is at most high - low exactly when x lies in the range. Rows of a batch without
   * NULLs need no validity check (a NULL row's value slot holds 0, so it must be checked).
   */
  private static Test between(long low, long high) {
    if (low > high) {
      return (v, sel, m, dense) -> 0; // contradictory bounds: no row satisfies both
    }
    long width = (high - low) + Long.MIN_VALUE;
    long shift = low;
    return (v, sel, m, dense) -> {
      long address = v.getDataBuffer().memoryAddress();
      int k = 0;
      if (v.getNullCount() == 0) {
        if (dense) {
          for (int r = 0; r < m; r++) {
            sel[k] = r;
            k += (MemoryUtil.getLong(address + ((long) r << 3)) - shift) + Long.MIN_VALUE <= width ? 1 : 0;
          }
        } else {
          for (int i = 0; i < m; i++) {
            int r = sel[i];
            sel[k] = r;
            k += (MemoryUtil.getLong(address + ((long) r << 3)) - shift) + Long.MIN_VALUE <= width ? 1 : 0;
          }
        }
        return k;
      }
      ArrowBuf valid = v.getValidityBuffer();
      for (int i = 0; i < m; i++) {
        int r = sel[i];
        sel[k] = r;
        k += (MemoryUtil.getLong(address + ((long) r << 3)) - shift) + Long.MIN_VALUE <= width
            && BitVectorHelper.get(valid, r) != 0 ? 1 : 0;
      }
      return k;
    };
  }

  /**
   * DOUBLE columns against numeric literals that are exactly doubles. NaN and zeros of either sign
   * are always kept: SQL engines order them differently (Double.compare puts -0.0 below 0.0 and
   * NaN above everything), so only the filter above may drop them.
   */
  private static Test doubleTest(ColumnPredicate p, boolean real) {
    double[] cs = new double[p.values().size()];
    for (int i = 0; i < cs.length; i++) {
      Object v = p.values().get(i);
      if (!(v instanceof Double || v instanceof Float || v instanceof Long || v instanceof Integer
          || v instanceof BigDecimal)) {
        return null;
      }
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || d == 0.0 || !exactDouble(v, d) || (real && (double) (float) d != d)) {
        return null; // a REAL column may be compared in float precision: only values exact in both agree
      }
      cs[i] = d;
    }
    DoubleCondition c;
    switch (p.op()) {
      case EQ:
        c = x -> x == cs[0];
        break;
      case NE:
        c = x -> x != cs[0];
        break;
      case LT:
        c = x -> x < cs[0];
        break;
      case LE:
        c = x -> x <= cs[0];
        break;
      case GT:
        c = x -> x > cs[0];
        break;
      case GE:
        c = x -> x >= cs[0];
        break;
      case IN:
        c = x -> {
          for (double s : cs) {
            if (s == x) {
              return true;
            }
          }
          return false;
        };
        break;
      default:
        return null;
    }
    DoubleCondition test = c;
    return (v, sel, m, dense) -> {
      ArrowBuf data = v.getDataBuffer();
      ArrowBuf valid = v.getValidityBuffer();
      int k = 0;
      for (int i = 0; i < m; i++) {
        int r = sel[i];
        sel[k] = r;
        if (BitVectorHelper.get(valid, r) != 0) {
          double x = data.getDouble((long) r << 3);
          k += x == 0.0 || Double.isNaN(x) || test.holds(x) ? 1 : 0;
        }
      }
      return k;
    };
  }

  private static boolean exactDouble(Object v, double d) {
    if (v instanceof BigDecimal) {
      return Double.isFinite(d) && new BigDecimal(d).compareTo((BigDecimal) v) == 0;
    }
    if (v instanceof Long) {
      return Double.isFinite(d) && new BigDecimal(d).compareTo(BigDecimal.valueOf((Long) v)) == 0;
    }
    return true;
  }

  @FunctionalInterface
  private interface DoubleCondition {
    boolean holds(double x);
  }

  private static Test booleanTest(ColumnPredicate p) {
    if ((p.op() != ColumnPredicate.Op.EQ && p.op() != ColumnPredicate.Op.NE) || !(p.value() instanceof Boolean)) {
      return null;
    }
    int wanted = ((Boolean) p.value()) == (p.op() == ColumnPredicate.Op.EQ) ? 1 : 0;
    return (v, sel, m, dense) -> {
      ArrowBuf data = ((BitVector) v).getDataBuffer();
      ArrowBuf valid = v.getValidityBuffer();
      int k = 0;
      for (int i = 0; i < m; i++) {
        int r = sel[i];
        sel[k] = r;
        k += BitVectorHelper.get(valid, r) != 0 && BitVectorHelper.get(data, r) == wanted ? 1 : 0;
      }
      return k;
    };
  }

  /** EQ, NE, IN, LIKE and NOT LIKE on strings, on their UTF-8 bytes in place. */
  private static Test stringTest(ColumnPredicate p) {
    if (!p.values().stream().allMatch(v -> v instanceof String)) {
      return null;
    }
    switch (p.op()) {
      case LIKE:
      case NOT_LIKE: {
        LikePattern pattern = new LikePattern((String) p.value());
        boolean wanted = p.op() == ColumnPredicate.Op.LIKE;
        return strings((address, length) -> pattern.matchesAt(address, length) == wanted);
      }
      case EQ:
      case NE:
      case IN: {
        List<byte[]> equal = new ArrayList<>();
        for (Object v : p.values()) {
          equal.add(((String) v).getBytes(StandardCharsets.UTF_8));
        }
        boolean wanted = p.op() != ColumnPredicate.Op.NE;
        return strings((address, length) -> {
          for (byte[] e : equal) {
            if (io.kiln.data.Bytes.equals(address, length, e)) {
              return wanted;
            }
          }
          return !wanted;
        });
      }
      default:
        return null;
    }
  }

  @FunctionalInterface
  private interface BytesCondition {
    boolean holds(long address, int length);
  }

  private static Test strings(BytesCondition c) {
    return (v, sel, m, dense) -> {
      VarCharVector s = (VarCharVector) v;
      ArrowBuf offsets = s.getOffsetBuffer();
      long base = s.getDataBuffer().memoryAddress();
      ArrowBuf valid = v.getValidityBuffer();
      int k = 0;
      for (int i = 0; i < m; i++) {
        int r = sel[i];
        sel[k] = r;
        if (BitVectorHelper.get(valid, r) != 0) {
          int from = offsets.getInt(4L * r);
          k += c.holds(base + from, offsets.getInt(4L * r + 4) - from) ? 1 : 0;
        }
      }
      return k;
    };
  }

  private static int keepValidity(ValueVector v, int[] sel, int m, int wanted) {
    ArrowBuf valid = v.getValidityBuffer();
    int k = 0;
    for (int i = 0; i < m; i++) {
      int r = sel[i];
      sel[k] = r;
      k += BitVectorHelper.get(valid, r) == wanted ? 1 : 0;
    }
    return k;
  }
}
