package io.kiln.physical.agg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.data.Batch;
import io.kiln.error.KilnException;
import io.kiln.logical.AggregateCall;
import io.kiln.logical.AggregateCall.Fn;
import io.kiln.logical.ColumnRef;
import io.kiln.physical.agg.TwoPhaseHarness.Aggregation;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PARTIAL on chunks of the rows, then FINAL on all their state rows in shuffled order, answers as
 * SINGLE on all rows does: for every aggregate, every argument kind it takes, DISTINCT and FILTER,
 * with NULL arguments, groups whose arguments are all NULL or all filtered out, groups seen in only
 * some chunks, empty chunks and NULL keys. Each test's allocator is closed at its end, which fails
 * if any vector or reservation leaked.
 */
class TwoPhaseAggregationTest {
  static final ColumnRef KL = ColumnRef.fresh("kl", DataType.BIGINT);
  static final ColumnRef KS = ColumnRef.fresh("ks", DataType.VARCHAR);
  static final ColumnRef KB = ColumnRef.fresh("kb", DataType.BOOLEAN);
  static final ColumnRef KD = ColumnRef.fresh("kd", DataType.DOUBLE);
  static final ColumnRef KDATE = ColumnRef.fresh("kdate", DataType.DATE);
  static final ColumnRef I = ColumnRef.fresh("i", DataType.INTEGER);
  static final ColumnRef BIG = ColumnRef.fresh("big", DataType.BIGINT);
  static final ColumnRef DEC = ColumnRef.fresh("dec", DataType.decimal(12, 2));
  static final ColumnRef DT = ColumnRef.fresh("dt", DataType.DATE);
  static final ColumnRef TS = ColumnRef.fresh("ts", DataType.TIMESTAMP);
  static final ColumnRef D = ColumnRef.fresh("d", DataType.DOUBLE);
  static final ColumnRef B = ColumnRef.fresh("b", DataType.BOOLEAN);
  static final ColumnRef S = ColumnRef.fresh("s", DataType.VARCHAR);
  static final ColumnRef F = ColumnRef.fresh("f", DataType.BOOLEAN);
  static final List<ColumnRef> LAYOUT = List.of(KL, KS, KB, KD, KDATE, I, BIG, DEC, DT, TS, D, B, S, F);
  /** Every kind of argument: integers, decimals, dates, timestamps (all longs), doubles, booleans, strings. */
  static final List<ColumnRef> ARGS = List.of(I, BIG, DEC, DT, TS, D, B, S);
  /** A key whose rows have only NULL arguments, and one whose rows FILTER rejects. */
  static final long ALL_NULL_KEY = 15;
  static final long FILTERED_KEY = 16;

  static final List<String> STRINGS = List.of("", "a", "ab", "abc", "b", "Z", "\u00e9", "\u65e5\u672c",
      "\ud83d\ude00", "\ue000", "a string longer than sixteen bytes", "a string longer than sixteen bytez",
      "DELIVER IN PERSON", "TAKE BACK RETURN");

  // ------------------------------------------------------------------ the calls

  static AggregateCall call(Fn fn, ColumnRef arg, boolean distinct, ColumnRef filter) {
    DataType t = arg == null ? null : arg.type();
    DataType type;
    switch (fn) {
      case COUNT_STAR:
      case COUNT:
        type = DataType.BIGINT;
        break;
      case MIN:
      case MAX:
        type = t;
        break;
      case SUM: // as the binder types them (sql.AggregateCalls)
        type = t.id() == DataType.Id.DECIMAL ? DataType.decimal(DataType.MAX_PRECISION, t.scale())
            : t.isInteger() ? DataType.BIGINT : DataType.DOUBLE;
        break;
      case AVG: // the binder casts integer arguments to DOUBLE
        type = t.id() == DataType.Id.DECIMAL ? DataType.decimal(DataType.MAX_PRECISION, Math.max(6, t.scale()))
            : DataType.DOUBLE;
        break;
      default:
        type = DataType.DOUBLE;
    }
    return new AggregateCall(fn, arg, distinct, filter, type);
  }

