package io.kiln.datasource.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.error.KilnException;
import io.kiln.catalog.ColumnPredicate;
import io.kiln.catalog.ScanRequest;
import io.kiln.catalog.ScanTask;
import io.kiln.data.Batch;
import io.kiln.types.DataType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetTableTest {
  @TempDir Path dir;
  private RootAllocator allocator;
  private Connection duck;

  @BeforeEach
  void setUp() throws Exception {
    allocator = new RootAllocator();
    duck = DriverManager.getConnection("jdbc:duckdb:");
  }

  @AfterEach
  void tearDown() throws Exception {
    duck.close();
    assertEquals(0, allocator.getAllocatedMemory(), "leaked Arrow memory");
    allocator.close(); // throws if any buffer is still open
  }

  private void duck(String sql) throws Exception {
    try (Statement s = duck.createStatement()) {
      s.execute(sql);
    }
  }

  private static String q(Path p) {
    return "'" + p.toString().replace("'", "''") + "'";
  }

  /** Every supported type, with a NULL in every column on some rows. */
  private static final String ALL_TYPES = "SELECT i AS id,"
      + " CASE WHEN i % 7 = 3 THEN NULL ELSE (i % 100)::TINYINT END AS ti,"
      + " CASE WHEN i % 7 = 4 THEN NULL ELSE (i * 3 - 900)::SMALLINT END AS si,"
      + " CASE WHEN i % 7 = 5 THEN NULL ELSE (i * 100003 - 5)::INTEGER END AS ii,"
      + " CASE WHEN i % 7 = 6 THEN NULL ELSE i * 1000000007 - 42 END AS bi,"
      + " CASE WHEN i % 5 = 1 THEN NULL ELSE (i % 250)::UTINYINT END AS ut,"
      + " CASE WHEN i % 5 = 2 THEN NULL ELSE (i * 20)::USMALLINT END AS us,"
      + " CASE WHEN i % 5 = 3 THEN NULL ELSE (4000000000 - i)::UINTEGER END AS ui,"
      + " CASE WHEN i % 5 = 4 THEN NULL ELSE i % 3 = 0 END AS b,"
      + " CASE WHEN i % 6 = 1 THEN NULL ELSE (i / 8.0)::REAL END AS f,"
      + " CASE WHEN i % 6 = 2 THEN NULL ELSE i / 3.0 END AS d,"
      + " CASE WHEN i % 6 = 3 THEN NULL ELSE (i * 1.25 - 100)::DECIMAL(9,2) END AS dec9,"
      + " CASE WHEN i % 6 = 4 THEN NULL ELSE (i * 12345.678 - 999)::DECIMAL(18,3) END AS dec18,"
      + " CASE WHEN i % 6 = 5 THEN NULL ELSE (i * 1000000.07 - 3)::DECIMAL(30,2) END AS dec30,"
      + " CASE WHEN i % 4 = 1 THEN NULL ELSE DATE '1969-12-25' + i::INTEGER END AS dt,"
      + " CASE WHEN i % 4 = 2 THEN NULL ELSE TIMESTAMP '1965-03-04 05:06:07.123456' + i * INTERVAL 37 MINUTE END AS ts,"
      + " CASE WHEN i % 4 = 3 THEN NULL ELSE (TIMESTAMP '2001-02-03 04:05:06.789' + i * INTERVAL 1 SECOND)::TIMESTAMP_MS END AS tsms,"
      + " CASE WHEN i % 4 = 3 THEN NULL ELSE (TIMESTAMP '2001-02-03 04:05:06.789' + i * INTERVAL 1 SECOND)::TIMESTAMP_NS END AS tsns,"
      + " CASE WHEN i % 9 = 1 THEN NULL WHEN i % 9 = 2 THEN '' ELSE 'v' || i || '-é✓' END AS s"
      + " FROM range(0, 3000) t(i)";

  /** DuckDB expressions giving each column in Kiln's internal encoding. */
  private static final String ALL_TYPES_INTERNAL = "SELECT id, ti, si, ii, bi, ut, us, ui, b, f::DOUBLE, d,"
      + " (dec9 * 100)::BIGINT, (dec18 * 1000)::BIGINT, (dec30 * 100)::BIGINT, (dt - DATE '1970-01-01')::BIGINT,"
      + " epoch_us(ts), epoch_us(tsms::TIMESTAMP), epoch_us(tsns::TIMESTAMP), s";

  @Test
  void readsEveryTypeWithNullsLikeDuckDb() throws Exception {
    Path file = dir.resolve("types.parquet");
    duck("COPY (" + ALL_TYPES + ") TO " + q(file) + " (FORMAT parquet, ROW_GROUP_SIZE 1024)");
    ParquetTable t = new ParquetTable(file);

    List<String> names = new ArrayList<>();
    t.schema().getFields().forEach(f -> names.add(f.getName()));
    assertEquals(List.of("id", "ti", "si", "ii", "bi", "ut", "us", "ui", "b", "f", "d", "dec9", "dec18", "dec30",
        "dt", "ts", "tsms", "tsns", "s"), names);
    assertEquals(new ArrowType.Int(8, true), type(t, "ti"));
    assertEquals(new ArrowType.Int(16, true), type(t, "ut"));
    assertEquals(new ArrowType.Int(32, true), type(t, "us"));
    assertEquals(new ArrowType.Int(64, true), type(t, "ui"));
    assertEquals(new ArrowType.Decimal(9, 2, 128), type(t, "dec9"));
    assertEquals(new ArrowType.Decimal(30, 2, 128), type(t, "dec30"));
    assertEquals(DataType.DATE, DataType.fromArrow(type(t, "dt"), "dt"));
    assertEquals(DataType.TIMESTAMP, DataType.fromArrow(type(t, "tsns"), "tsns"));
    assertEquals(DataType.REAL, DataType.fromArrow(type(t, "f"), "f"));
    assertEquals(3000L, t.statistics().rowCount().getAsLong());
    assertTrue(t.rowGroupCount() > 1, "expected several row groups, got " + t.rowGroupCount());

    List<Object[]> kiln = scan(t, IntStream.range(0, names.size()).toArray(), List.of());
    List<Object[]> expected = duckRows(ALL_TYPES_INTERNAL + " FROM " + q(file) + " ORDER BY id");
    assertEquals(expected.size(), kiln.size());
    kiln.sort((a, b) -> Long.compare((Long) a[0], (Long) b[0]));
    for (int r = 0; r < expected.size(); r++) {
      assertEquals(Arrays.toString(expected.get(r)), Arrays.toString(kiln.get(r)), "row " + r);
    }
    // Spot checks that NULLs really are NULLs and not zeros.
    assertNull(kiln.get(3)[1]);
    assertNull(kiln.get(1)[18]);
    assertEquals("", kiln.get(2)[18]);
  }

  @Test
  void projectionReordersAndRepeatsColumns() throws Exception {
    Path file = dir.resolve("p.parquet");
    duck("COPY (SELECT i AS a, 'x' || i AS b, i * 2 AS c FROM range(0, 100000) t(i)) TO " + q(file) + " (FORMAT parquet)");
    ParquetTable t = new ParquetTable(file);
    List<Object[]> rows = scan(t, new int[] {2, 0, 2}, List.of());
    assertEquals(100000, rows.size());
    assertEquals("[198, 99, 198]", Arrays.toString(rows.get(99)));
    // An empty projection still counts rows (count(*)).
    long n = 0;
    for (ScanTask task : t.planScan(new ScanRequest(new int[0], List.of(), OptionalLong.empty()))) {
      List<Batch> out = new ArrayList<>();
      task.run(allocator, out::add, () -> false);
      for (Batch b : out) {
        n += b.rowCount();
        b.close();
      }
    }
    assertEquals(100000, n);
  }

  @Test
  void emptyTable() throws Exception {
    Path file = dir.resolve("empty.parquet");
    duck("COPY (SELECT 1::INTEGER AS a, 'x' AS b WHERE false) TO " + q(file) + " (FORMAT parquet)");
    ParquetTable t = new ParquetTable(file);
    assertEquals(0L, t.statistics().rowCount().getAsLong());
    assertEquals(2, t.schema().getFields().size());
    assertEquals(0, scan(t, new int[] {0, 1}, List.of()).size());
  }

  @Test
  void directoryOfFilesIsOneTable() throws Exception {
    Path d = Files.createDirectory(dir.resolve("multi"));
    duck("COPY (SELECT i AS k, 'a' || i AS v FROM range(0, 500) t(i)) TO " + q(d.resolve("part-1.parquet")) + " (FORMAT parquet)");
    duck("COPY (SELECT i AS k, 'b' || i AS v FROM range(500, 1200) t(i)) TO " + q(d.resolve("part-0.parquet")) + " (FORMAT parquet)");
    Files.writeString(d.resolve("README.txt"), "not parquet, ignored");
    ParquetTable t = new ParquetTable(d);
    assertEquals(2, t.files().size());
    assertTrue(t.files().get(0).location().endsWith("part-0.parquet"), "files are sorted");
    assertEquals(1200L, t.statistics().rowCount().getAsLong());
    assertTrue(t.describe().startsWith("parquet " + d + " (2 files, "), t.describe());
    List<Object[]> rows = scan(t, new int[] {0, 1}, List.of());
    assertEquals(1200, rows.size());
    assertEquals("[500, b500]", Arrays.toString(rows.get(0)));

    // REQUIRED in one file, OPTIONAL in another: one nullable column, each file decoded by its own levels.
    Path req = Files.createDirectory(dir.resolve("req"));
    org.apache.parquet.schema.MessageType required = org.apache.parquet.schema.Types.buildMessage()
        .required(org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64).named("k").named("m");
    try (org.apache.parquet.hadoop.ParquetWriter<org.apache.parquet.example.data.Group> w =
        org.apache.parquet.hadoop.example.ExampleParquetWriter.builder(
            new org.apache.parquet.io.LocalOutputFile(req.resolve("a.parquet")))
        .withConf(new org.apache.parquet.conf.PlainParquetConfiguration()).withType(required).build()) {
      w.write(new org.apache.parquet.example.data.simple.SimpleGroupFactory(required).newGroup().append("k", 7L));
    }
    duck("COPY (SELECT CASE WHEN i = 1 THEN NULL ELSE i END AS k FROM range(0, 3) t(i)) TO "
        + q(req.resolve("b.parquet")) + " (FORMAT parquet)");
    ParquetTable mixedNulls = new ParquetTable(req);
    assertTrue(mixedNulls.schema().getFields().get(0).isNullable());
    assertEquals("[[7], [0], [null], [2]]", scan(mixedNulls, new int[] {0}, List.of()).stream()
        .map(Arrays::toString).collect(java.util.stream.Collectors.toList()).toString());

    Path bad = Files.createDirectory(dir.resolve("mixed"));
    duck("COPY (SELECT 1 AS k) TO " + q(bad.resolve("a.parquet")) + " (FORMAT parquet)");
    duck("COPY (SELECT 'x' AS k) TO " + q(bad.resolve("b.parquet")) + " (FORMAT parquet)");
    KilnException e = assertThrows(KilnException.class, () -> new ParquetTable(bad));
    assertTrue(e.getMessage().contains("a.parquet") && e.getMessage().contains("b.parquet"), e.getMessage());
  }

  @Test
  void rowGroupPruningSkipsRowGroupsAndKeepsMatches() throws Exception {
    Path file = dir.resolve("sorted.parquet");
    duck("COPY (SELECT i AS id, (i * 0.5)::DECIMAL(12,2) AS price, DATE '2000-01-01' + i::INTEGER AS day,"
        + " printf('k%06d', i) AS key, CASE WHEN i < 5000 THEN NULL ELSE i END AS late, i / 2.0 AS dbl"
        + " FROM range(0, 20000) t(i) ORDER BY i) TO " + q(file) + " (FORMAT parquet, ROW_GROUP_SIZE 2048)");
    ParquetTable t = new ParquetTable(file);
    int groups = t.rowGroupCount();
    assertTrue(groups >= 8, "row groups: " + groups);
    int[] all = {0};

    assertPruned(t, groups, new ColumnPredicate(0, ColumnPredicate.Op.LT, List.of(1500L)), 1500);
    assertPruned(t, groups, new ColumnPredicate(0, ColumnPredicate.Op.GE, List.of(19000L)), 1000);
    assertPruned(t, groups, new ColumnPredicate(0, ColumnPredicate.Op.EQ, List.of(7777L)), 1);
    assertPruned(t, groups, new ColumnPredicate(0, ColumnPredicate.Op.IN, List.of(5L, 19999L)), 2);
    // Decimal stats are unscaled: 100.25 lies between 100.00 (row 200) and 100.50 (row 201).
    assertPruned(t, groups, new ColumnPredicate(1, ColumnPredicate.Op.LE, List.of(new java.math.BigDecimal("100.25"))), 201);
    assertPruned(t, groups, new ColumnPredicate(2, ColumnPredicate.Op.GT, List.of(LocalDate.of(2000, 1, 1).plusDays(18000))), 1999);
    assertPruned(t, groups, new ColumnPredicate(3, ColumnPredicate.Op.EQ, List.of("k012345")), 1);
    assertPruned(t, groups, new ColumnPredicate(4, ColumnPredicate.Op.IS_NOT_NULL, List.of()), 15000);
    assertPruned(t, groups, new ColumnPredicate(4, ColumnPredicate.Op.IS_NULL, List.of()), 5000);
    assertPruned(t, groups, new ColumnPredicate(5, ColumnPredicate.Op.LT, List.of(10.0)), 20);
    // Nothing can match: every row group is skipped.
    assertEquals(0, t.planScan(new ScanRequest(all, List.of(new ColumnPredicate(0, ColumnPredicate.Op.GT, List.of(20000L))),
        OptionalLong.empty())).size());
  }

  private void assertPruned(ParquetTable t, int groups, ColumnPredicate p, int matching) {
    ScanRequest req = new ScanRequest(new int[] {0, p.column()}, List.of(p), OptionalLong.empty());
    int tasks = t.planScan(req).size();
    assertTrue(tasks < groups && tasks > 0, p + ": " + tasks + " of " + groups + " row groups");
    List<Object[]> rows = scan(t, new int[] {0, p.column()}, List.of(p));
    long id0 = -1;
    int found = 0;
    for (Object[] r : rows) {
      long id = (Long) r[0];
      boolean m;
      switch (p.column()) {
        case 0:
          m = p.op() == ColumnPredicate.Op.LT ? id < 1500 : p.op() == ColumnPredicate.Op.GE ? id >= 19000
              : p.op() == ColumnPredicate.Op.EQ ? id == 7777 : id == 5 || id == 19999;
          break;
        case 1:
          m = id <= 200;
          break;
        case 2:
          m = id > 18000;
          break;
        case 3:
          m = id == 12345;
          break;
        case 4:
          m = p.op() == ColumnPredicate.Op.IS_NULL ? r[1] == null : r[1] != null;
          break;
        default:
          m = id < 20;
      }
      found += m ? 1 : 0;
      id0 = id;
    }
    assertTrue(id0 >= 0);
    assertEquals(matching, found, p + " lost matching rows");
  }

  @Test
  void missingCorruptAndTruncatedFiles() throws Exception {
    Path missing = dir.resolve("nope.parquet");
    KilnException e = assertThrows(KilnException.class, () -> new ParquetTable(missing));
    assertEquals(KilnException.Kind.IO, e.kind());
    assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"), e.getMessage());

    Path garbage = dir.resolve("garbage.parquet");
    Files.write(garbage, "this is not a parquet file at all".getBytes(StandardCharsets.UTF_8));
    e = assertThrows(KilnException.class, () -> new ParquetTable(garbage));
    assertEquals(KilnException.Kind.IO, e.kind());
    assertTrue(e.getMessage().contains(garbage.toString()), e.getMessage());

    Path good = dir.resolve("good.parquet");
    duck("COPY (SELECT i AS a, 'row ' || i AS b FROM range(0, 50000) t(i)) TO " + q(good) + " (FORMAT parquet)");
    byte[] bytes = Files.readAllBytes(good);
    Path truncated = dir.resolve("truncated.parquet");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    e = assertThrows(KilnException.class, () -> new ParquetTable(truncated));
    assertTrue(e.getMessage().contains(truncated.toString()), e.getMessage());

    // Footer intact but data pages overwritten: fails on read, naming file and column.
    byte[] damaged = bytes.clone();
    for (int i = 4; i < damaged.length / 3; i++) {
      damaged[i] = (byte) 0x5A;
    }
    Path corrupt = dir.resolve("corrupt.parquet");
    Files.write(corrupt, damaged);
    ParquetTable t = new ParquetTable(corrupt);
    e = assertThrows(KilnException.class, () -> scan(t, new int[] {0}, List.of()));
    assertEquals(KilnException.Kind.IO, e.kind());
    assertTrue(e.getMessage().contains(corrupt.toString()) && e.getMessage().contains("column a"), e.getMessage());
  }

  @Test
  void unsupportedAndOverflowingColumns() throws Exception {
    Path nested = dir.resolve("nested.parquet");
    duck("COPY (SELECT 1 AS a, [1, 2] AS xs) TO " + q(nested) + " (FORMAT parquet)");
    KilnException e = assertThrows(KilnException.class, () -> new ParquetTable(nested));
    assertEquals(KilnException.Kind.UNSUPPORTED, e.kind());
    assertTrue(e.getMessage().contains("xs") && e.getMessage().contains(nested.toString()), e.getMessage());

    Path wide = dir.resolve("wide.parquet");
    duck("COPY (SELECT 1.5::DECIMAL(38,2) AS w UNION ALL SELECT 123456789012345678901234.5::DECIMAL(38,2)) TO "
        + q(wide) + " (FORMAT parquet)");
    ParquetTable t = new ParquetTable(wide);
    e = assertThrows(KilnException.class, () -> scan(t, new int[] {0}, List.of()));
    assertTrue(e.getMessage().contains(wide.toString()) && e.getMessage().contains("column w"), e.getMessage());
  }

  @Test
  void stopEndsTheScanEarly() throws Exception {
    Path file = dir.resolve("big.parquet");
    duck("COPY (SELECT i AS a FROM range(0, 200000) t(i)) TO " + q(file) + " (FORMAT parquet)");
    ParquetTable t = new ParquetTable(file);
    ScanTask task = t.planScan(new ScanRequest(new int[] {0}, List.of(), OptionalLong.empty())).get(0);
    List<Batch> out = new ArrayList<>();
    task.run(allocator, out::add, () -> !out.isEmpty());
    assertEquals(1, out.size());
    assertTrue(out.get(0).rowCount() <= 65536);
    out.forEach(Batch::close);
  }

  private static ArrowType type(ParquetTable t, String name) {
    return t.schema().findField(name).getType();
  }

  /** Scans every task, returning rows of raw internal values (Long, Double, Boolean, String or null). */
  private List<Object[]> scan(ParquetTable t, int[] projection, List<ColumnPredicate> filters) {
    List<Object[]> rows = new ArrayList<>();
    for (ScanTask task : t.planScan(new ScanRequest(projection, filters, OptionalLong.empty()))) {
      task.run(allocator, b -> {
        try (b) {
          assertEquals(projection.length, b.columnCount());
          for (int r = 0; r < b.rowCount(); r++) {
            Object[] row = new Object[b.columnCount()];
            for (int c = 0; c < row.length; c++) {
              row[c] = raw(b.column(c), r);
            }
            rows.add(row);
          }
        }
      }, () -> false);
    }
    return rows;
  }

  static Object raw(ValueVector v, int r) {
    if (v.isNull(r)) {
      return null;
    }
    if (v instanceof BigIntVector) {
      return ((BigIntVector) v).get(r);
    }
    if (v instanceof Float8Vector) {
      return ((Float8Vector) v).get(r);
    }
    if (v instanceof BitVector) {
      return ((BitVector) v).get(r) != 0;
    }
    return new String(((VarCharVector) v).get(r), StandardCharsets.UTF_8);
  }

  private List<Object[]> duckRows(String sql) throws Exception {
    List<Object[]> rows = new ArrayList<>();
    try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Object[] row = new Object[n];
        for (int c = 0; c < n; c++) {
          Object o = rs.getObject(c + 1);
          if (o instanceof Number && !(o instanceof Double || o instanceof Float)) {
            o = ((Number) o).longValue();
          } else if (o instanceof Float) {
            o = ((Float) o).doubleValue();
          }
          row[c] = o;
        }
        rows.add(row);
      }
    }
    return rows;
  }
}
