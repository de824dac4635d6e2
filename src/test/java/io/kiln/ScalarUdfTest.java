package io.kiln;

import static io.kiln.Functions.call;
import static io.kiln.Functions.col;
import static io.kiln.Functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.catalog.ScalarUdf;
import io.kiln.datasource.memory.MemoryTable;
import io.kiln.error.KilnException;
import io.kiln.testing.Modes;
import io.kiln.types.DataType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * User scalar functions from SQL and DataFrames in both execution modes, each result checked
 * against the same function applied to the test's own rows in plain Java.
 */
class ScalarUdfTest {
  private static final int ROWS = 5000;
  private static final DataType AMOUNT = DataType.decimal(10, 2);
  private static final DataType TAXED = DataType.decimal(12, 2);

  /** a + 10 * b, on BIGINT and INTEGER. */
  private static final ScalarUdf ADD_SCALED = ScalarUdf.of("add_scaled", DataType.BIGINT, DataType.INTEGER,
      DataType.BIGINT, (Long a, Integer b) -> a + 10L * b);
  private static final ScalarUdf HALF = ScalarUdf.of("half", DataType.DOUBLE, DataType.DOUBLE, (Double x) -> x / 2);
  private static final ScalarUdf SHOUT = ScalarUdf.of("shout", DataType.VARCHAR, DataType.VARCHAR,
      (String s) -> s.toUpperCase(Locale.ROOT) + "!");
  private static final ScalarUdf FLIP = ScalarUdf.of("flip", DataType.BOOLEAN, DataType.BOOLEAN, (Boolean b) -> !b);
  private static final ScalarUdf NEXT_MONTH = ScalarUdf.of("next_month", DataType.DATE, DataType.DATE,
      (LocalDate d) -> d.plusMonths(1));
  private static final ScalarUdf WITH_TAX = ScalarUdf.of("with_tax", AMOUNT, TAXED,
      (BigDecimal a) -> a.multiply(new BigDecimal("1.2")).setScale(2, RoundingMode.HALF_UP));
  /** Sees NULLs itself. */
  private static final ScalarUdf OR_NONE = ScalarUdf.of("or_none", DataType.VARCHAR, DataType.VARCHAR,
      (String s) -> s == null ? "none" : s).calledOnNullInput();

  private RootAllocator allocator;
  private MemoryTable table;
  private List<Object[]> rows;