  /** Every aggregate on every argument kind it accepts, plain and DISTINCT, and some under FILTER. */
  static List<AggregateCall> allCalls() {
    List<AggregateCall> calls = new ArrayList<>();
    calls.add(call(Fn.COUNT_STAR, null, false, null));
    for (boolean distinct : new boolean[] {false, true}) {
      for (ColumnRef a : ARGS) {
        calls.add(call(Fn.COUNT, a, distinct, null));
        calls.add(call(Fn.MIN, a, distinct, null));
        calls.add(call(Fn.MAX, a, distinct, null));
      }
      for (ColumnRef a : List.of(I, BIG, DEC, D)) {
        calls.add(call(Fn.SUM, a, distinct, null));
      }
      for (ColumnRef a : List.of(DEC, D)) {
        calls.add(call(Fn.AVG, a, distinct, null));
      }
      for (Fn fn : List.of(Fn.VAR_SAMP, Fn.VAR_POP, Fn.STDDEV_SAMP, Fn.STDDEV_POP)) {
        calls.add(call(fn, D, distinct, null));
      }
    }
    calls.add(call(Fn.COUNT_STAR, null, false, F));
    calls.add(call(Fn.COUNT, S, false, F));
    calls.add(call(Fn.SUM, I, false, F));
    calls.add(call(Fn.SUM, D, false, F));
    calls.add(call(Fn.AVG, DEC, false, F));
    calls.add(call(Fn.MIN, S, false, F));
    calls.add(call(Fn.MAX, D, false, F));
    calls.add(call(Fn.MAX, B, false, F));
    calls.add(call(Fn.MIN, TS, false, F));
    calls.add(call(Fn.VAR_POP, D, false, F));
    calls.add(call(Fn.STDDEV_SAMP, D, false, F));
    calls.add(call(Fn.COUNT, S, true, F));
    calls.add(call(Fn.SUM, DEC, true, F));
    calls.add(call(Fn.AVG, D, true, F));
    // arg_min/arg_max by TS, whose values do not repeat, so no tie leaves the answer to the order of rows.
    for (ColumnRef a : ARGS) {
      calls.add(argMinMax(Fn.ARG_MIN, a, TS, null));
      calls.add(argMinMax(Fn.ARG_MAX, a, TS, null));
    }
    calls.add(argMinMax(Fn.ARG_MIN, S, TS, F));
    calls.add(argMinMax(Fn.ARG_MAX, D, TS, F));
    return calls;
  }

  static AggregateCall argMinMax(Fn fn, ColumnRef arg, ColumnRef by, ColumnRef filter) {
    return new AggregateCall(fn, arg, by, false, filter, arg.type(), null, AggregateCall.ValueOrder.AS_READ);
  }

  // ------------------------------------------------------------------ the rows

  static <T> T maybeNull(SplittableRandom r, int oneIn, T value) {
    return r.nextInt(oneIn) == 0 ? null : value;
  }

