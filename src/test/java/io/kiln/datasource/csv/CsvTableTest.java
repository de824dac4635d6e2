package io.kiln.datasource.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.error.KilnException;
import io.kiln.catalog.ScanRequest;
import io.kiln.catalog.ScanTask;
import io.kiln.catalog.TableStatistics;
import io.kiln.data.Batch;
import io.kiln.data.Vectors;
import io.kiln.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {
  @TempDir Path dir;
  private RootAllocator allocator;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    assertEquals(0, allocator.getAllocatedMemory(), "leaked Arrow memory");
    allocator.close();
  }

  @Test
  void infersTypesAndReadsNulls() throws Exception {
    Path f = dir.resolve("t.csv");
    Files.writeString(f, "id,flag,amount,day,at,name,empty\n"
        + "1,true,1.5,2024-01-31,2024-01-31 10:11:12,\"Smith, J\",\n"
        + "2,FALSE,,2024-02-01,2024-02-01 00:00:00.123456,\"say \"\"hi\"\"\",\n"
        + ",,3,,,,\n"
        + "-4,false,-2e3,1999-12-31,1999-12-31 23:59:59.5,\"multi\nline\",\n");
    CsvTable t = new CsvTable(f);
    assertEquals(List.of(DataType.BIGINT, DataType.BOOLEAN, DataType.DOUBLE, DataType.DATE, DataType.TIMESTAMP,
        DataType.VARCHAR, DataType.VARCHAR), types(t.schema()));
    assertEquals("id", t.schema().getFields().get(0).getName());
    assertEquals(TableStatistics.UNKNOWN, t.statistics());
    List<List<Object>> rows = read(t, IntStream.range(0, 7).toArray());
    assertEquals(4, rows.size());
    assertEquals("[1, true, 1.5, 2024-01-31, 2024-01-31T10:11:12, Smith, J, null]", rows.get(0).toString());
    assertEquals("[2, false, null, 2024-02-01, 2024-02-01T00:00:00.123456, say \"hi\", null]", rows.get(1).toString());
    assertEquals("[null, null, 3.0, null, null, null, null]", rows.get(2).toString());
    assertEquals("[-4, false, -2000.0, 1999-12-31, 1999-12-31T23:59:59.500, multi\nline, null]", rows.get(3).toString());
    // Projection picks and orders columns.
    assertEquals("[Smith, J, 1]", read(t, new int[] {5, 0}).get(0).toString());
  }

  @Test
  void mixedValuesFallBackToWiderTypes() throws Exception {
    Path f = dir.resolve("m.csv");
    Files.writeString(f, "a,b,c\n1,2020-01-01,yes\n2.5,x,true\n");
    CsvTable t = new CsvTable(f);
    assertEquals(List.of(DataType.DOUBLE, DataType.VARCHAR, DataType.VARCHAR), types(t.schema()));
  }

  @Test
  void givenSchema() throws Exception {
    Path f = dir.resolve("g.csv");
    Files.writeString(f, "k,price,n\n7,12.345,3\n8,,4\n");
    Schema s = new Schema(List.of(
        new Field("key", DataType.INTEGER.toFieldType(true), null),
        new Field("price", DataType.decimal(10, 2).toFieldType(true), null),
        new Field("n", DataType.VARCHAR.toFieldType(true), null)));
    CsvTable t = new CsvTable(f, s);
    List<List<Object>> rows = read(t, new int[] {0, 1, 2});
    assertEquals("[[7, 12.35, 3], [8, null, 4]]", rows.toString());

    Schema tooWide = new Schema(List.of(new Field("a", DataType.INTEGER.toFieldType(true), null)));
    KilnException e = assertThrows(KilnException.class, () -> new CsvTable(f, tooWide));
    assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("3 columns"), e.getMessage());
  }

  @Test
  void badValueNamesFileLineColumnAndText() throws Exception {
    Path f = dir.resolve("bad.csv");
    Files.writeString(f, "id,qty\n1,10\n2,\"ab\ncd\"\n3,twelve\n");
    Schema s = new Schema(List.of(
        new Field("id", DataType.BIGINT.toFieldType(true), null),
        new Field("qty", DataType.VARCHAR.toFieldType(true), null)));
    assertEquals(3, read(new CsvTable(f, s), new int[] {0, 1}).size());

    Schema ints = new Schema(List.of(
        new Field("id", DataType.BIGINT.toFieldType(true), null),
        new Field("qty", DataType.INTEGER.toFieldType(true), null)));
    CsvTable t = new CsvTable(f, ints);
    KilnException e = assertThrows(KilnException.class, () -> read(t, new int[] {1}));
    assertEquals(KilnException.Kind.EXECUTION, e.kind());
    String m = e.getMessage();
    assertTrue(m.contains(f.toString()) && m.contains("line 3") && m.contains("column qty") && m.contains("'ab\ncd'"), m);

    Path g = dir.resolve("bad2.csv");
    Files.writeString(g, "id,qty\n1,10\n2,20\n3,twelve\n");
    e = assertThrows(KilnException.class, () -> read(new CsvTable(g, ints), new int[] {0, 1}));
    assertTrue(e.getMessage().contains("line 4") && e.getMessage().contains("'twelve'"), e.getMessage());
  }

  @Test
  void missingFileAndRaggedRows() throws Exception {
    Path missing = dir.resolve("none.csv");
    KilnException e = assertThrows(KilnException.class, () -> new CsvTable(missing));
    assertEquals(KilnException.Kind.IO, e.kind());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());

    Path ragged = dir.resolve("r.csv");
    Files.writeString(ragged, "a,b\n1,2\n3\n");
    CsvTable t = new CsvTable(ragged);
    e = assertThrows(KilnException.class, () -> read(t, new int[] {0}));
    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
  }

  @Test
  void manyRowsSpanSeveralBatches() throws Exception {
    Path f = dir.resolve("big.csv");
    StringBuilder sb = new StringBuilder("n,s\n");
    for (int i = 0; i < 40000; i++) {
      sb.append(i).append(",v").append(i).append('\n');
    }
    Files.writeString(f, sb);
    CsvTable t = new CsvTable(f);
    List<List<Object>> rows = read(t, new int[] {1, 0});
    assertEquals(40000, rows.size());
    assertEquals("[v39999, 39999]", rows.get(39999).toString());
  }

  private static List<DataType> types(Schema s) {
    List<DataType> out = new ArrayList<>();
    s.getFields().forEach(f -> out.add(DataType.fromArrow(f.getType(), f.getName())));
    return out;
  }

  private List<List<Object>> read(CsvTable t, int[] projection) {
    List<DataType> types = types(t.schema());
    List<List<Object>> rows = new ArrayList<>();
    for (ScanTask task : t.planScan(new ScanRequest(projection, List.of(), OptionalLong.empty()))) {
      task.run(allocator, b -> {
        try (Batch batch = b) {
          for (int r = 0; r < batch.rowCount(); r++) {
            List<Object> row = new ArrayList<>();
            for (int c = 0; c < projection.length; c++) {
              row.add(Vectors.get(batch.column(c), types.get(projection[c]), r));
            }
            rows.add(row);
          }
        }
      }, () -> false);
    }
    return rows;
  }
}
