package io.kiln;

import static io.kiln.Functions.aggregate;
import static io.kiln.Functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.catalog.AggregateUdf;
import io.kiln.datasource.memory.MemoryTable;
import io.kiln.error.KilnException;
import io.kiln.testing.Modes;
import io.kiln.types.DataType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * User aggregate functions in GROUP BY and global aggregation, both modes, checked against the
 * same fold done here over the test's own rows.
 */
class AggregateUdfTest {
  private static final int ROWS = 20_000;

  /** The sum of squares, NULL without values: a mutable state {count, sum}. */
  static class SumOfSquares implements AggregateUdf.Steps<long[]> {
    @Override
    public long[] init() {
      return new long[2];
    }

    @Override
    public long[] update(long[] s, Object value) {
      long v = (Long) value;
      s[0]++;
      s[1] += v * v;
      return s;
    }

    @Override
    public long[] merge(long[] s, long[] other) {
      s[0] += other[0];
      s[1] += other[1];
      return s;
    }

    @Override
    public Object finish(long[] s) {
      return s[0] == 0 ? null : s[1];
    }

    @Override
    public byte[] serialize(long[] s) {
      return ByteBuffer.allocate(16).putLong(s[0]).putLong(s[1]).array();
    }

    @Override
    public long[] deserialize(byte[] bytes) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      return new long[] {b.getLong(), b.getLong()};
    }
  }

  /** The longest string (the smallest of equally long ones): an immutable String state. */
  static final class Longest implements AggregateUdf.Steps<String> {
    @Override
    public String init() {
      return null;
    }

    @Override
    public String update(String s, Object value) {
      return longer(s, (String) value);
    }

    @Override
    public String merge(String s, String other) {
      return longer(s, other);
    }

    static String longer(String a, String b) {
      if (a == null || b == null) {
        return a == null ? b : a;
      }
      return a.length() != b.length() ? (a.length() > b.length() ? a : b) : (a.compareTo(b) <= 0 ? a : b);
    }

    @Override
    public Object finish(String s) {
      return s;
    }

    @Override
    public byte[] serialize(String s) {
      return s == null ? new byte[0] : ("=" + s).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String deserialize(byte[] bytes) {
      return bytes.length == 0 ? null : new String(bytes, StandardCharsets.UTF_8).substring(1);
    }
  }

  private RootAllocator allocator;
  private MemoryTable table;
  private List<Object[]> rows;
  private AggregateUdf sumSq;
  private AggregateUdf longest;

  static List<ExecutionMode> modes() {
    return Modes.all();
  }

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
    Schema schema = new Schema(List.of(Field.nullable("k", new ArrowType.Int(32, true)),
        Field.nullable("v", new ArrowType.Int(64, true)), Field.nullable("s", ArrowType.Utf8.INSTANCE)));
    rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      rows.add(new Object[] {i % 9 == 0 ? null : i % 17, i % 6 == 0 ? null : (long) (i % 1000 - 300),
          i % 4 == 0 ? null : "s" + Integer.toString(i * 7919 % 100_003, 36)});
    }
    table = MemoryTable.fromRows(schema, rows, allocator);
    sumSq = AggregateUdf.of("sum_sq", DataType.BIGINT, DataType.BIGINT, new SumOfSquares());
    longest = AggregateUdf.of("longest", DataType.VARCHAR, DataType.VARCHAR, new Longest());
  }

  @AfterEach
  void tearDown() {
    table.close();
    allocator.close();
  }

  private Kiln session(ExecutionMode mode) {
    Kiln kiln = Modes.builder(mode).threads(2).build();
    kiln.registerTable("t", table);
    kiln.registerFunction(sumSq);
    kiln.registerFunction(longest);
    return kiln;
  }

  /** Per key (null first): {sum of squares or null, longest or null, count of v}. */
  private Map<Integer, Object[]> expectedByKey(boolean onlyEvenV) {
    Map<Integer, Object[]> out = new TreeMap<>(java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()));
    for (Object[] r : rows) {
      Object[] g = out.computeIfAbsent((Integer) r[0], k -> new Object[3]);
      Long v = (Long) r[1];
      if (v != null && (!onlyEvenV || v % 2 == 0)) {
        g[0] = (g[0] == null ? 0L : (Long) g[0]) + v * v;
      }
      if (!onlyEvenV) {
        g[1] = Longest.longer((String) g[1], (String) r[2]);
      }
    }
    return out;
  }

  private static List<String> strings(List<Object[]> rows) {
    return rows.stream().map(Arrays::toString).collect(Collectors.toList());
  }

  @ParameterizedTest
  @MethodSource("modes")
  void groupByAndGlobalAggregation(ExecutionMode mode) {
    try (Kiln kiln = session(mode)) {
      List<Object[]> expected = new ArrayList<>();
      expectedByKey(false).forEach((k, g) -> expected.add(new Object[] {k, g[0], g[1]}));
      assertEquals(strings(expected), strings(kiln.execute(
          "SELECT k, sum_sq(v), longest(s) FROM t GROUP BY k ORDER BY k NULLS FIRST").rows()));

      long total = 0;
      String longestOfAll = null;
      for (Object[] r : rows) {
        total += r[1] == null ? 0 : (Long) r[1] * (Long) r[1];
        longestOfAll = Longest.longer(longestOfAll, (String) r[2]);
      }
      assertEquals(List.of(Arrays.asList(total, longestOfAll, (long) ROWS)),
          kiln.execute("SELECT sum_sq(v), longest(s), count(*) FROM t").rowLists());
      // no rows: finish(init()), here NULL
      assertEquals(List.of(Arrays.asList(null, null)),
          kiln.execute("SELECT sum_sq(v), longest(s) FROM t WHERE v > 100000").rowLists());
    }
  }

  @ParameterizedTest
  @MethodSource("modes")
  void filterAndImplicitConversionOfTheArgument(ExecutionMode mode) {
    try (Kiln kiln = session(mode)) {
      List<Object[]> expected = new ArrayList<>();
      expectedByKey(true).forEach((k, g) -> expected.add(new Object[] {k, g[0]}));
      assertEquals(strings(expected), strings(kiln.execute(
          "SELECT k, sum_sq(v) FILTER (WHERE v % 2 = 0) FROM t GROUP BY k ORDER BY k NULLS FIRST").rows()));
      // k is INTEGER, taken as the BIGINT argument
      long expectedK = 0;
      for (Object[] r : rows) {
        expectedK += r[0] == null ? 0 : (long) (Integer) r[0] * (Integer) r[0];
      }
      assertEquals(List.of(List.of(expectedK)), kiln.execute("SELECT sum_sq(k) FROM t").rowLists());
    }
  }

  @ParameterizedTest
  @MethodSource("modes")
  void dataFramesAggregateWithTheSameObject(ExecutionMode mode) {
    try (Kiln kiln = session(mode)) {
      List<Object[]> expected = new ArrayList<>();
      expectedByKey(false).forEach((k, g) -> {
        if (k != null) {
          expected.add(new Object[] {k, g[0]});
        }
      });
      Result r = kiln.table("t").filter(col("k").isNotNull()).groupBy(col("k")).agg(aggregate(sumSq, col("v")))
          .orderBy(col("k")).collect();
      assertEquals(strings(expected), strings(r.rows()));
      assertEquals("sum_sq(v)", r.columnNames().get(1));
    }
  }

  @ParameterizedTest
  @MethodSource("modes")
  void errorsNameTheFunction(ExecutionMode mode) {
    try (Kiln kiln = session(mode)) {
      kiln.registerFunction(AggregateUdf.of("fragile", DataType.BIGINT, DataType.BIGINT, new SumOfSquares() {
        @Override
        public long[] update(long[] s, Object value) {
          if ((Long) value == 650) {
            throw new ArithmeticException("no 650s");
          }
          return super.update(s, value);
        }
      }));
      KilnException e = assertThrows(KilnException.class, () -> kiln.execute("SELECT k, fragile(v) FROM t GROUP BY k"));
      assertEquals("execution error: function fragile failed in update: ArithmeticException: no 650s", e.getMessage());

      e = assertThrows(KilnException.class, () -> kiln.execute("SELECT sum_sq(s) FROM t"));
      assertTrue(e.getMessage().contains("function sum_sq(BIGINT) -> BIGINT cannot take VARCHAR as argument 1")
          && e.getMessage().contains("at line 1, column 8"), e.getMessage());
      e = assertThrows(KilnException.class, () -> kiln.execute("SELECT sum_sq(DISTINCT v) FROM t"));
      assertTrue(e.getMessage().contains("user aggregate sum_sq(BIGINT) -> BIGINT takes one value: no *, DISTINCT"),
          e.getMessage());
      e = assertThrows(KilnException.class, () -> kiln.execute("SELECT sum_sq(v, v) FROM t"));
      assertTrue(e.getMessage().contains("takes 1 argument, got 2"), e.getMessage());
      e = assertThrows(KilnException.class, () -> kiln.execute("SELECT sum_sq(v) OVER () FROM t"));
      assertTrue(e.getMessage().contains("window function sum_sq"), e.getMessage());
    }
  }

  @Test
  void generatedCodeUpdatesTheUserState() {
    // (locally PARTIAL and FINAL merge states in memory; UdfAggStateTest covers the serialized form)
    try (Kiln kiln = session(ExecutionMode.COMPILED)) {
      String source = kiln.execute("EXPLAIN CODEGEN SELECT k, sum_sq(v) FROM t GROUP BY k").rows().stream()
          .map(row -> (String) row[0]).collect(Collectors.joining("\n"));
      assertTrue(source.contains(io.kiln.physical.agg.UdfAggState.class.getName()), source);
    }
  }
}
