package io.kiln.physical.agg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.data.Batch;
import io.kiln.logical.AggregateCall;
import io.kiln.logical.AggregateCall.Fn;
import io.kiln.logical.ColumnRef;
import io.kiln.physical.agg.TwoPhaseHarness.Aggregation;
import io.kiln.testing.DuckDbOracle;
import io.kiln.types.DataType;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

/**
 * avg, variance and standard deviation through PARTIAL and FINAL on values whose mean dwarfs their
 * spread (where a sum-of-squares formula loses every digit, and a careless merge of means and M2
 * would too), against DuckDB and against exact BigDecimal arithmetic. Doubles are chosen exactly
 * representable in decimal text, so both engines read the same values.
 */
class TwoPhaseMomentsDuckDbTest {
  static final ColumnRef G = ColumnRef.fresh("g", DataType.BIGINT);
  /** About 1e9 plus eighths up to 100: a variance near 833 under a mean of 1e9. */
  static final ColumnRef X = ColumnRef.fresh("x", DataType.DOUBLE);
  /** About 1e15 plus multiples of 1024. */
  static final ColumnRef Y = ColumnRef.fresh("y", DataType.DOUBLE);
  /** DECIMAL(18,2) values about 1e12: exact sums near the 18-digit limit. */
  static final ColumnRef DEC = ColumnRef.fresh("dec", DataType.decimal(18, 2));
  static final List<ColumnRef> LAYOUT = List.of(G, X, Y, DEC);
  static final List<Fn> MOMENTS = List.of(Fn.VAR_SAMP, Fn.VAR_POP, Fn.STDDEV_SAMP, Fn.STDDEV_POP);
  static final int ROWS = 3000;
  static final int GROUPS = 7;