  /**
   * Rows in which the long key's early values (0..19) and late ones (100..104) are seen only by
   * the first and last chunks, some keys occur once, and {@link #ALL_NULL_KEY} and
   * {@link #FILTERED_KEY} make empty groups.
   */
  static List<Object[]> rows(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Long> bigs = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      bigs.add(r.nextLong(-100_000_000_000_000L, 100_000_000_000_000L));
    }
    List<Object[]> rows = new ArrayList<>();
    for (int id = 0; id < n; id++) {
      long kl = id < n * 3 / 10 ? r.nextInt(20) : id >= n * 9 / 10 ? 100 + r.nextInt(5) : 10 + r.nextInt(30);
      if (r.nextInt(60) == 0) {
        kl = 1000 + id; // a group of one row
      }
      Object[] row = new Object[LAYOUT.size()];
      row[0] = maybeNull(r, 25, kl);
      row[1] = maybeNull(r, 12, STRINGS.get(r.nextInt(STRINGS.size())));
      row[2] = maybeNull(r, 10, r.nextBoolean());
      row[3] = maybeNull(r, 15, List.of(-0.0, 0.0, 1.5, -2.25, 1e300).get(r.nextInt(5)));
      row[4] = maybeNull(r, 20, (long) r.nextInt(19000, 19010));
      boolean allNull = Long.valueOf(ALL_NULL_KEY).equals(row[0]);
      int nullOneIn = allNull ? 1 : 8;
      row[5] = maybeNull(r, nullOneIn, (long) r.nextInt(-50, 50));
      row[6] = maybeNull(r, nullOneIn, bigs.get(r.nextInt(bigs.size())));
      row[7] = maybeNull(r, nullOneIn, r.nextLong(-200, 200) * 1_000_037L); // DECIMAL(12,2), scaled
      row[8] = maybeNull(r, nullOneIn, (long) r.nextInt(-1000, 30000));
      row[9] = maybeNull(r, nullOneIn, r.nextLong(-2_000_000_000_000_000L, 2_000_000_000_000_000L) / 7 * 7);
      row[10] = maybeNull(r, nullOneIn, r.nextInt(8) == 0 ? -0.0 : r.nextInt(-3000, 3000) / 7.0);
      row[11] = maybeNull(r, nullOneIn, r.nextInt(4) == 0);
      row[12] = maybeNull(r, nullOneIn, STRINGS.get(r.nextInt(STRINGS.size())));
      row[13] = Long.valueOf(FILTERED_KEY).equals(row[0]) ? (Boolean) (r.nextBoolean() ? null : false)
          : maybeNull(r, 9, r.nextInt(3) != 0);
      rows.add(row);
    }
    return rows;
  }

  // ------------------------------------------------------------------ the tests

  static Stream<Arguments> keySets() {
    return Stream.of(
        Arguments.of("no keys", List.of()),
        Arguments.of("long key", List.of(KL)),
        Arguments.of("string key", List.of(KS)),
        Arguments.of("boolean key", List.of(KB)),
        Arguments.of("double key", List.of(KD)),
        Arguments.of("date key", List.of(KDATE)),
        Arguments.of("long and string keys", List.of(KL, KS)),
        Arguments.of("three keys", List.of(KB, KS, KL)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keySets")
  void twoPhaseAnswersAsSingle(String name, List<ColumnRef> keys) {
    for (long seed : new long[] {1, 2, 3}) {
      try (RootAllocator allocator = new RootAllocator()) {
        TwoPhaseHarness h = new TwoPhaseHarness(allocator, LAYOUT);
        Aggregation a = new Aggregation(keys, allCalls());
        List<Object[]> rows = rows(4000, seed);
        SplittableRandom random = new SplittableRandom(seed * 31);
        try (Batch single = h.single(a, rows);
            Batch twoPhase = h.twoPhase(a, TwoPhaseHarness.chunks(rows, 2 + (int) seed * 2, random), random)) {
          TwoPhaseHarness.assertSameAnswer(a, single, twoPhase);
          if (keys.equals(List.of(KL))) {
            checkEmptyGroups(a, twoPhase);
          }
        }
      }
    }
  }

  /** The groups whose arguments are all NULL or all filtered out have count 0 and NULL sums and extremes. */
  private static void checkEmptyGroups(Aggregation a, Batch out) {
    Map<List<Object>, Object[]> m = TwoPhaseHarness.byKey(out, 1);
    Object[] allNull = m.get(List.of(ALL_NULL_KEY));
    Object[] filtered = m.get(List.of(FILTERED_KEY));
    assertTrue(allNull != null && filtered != null, "both empty groups are there");
    for (int i = 0; i < a.calls().size(); i++) {
      AggregateCall c = a.calls().get(i);
      boolean counts = c.fn() == Fn.COUNT || c.fn() == Fn.COUNT_STAR;
      if (c.arg() != null && c.filter() == null) {
        assertEquals(counts ? (Object) 0L : null, allNull[i], c + " over only NULLs");
      }
      if (c.filter() != null) {
        assertEquals(counts ? (Object) 0L : null, filtered[i], c + " with every row filtered out");
      }
    }
  }

  /** No rows at all: a global aggregation still answers one row (count 0, others NULL), a grouped one none. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("keySets")
  void emptyInputAnswersAsSingle(String name, List<ColumnRef> keys) {
    try (RootAllocator allocator = new RootAllocator()) {
      TwoPhaseHarness h = new TwoPhaseHarness(allocator, LAYOUT);
      Aggregation a = new Aggregation(keys, allCalls());
      SplittableRandom random = new SplittableRandom(5);
      try (Batch single = h.single(a, List.of());
          Batch twoPhase = h.twoPhase(a, List.of(List.of(), List.of()), random)) {
        assertEquals(keys.isEmpty() ? 1 : 0, twoPhase.rowCount());
        TwoPhaseHarness.assertSameAnswer(a, single, twoPhase);
      }
    }
  }

  /** FINAL with no input batch at all (no partition reached it) answers as SINGLE on no rows. */
  @Test
  void finalWithoutInputAnswersAsSingleOnNoRows() {
    try (RootAllocator allocator = new RootAllocator()) {
      TwoPhaseHarness h = new TwoPhaseHarness(allocator, LAYOUT);
      Aggregation a = new Aggregation(List.of(), allCalls());
      try (HashAggregateSink sink = HashAggregateSink.finalMerge(List.of(), a.calls(), "final");
          Batch single = h.single(a, List.of());
          Batch fin = sink.take(h.ctx)) {
        assertEquals(1, fin.rowCount());
        TwoPhaseHarness.assertSameAnswer(a, single, fin);
      }
    }
  }

  /** The state layout is a wire format: these names and types must not change by accident. */
  @Test
  void partialOutputColumnsAreNamedAndTypedStably() {
    List<AggregateCall> calls = List.of(call(Fn.COUNT_STAR, null, false, null), call(Fn.SUM, DEC, false, null),
        call(Fn.AVG, D, false, F), call(Fn.MIN, S, false, null), call(Fn.MAX, B, false, null),
        call(Fn.VAR_SAMP, D, false, null), call(Fn.COUNT, DT, true, null));
    List<String> shown = AggregateLayout.partialFields(List.of("kl", "ks"), List.of(DataType.DATE, DataType.VARCHAR),
        calls).stream().map(Field::toString).toList();
    assertEquals(List.of("kl: Int(64, true)", "ks: Utf8",
        "a0_count: Int(64, true) not null",
        "a1_sum: Int(64, true) not null", "a1_count: Int(64, true) not null",
        "a2_sum: FloatingPoint(DOUBLE) not null", "a2_count: Int(64, true) not null",
        "a3_value: Utf8",
        "a4_value: Bool",
        "a5_count: Int(64, true) not null", "a5_mean: FloatingPoint(DOUBLE) not null",
        "a5_m2: FloatingPoint(DOUBLE) not null",
        "a6_values: List<$data$: Int(64, true) not null> not null"), shown);
  }

  /** Partial sums that each fit but whose total does not: FINAL reports the overflow, and leaks nothing. */
  @Test
  void finalReportsAnOverflowingSumOfPartialSums() {
    try (RootAllocator allocator = new RootAllocator()) {
      TwoPhaseHarness h = new TwoPhaseHarness(allocator, LAYOUT);
      Aggregation a = new Aggregation(List.of(KL), List.of(call(Fn.SUM, BIG, false, null)));
      List<Object[]> rows = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Object[] row = new Object[LAYOUT.size()];
        row[0] = 1L;
        row[6] = Long.MAX_VALUE / 3;
        rows.add(row);
      }
      SplittableRandom random = new SplittableRandom(1);
      KilnException e = assertThrows(KilnException.class,
          () -> h.twoPhase(a, List.of(rows.subList(0, 2), rows.subList(2, 4)), random).close());
      assertTrue(e.getMessage().contains("overflow in sum"), e.getMessage());
    }
  }

  /** A batch that is not the PARTIAL output of the same aggregation is a clear error, not a ClassCastException. */
  @Test
  void finalRejectsABatchOfAnotherLayout() {
    try (RootAllocator allocator = new RootAllocator()) {
      TwoPhaseHarness h = new TwoPhaseHarness(allocator, LAYOUT);
      List<AggregateCall> calls = List.of(call(Fn.SUM, D, false, null));
      try (HashAggregateSink sink = HashAggregateSink.finalMerge(List.of(DataType.BIGINT), calls, "final")) {
        BigIntVector key = new BigIntVector("k", allocator);
        BigIntVector sum = new BigIntVector("sum", allocator);
        BigIntVector count = new BigIntVector("count", allocator);
        Batch wrong = new Batch(new ValueVector[] {key, sum, count}, 0);
        try (var local = sink.newLocal(h.ctx)) {
          KilnException e = assertThrows(KilnException.class, () -> local.push(wrong));
          assertTrue(e.getMessage().contains("column 1"), e.getMessage());
        }
      }
    }
  }
}
