package io.kiln.physical.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.datasource.memory.MemoryTable;
import io.kiln.testing.Modes;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scans skip rows by the key sets of joins: a probe-side scan by its own join's build keys, and a
 * build-side scan (under an aggregation grouped by the key) by the keys of an inner join its
 * probe keys passed below. Answers are worked out here row by row, and are the same with runtime
 * filters off.
 */
class RuntimeFilterTest {
  /** Fact rows: key i % KEYS, value i. */
  private static final int FACT_ROWS = 200_000;
  private static final int KEYS = 20_000;
  /** Dimension rows: key i, tag i % 100; tag 7 keeps 200 keys, 1% of the fact rows. */
  private static final String TAGGED = "d.tag = 7";

  /** With the same key and a value above its key's average (TPC-H Q17's shape). */
  private static final String ABOVE_AVERAGE = "SELECT count(*), sum(f.v) FROM f JOIN d ON f.k = d.k WHERE " + TAGGED
      + " AND f.v > (SELECT avg(f2.v) FROM f f2 WHERE f2.k = d.k)";

  @TempDir static Path data;

  @BeforeAll
  static void files() {
    try (RootAllocator memory = new RootAllocator();
        MemoryTable numbers = MemoryTable.fromRows(new Schema(List.of(Field.nullable("i",
            new ArrowType.Int(64, true)))), numbers(), memory);
        Kiln kiln = Modes.builder(ExecutionMode.COMPILED).threads(2).build()) {
      kiln.registerTable("numbers", numbers);
      kiln.execute("COPY (SELECT i % " + KEYS + " AS k, i AS v FROM numbers) TO '" + data.resolve("f.parquet") + "'");
      kiln.execute("COPY (SELECT i AS k, i % 100 AS tag FROM numbers WHERE i < " + KEYS + ") TO '"
          + data.resolve("d.parquet") + "'");
    }
  }

  private static List<Object[]> numbers() {
    List<Object[]> rows = new ArrayList<>();
    for (long i = 0; i < FACT_ROWS; i++) {
      rows.add(new Object[] {i});
    }
    return rows;
  }

  private static Kiln kiln(ExecutionMode mode, boolean runtimeFilters) {
    Kiln kiln = Modes.builder(mode).threads(2).runtimeFilters(runtimeFilters).build();
    kiln.registerParquet("f", data.resolve("f.parquet"));
    kiln.registerParquet("d", data.resolve("d.parquet"));
    return kiln;
  }

  private static String row(Kiln kiln, String sql) {
    return Arrays.toString(kiln.execute(sql).rows().get(0));
  }

  private static List<String> explain(Kiln kiln, String sql) {
    List<String> lines = new ArrayList<>();
    for (Object[] line : kiln.execute(sql).rows()) {
      lines.add((String) line[0]);
    }
    return lines;
  }

  /** The rows each scan of f produced, from EXPLAIN ANALYZE's physical plan. */
  private static List<Long> factScanRows(List<String> plan) {
    Pattern scan = Pattern.compile("\\] Scan f \\[.*\\(rows=(\\d+)\\)$");
    List<Long> rows = new ArrayList<>();
    for (String line : plan) {
      Matcher m = scan.matcher(line);
      if (m.find()) {
        rows.add(Long.parseLong(m.group(1)));
      }
    }
    return rows;
  }

  /** count(*) and sum(v) of the fact rows whose key has tag 7. */
  private static String taggedJoin() {
    long count = 0;
    long sum = 0;
    for (long i = 0; i < FACT_ROWS; i++) {
      if (i % KEYS % 100 == 7) {
        count++;
        sum += i;
      }
    }
    return "[" + count + ", " + sum + "]";
  }

  /** The same for the rows whose value is above their key's average value. */
  private static String aboveAverage() {
    long count = 0;
    long sum = 0;
    int perKey = FACT_ROWS / KEYS;
    for (long k = 0; k < KEYS; k++) {
      if (k % 100 != 7) {
        continue;
      }
      BigDecimal total = BigDecimal.ZERO;
      for (long j = 0; j < perKey; j++) {
        total = total.add(BigDecimal.valueOf(k + j * KEYS));
      }
      BigDecimal average = total.divide(BigDecimal.valueOf(perKey));
      for (long j = 0; j < perKey; j++) {
        long v = k + j * KEYS;
        if (BigDecimal.valueOf(v).compareTo(average) > 0) {
          count++;
          sum += v;
        }
      }
    }
    return "[" + count + ", " + sum + "]";
  }