  static List<ExecutionMode> modes() {
    return Modes.all();
  }

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
    Schema schema = new Schema(List.of(
        Field.nullable("id", new ArrowType.Int(64, true)),
        Field.nullable("n", new ArrowType.Int(32, true)),
        Field.nullable("x", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
        Field.nullable("s", ArrowType.Utf8.INSTANCE),
        Field.nullable("flag", ArrowType.Bool.INSTANCE),
        Field.nullable("day", new ArrowType.Date(DateUnit.DAY)),
        Field.nullable("amt", new ArrowType.Decimal(10, 2, 128))));
    rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      rows.add(new Object[] {(long) i, i % 7 == 0 ? null : i % 100 - 50, i * 0.25,
          i % 5 == 0 ? null : "w" + (i % 13), i % 3 == 0, LocalDate.of(2024, 1, 31).plusDays(i % 400),
          i % 11 == 0 ? null : new BigDecimal(i).movePointLeft(2)});
    }
    table = MemoryTable.fromRows(schema, rows, allocator);
  }

  @AfterEach
  void tearDown() {
    table.close();
    allocator.close();
  }

  private Kiln session(ExecutionMode mode) {
    Kiln kiln = Modes.builder(mode).threads(2).build();
    kiln.registerTable("t", table);
    for (ScalarUdf f : List.of(ADD_SCALED, HALF, SHOUT, FLIP, NEXT_MONTH, WITH_TAX, OR_NONE)) {
      kiln.registerFunction(f);
    }
    return kiln;
  }

  private static List<String> strings(List<Object[]> rows) {
    List<String> out = new ArrayList<>();
    for (Object[] r : rows) {
      out.add(Arrays.toString(r));
    }
    return out;
  }

  /** The expected row of the every-type query, computed here from the row itself. */
  private static Object[] everyTypeRow(Object[] r) {
    Long id = (Long) r[0];
    Integer n = (Integer) r[1];
    String s = (String) r[3];
    BigDecimal amt = (BigDecimal) r[6];
    return new Object[] {id, n == null ? null : id + 10L * n, (Double) r[2] / 2,
        s == null ? null : s.toUpperCase(Locale.ROOT) + "!", !(Boolean) r[4], ((LocalDate) r[5]).plusMonths(1),
        amt == null ? null : amt.multiply(new BigDecimal("1.2")).setScale(2, RoundingMode.HALF_UP),
        s == null ? "none" : s};
  }

  @ParameterizedTest
  @MethodSource("modes")
  void sqlCallsFunctionsOfEveryTypeWithNullInNullOut(ExecutionMode mode) {
    try (Kiln kiln = session(mode)) {
      Result r = kiln.execute("SELECT id, add_scaled(id, n), half(x), shout(s), flip(flag), next_month(day), "
          + "with_tax(amt), or_none(s) FROM t ORDER BY id");
      List<Object[]> expected = new ArrayList<>();
      for (Object[] row : rows) {
        expected.add(everyTypeRow(row));
      }
      assertEquals(strings(expected), strings(r.rows()));
      assertEquals(List.of(DataType.BIGINT, DataType.BIGINT, DataType.DOUBLE, DataType.VARCHAR, DataType.BOOLEAN,
          DataType.DATE, TAXED, DataType.VARCHAR), r.columnTypes());
    }
  }

  @ParameterizedTest
  @MethodSource("modes")
  void functionsWorkInWhereGroupByAndAggregateArguments(ExecutionMode mode) {
    try (Kiln kiln = session(mode)) {
      Result r = kiln.execute("SELECT shout(s) AS k, count(*), sum(add_scaled(id, n)) FROM t "
          + "WHERE flip(flag) AND half(x) > 10 GROUP BY shout(s) ORDER BY k NULLS FIRST");
      Map<String, long[]> groups = new TreeMap<>();
      List<Object[]> expected = new ArrayList<>();
      long[] nullGroup = null;
      for (Object[] row : rows) {
        if ((Boolean) row[4] || (Double) row[2] / 2 <= 10) {
          continue;
        }
        String s = (String) row[3];
        long[] g;
        if (s == null) {
          g = nullGroup == null ? nullGroup = new long[3] : nullGroup;
        } else {
          g = groups.computeIfAbsent(s.toUpperCase(Locale.ROOT) + "!", k -> new long[3]);
        }
        g[0]++;
        if (row[1] != null) {
          g[1] += (Long) row[0] + 10L * (Integer) row[1];
          g[2]++;
        }
      }
      if (nullGroup != null) {
        expected.add(new Object[] {null, nullGroup[0], nullGroup[2] == 0 ? null : nullGroup[1]});
      }
      groups.forEach((k, g) -> expected.add(new Object[] {k, g[0], g[2] == 0 ? null : java.math.BigInteger
          .valueOf(g[1])}));
      List<String> actual = new ArrayList<>();
      for (Object[] row : r.rows()) {
        actual.add(Arrays.toString(new Object[] {row[0], row[1], row[2] == null ? null
            : new BigDecimal(row[2].toString()).toBigIntegerExact()}));
      }
      assertEquals(strings(expected), actual);
    }
  }

  @ParameterizedTest
  @MethodSource("modes")
  void argumentsConvertImplicitlyAndLiteralsWork(ExecutionMode mode) {
    try (Kiln kiln = session(mode)) {
      // INTEGER n as the BIGINT argument, literals for both, a string literal as a DATE, an integer as DOUBLE
      Result r = kiln.execute("SELECT add_scaled(n, 3), add_scaled(7, 2), next_month('2024-01-31'), half(id) "
          + "FROM t WHERE id = 8");
      assertEquals(List.of(Arrays.toString(new Object[] {-42L + 30, 27L, LocalDate.of(2024, 2, 29), 4.0})),
          strings(r.rows()));
    }
  }

  @ParameterizedTest
  @MethodSource("modes")
  void dataFramesCallTheSameFunctionObjects(ExecutionMode mode) {
    try (Kiln kiln = session(mode)) {
      Result r = kiln.table("t").filter(call(FLIP, col("flag")))
          .select(col("id"), call(ADD_SCALED, col("id"), col("n")).as("scaled"), call(SHOUT, lit("x")))
          .orderBy(col("id")).limit(50).collect();
      List<Object[]> expected = new ArrayList<>();
      for (Object[] row : rows) {
        if (!(Boolean) row[4] && expected.size() < 50) {
          expected.add(new Object[] {row[0], row[1] == null ? null : (Long) row[0] + 10L * (Integer) row[1], "X!"});
        }
      }
      assertEquals(strings(expected), strings(r.rows()));
      assertEquals("scaled", r.columnNames().get(1));
    }
  }

  @ParameterizedTest
  @MethodSource("modes")
  void anExceptionInTheFunctionFailsTheQueryNamingIt(ExecutionMode mode) {
    try (Kiln kiln = session(mode)) {
      kiln.registerFunction(ScalarUdf.of("picky", DataType.BIGINT, DataType.BIGINT, (Long v) -> {
        if (v == 4321) {
          throw new IllegalStateException("cannot take " + v);
        }
        return v;
      }));
      KilnException e = assertThrows(KilnException.class, () -> kiln.execute("SELECT sum(picky(id)) FROM t"));
      assertEquals(KilnException.Kind.EXECUTION, e.kind());
      assertTrue(e.getMessage().contains("function picky failed: IllegalStateException: cannot take 4321"),
          e.getMessage());

      kiln.registerFunction(ScalarUdf.of("liar", DataType.BIGINT, DataType.BIGINT, (Long v) -> "text"));
      e = assertThrows(KilnException.class, () -> kiln.execute("SELECT liar(id) FROM t"));
      assertTrue(e.getMessage().contains("function liar returned a String where its declared result type BIGINT "
          + "needs a Long"), e.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("modes")
  void bindingErrorsNameTheFunctionItsSignatureAndPosition(ExecutionMode mode) {
    try (Kiln kiln = session(mode)) {
      KilnException unknown = assertThrows(KilnException.class, () -> kiln.execute("SELECT no_such_fn(id) FROM t"));
      assertTrue(unknown.getMessage().contains("no_such_fn at line 1, column 8"), unknown.getMessage());

      KilnException count = assertThrows(KilnException.class, () -> kiln.execute("SELECT id,\n add_scaled(id) FROM t"));
      assertEquals(KilnException.Kind.BINDING, count.kind());
      assertTrue(count.getMessage().contains(
          "function add_scaled(BIGINT, INTEGER) -> BIGINT takes 2 arguments, got 1 at line 2, column 2"),
          count.getMessage());

      KilnException type = assertThrows(KilnException.class, () -> kiln.execute("SELECT add_scaled(s, n) FROM t"));
      assertTrue(type.getMessage().contains(
          "function add_scaled(BIGINT, INTEGER) -> BIGINT cannot take VARCHAR as argument 1"), type.getMessage());

      // BIGINT does not narrow to INTEGER implicitly
      KilnException narrowing = assertThrows(KilnException.class, () -> kiln.execute("SELECT add_scaled(id, id) FROM t"));
      assertTrue(narrowing.getMessage().contains("cannot take BIGINT as argument 2"), narrowing.getMessage());

      KilnException dataFrame = assertThrows(KilnException.class,
          () -> kiln.table("t").select(call(HALF, col("s"))).collect());
      assertTrue(dataFrame.getMessage().contains("function half(DOUBLE) -> DOUBLE cannot take VARCHAR as argument 1"),
          dataFrame.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("modes")
  void aUserFunctionReplacesABuiltInOfItsName(ExecutionMode mode) {
    try (Kiln kiln = session(mode)) {
      kiln.registerFunction(ScalarUdf.of("upper", DataType.VARCHAR, DataType.VARCHAR, (String s) -> "<" + s + ">"));
      assertEquals("[<w1>]", Arrays.toString(kiln.execute("SELECT upper(s) FROM t WHERE id = 1").rows().get(0)));
    }
  }

  @org.junit.jupiter.api.Test
  void generatedCodeCallsTheFunctionDirectly() {
    try (Kiln kiln = session(ExecutionMode.COMPILED)) {
      String source = kiln.execute("EXPLAIN CODEGEN SELECT add_scaled(id, n) FROM t WHERE flip(flag)").rows()
          .stream().map(row -> (String) row[0]).collect(Collectors.joining("\n"));
      assertTrue(source.contains("private final " + ScalarUdf.class.getName() + " k"), source);
      assertTrue(source.matches("(?s).*k\\d+\\.invoke\\(args\\d*\\).*"), source);
      assertFalse(source.contains("Rt.apply("), "no interpreter call: " + source);
    }
  }

  @org.junit.jupiter.api.Test
  void declaringAnUnsupportedTypeIsRefused() {
    KilnException e = assertThrows(KilnException.class,
        () -> ScalarUdf.of("wide", DataType.decimal(30, 2), DataType.BIGINT, (BigDecimal b) -> 1L));
    assertEquals("unsupported error: function wide: user functions cannot take or return DECIMAL(30,2)", e.getMessage());
  }
}