  static List<Object[]> rows() {
    SplittableRandom r = new SplittableRandom(42);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      rows.add(new Object[] {(long) r.nextInt(GROUPS), 1e9 + r.nextInt(800) / 8.0,
          1e15 + 1024.0 * r.nextInt(1_000_000), 100_000_000_000_000L + r.nextLong(10_000_000_000_000L)});
    }
    return rows;
  }

  static List<AggregateCall> calls() {
    List<AggregateCall> calls = new ArrayList<>();
    for (ColumnRef c : List.of(X, Y)) {
      calls.add(new AggregateCall(Fn.AVG, c, false, null, DataType.DOUBLE));
      for (Fn fn : MOMENTS) {
        calls.add(new AggregateCall(fn, c, false, null, DataType.DOUBLE));
      }
    }
    calls.add(new AggregateCall(Fn.AVG, DEC, false, null, DataType.decimal(DataType.MAX_PRECISION, 6)));
    return calls;
  }

  /** The SQL of call i, as DuckDB spells it. */
  static String sql(AggregateCall c) {
    return c.fn().name().toLowerCase() + "(" + ((ColumnRef) c.arg()).name() + ")";
  }

  @Test
  void twoPhaseMomentsAndAveragesAgreeWithDuckDbAndExactArithmetic() {
    List<Object[]> rows = rows();
    List<AggregateCall> calls = calls();
    Map<List<Object>, Object[]> kiln;
    try (RootAllocator allocator = new RootAllocator()) {
      TwoPhaseHarness h = new TwoPhaseHarness(allocator, LAYOUT);
      SplittableRandom random = new SplittableRandom(9);
      Aggregation a = new Aggregation(List.of(G), calls);
      try (Batch out = h.twoPhase(a, TwoPhaseHarness.chunks(rows, 6, random), random)) {
        kiln = TwoPhaseHarness.byKey(out, 1);
      }
    }
    List<String> select = new ArrayList<>();
    calls.forEach(c -> select.add(sql(c)));
    List<Object[]> duck;
    try (DuckDbOracle duckDb = new DuckDbOracle(1)) {
      duckDb.execute("CREATE TABLE t (g BIGINT, x DOUBLE, y DOUBLE, dec DECIMAL(18,2))");
      for (int from = 0; from < ROWS; from += 500) {
        StringBuilder values = new StringBuilder();
        for (Object[] row : rows.subList(from, Math.min(ROWS, from + 500))) {
          values.append(values.length() == 0 ? "" : ", ").append('(').append(row[0]).append(", ")
              .append(new BigDecimal((Double) row[1]).toPlainString()).append(", ")
              .append(new BigDecimal((Double) row[2]).toPlainString()).append(", ")
              .append(BigDecimal.valueOf((Long) row[3], 2).toPlainString()).append(')');
        }
        duckDb.execute("INSERT INTO t VALUES " + values);
      }
      duck = duckDb.query("SELECT g, " + String.join(", ", select) + " FROM t GROUP BY g");
    }
    assertEquals(GROUPS, kiln.size());
    assertEquals(GROUPS, duck.size());
    for (Object[] d : duck) {
      long g = ((Number) d[0]).longValue();
      Object[] k = kiln.get(List.of(g));
      List<Object[]> group = rows.stream().filter(r -> (Long) r[0] == g).toList();
      for (int i = 0; i < calls.size(); i++) {
        AggregateCall c = calls.get(i);
        String what = sql(c) + " of group " + g;
        double duckValue = ((Number) d[i + 1]).doubleValue();
        if (c.arg() == DEC) {
          // Kiln's average of decimals is exact (scale 6, rounded half up); DuckDB's is a double.
          BigDecimal exact = exactMean(group, 3).setScale(6, RoundingMode.HALF_UP);
          assertEquals(exact, BigDecimal.valueOf((Long) k[i], 6), what);
          assertClose(exact.doubleValue(), duckValue, 1e-15, what + " (DuckDB)");
          continue;
        }
        // Welford's deviations from a mean of 1e9 are off by up to its ulp (1.2e-7), so both engines
        // land within a few 1e-9 of the exact variance (seen: 2.2e-9 for Kiln, 3.1e-9 apart), where
        // a sum of squares (about 1e18, ulp 128) would lose the variance of 833 entirely.
        double exact = exact(c.fn(), group, c.arg() == X ? 1 : 2);
        double kilnValue = (Double) k[i];
        assertClose(exact, kilnValue, 1e-8, what + " (Kiln)");
        assertClose(duckValue, kilnValue, 1e-8, what + " (against DuckDB)");
      }
    }
  }

  private static void assertClose(double expected, double actual, double relative, String what) {
    assertTrue(Math.abs(expected - actual) <= relative * Math.abs(expected),
        what + ": expected " + expected + ", got " + actual + " (relative error "
            + Math.abs(expected - actual) / Math.abs(expected) + ")");
  }

  private static BigDecimal value(Object[] row, int column) {
    return column == 3 ? BigDecimal.valueOf((Long) row[3], 2) : new BigDecimal((Double) row[column]);
  }

  private static BigDecimal exactMean(List<Object[]> group, int column) {
    BigDecimal sum = BigDecimal.ZERO;
    for (Object[] row : group) {
      sum = sum.add(value(row, column));
    }
    return sum.divide(BigDecimal.valueOf(group.size()), MathContext.DECIMAL128);
  }

  /** The statistic computed in BigDecimal from the exact values, rounded to a double at the end. */
  private static double exact(Fn fn, List<Object[]> group, int column) {
    BigDecimal mean = exactMean(group, column);
    if (fn == Fn.AVG) {
      return mean.doubleValue();
    }
    BigDecimal m2 = BigDecimal.ZERO;
    for (Object[] row : group) {
      BigDecimal d = value(row, column).subtract(mean);
      m2 = m2.add(d.multiply(d));
    }
    int n = group.size();
    boolean sample = fn == Fn.VAR_SAMP || fn == Fn.STDDEV_SAMP;
    BigDecimal variance = m2.divide(BigDecimal.valueOf(sample ? n - 1 : n), MathContext.DECIMAL128);
    return fn == Fn.VAR_SAMP || fn == Fn.VAR_POP ? variance.doubleValue()
        : variance.sqrt(MathContext.DECIMAL128).doubleValue();
  }
}