  @ParameterizedTest
  @MethodSource("io.kiln.testing.Modes#all")
  void aProbeSideScanSkipsTheKeysItsJoinLacks(ExecutionMode mode) {
    String sql = "SELECT count(*), sum(f.v) FROM f JOIN d ON f.k = d.k WHERE " + TAGGED;
    try (Kiln on = kiln(mode, true); Kiln off = kiln(mode, false)) {
      assertEquals(taggedJoin(), row(on, sql));
      assertEquals(taggedJoin(), row(off, sql));
      List<String> plan = explain(on, "EXPLAIN ANALYZE " + sql);
      String text = String.join("\n", plan);
      assertTrue(text.contains("runtime filters=[#0 GE [7], #0 LE [19907], #0 IN ["), text);
      // 2,000 of the 200,000 fact rows have a tagged key; the scan hands on few besides them
      assertEquals(1, factScanRows(plan).size(), text);
      assertTrue(factScanRows(plan).get(0) < FACT_ROWS / 10, text);
      assertEquals(List.of((long) FACT_ROWS), factScanRows(explain(off, "EXPLAIN ANALYZE " + sql)));
    }
  }

  @ParameterizedTest
  @MethodSource("io.kiln.testing.Modes#all")
  void anAggregationUnderAJoinReadsOnlyTheKeysTheOtherSideKept(ExecutionMode mode) {
    try (Kiln on = kiln(mode, true); Kiln off = kiln(mode, false)) {
      assertEquals(aboveAverage(), row(on, ABOVE_AVERAGE));
      assertEquals(aboveAverage(), row(off, ABOVE_AVERAGE));
      List<String> plan = explain(on, "EXPLAIN ANALYZE " + ABOVE_AVERAGE);
      String text = String.join("\n", plan);
      // both scans of f: the outer one, and the one under the average per key
      List<Long> rows = factScanRows(plan);
      assertEquals(2, rows.size(), text);
      for (long r : rows) {
        assertTrue(r < FACT_ROWS / 10, text);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("io.kiln.testing.Modes#all")
  void joinsThatKeepUnmatchedRowsReadThemAll(ExecutionMode mode) {
    String tagged = "(SELECT k, tag FROM d WHERE tag = 7)";
    try (Kiln kiln = kiln(mode, true)) {
      assertEquals("[" + FACT_ROWS + ", 2000]", row(kiln, "SELECT count(*), count(t.tag) FROM f LEFT JOIN " + tagged
          + " t ON f.k = t.k"));
      assertEquals("[" + (FACT_ROWS - 2000) + "]", row(kiln, "SELECT count(*) FROM f WHERE f.k NOT IN (SELECT k FROM "
          + tagged + " t)"));
      assertEquals("[" + (FACT_ROWS - 2000) + "]", row(kiln, "SELECT count(*) FROM f WHERE NOT EXISTS (SELECT 1 FROM "
          + tagged + " t WHERE t.k = f.k)"));
      String full = "SELECT count(*), count(f.v), count(t.k) FROM f FULL JOIN " + tagged + " t ON f.k = t.k";
      assertEquals("[" + FACT_ROWS + ", " + FACT_ROWS + ", 2000]", row(kiln, full));
      assertFalse(String.join("\n", explain(kiln, "EXPLAIN " + full)).contains("runtime filters"));
    }
  }

  @ParameterizedTest
  @MethodSource("io.kiln.testing.Modes#all")
  void anEmptyKeySetSkipsTheWholeScan(ExecutionMode mode) {
    // no dimension row has tag 1000: the average per key under the join needs no fact row
    String sql = ABOVE_AVERAGE.replace(TAGGED, "d.tag = 1000");
    try (Kiln kiln = kiln(mode, true)) {
      assertEquals("[0, null]", row(kiln, sql));
      List<String> plan = explain(kiln, "EXPLAIN ANALYZE " + sql);
      String text = String.join("\n", plan);
      assertTrue(text.contains("IN []"), text);
      for (long r : factScanRows(plan)) {
        assertEquals(0, r, text);
      }
      assertTrue(text.contains("row groups read 0"), text);
    }
  }

  @ParameterizedTest
  @MethodSource("io.kiln.testing.Modes#all")
  void turnedOffNoScanWaits(ExecutionMode mode) {
    try (Kiln off = kiln(mode, false)) {
      assertFalse(String.join("\n", explain(off, "EXPLAIN " + ABOVE_AVERAGE)).contains("runtime filters"));
    }
  }
}
