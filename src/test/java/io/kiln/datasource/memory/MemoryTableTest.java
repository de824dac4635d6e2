package io.kiln.datasource.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.error.KilnException;
import io.kiln.catalog.ScanRequest;
import io.kiln.catalog.ScanTask;
import io.kiln.data.ArrowConversion;
import io.kiln.data.Batch;
import io.kiln.data.Vectors;
import io.kiln.types.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

class MemoryTableTest {
  private static final Schema SCHEMA = new Schema(List.of(
      new Field("id", DataType.INTEGER.toFieldType(false), null),
      new Field("name", DataType.VARCHAR.toFieldType(true), null),
      new Field("price", DataType.decimal(10, 2).toFieldType(true), null),
      new Field("day", DataType.DATE.toFieldType(true), null)));
  private static final List<DataType> TYPES =
      List.of(DataType.INTEGER, DataType.VARCHAR, DataType.decimal(10, 2), DataType.DATE);

  private static List<Object[]> rows(int n) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(new Object[] {i, i % 3 == 0 ? null : "n" + i, i % 4 == 0 ? null : BigDecimal.valueOf(i, 2),
          LocalDate.of(2020, 1, 1).plusDays(i)});
    }
    return rows;
  }

  @Test
  void fromRowsScansCopiesAndCanBeScannedTwice() {
    try (RootAllocator root = new RootAllocator()) {
      BufferAllocator tableMem = root.newChildAllocator("table", 0, Long.MAX_VALUE);
      BufferAllocator scanMem = root.newChildAllocator("scan", 0, Long.MAX_VALUE);
      try (MemoryTable t = MemoryTable.fromRows(SCHEMA, rows(70000), tableMem)) {
        assertEquals(70000L, t.statistics().rowCount().getAsLong());
        // Bounds from min and max, as Parquet footers give them: ids are all distinct, days span the rows too.
        assertEquals(OptionalLong.of(70000), t.statistics().distinctCount("id"));
        assertEquals(OptionalLong.of(70000), t.statistics().distinctCount("day"));
        assertEquals(OptionalLong.empty(), t.statistics().distinctCount("name"));
        List<ScanTask> tasks = t.planScan(new ScanRequest(new int[] {3, 1, 0}, List.of(), OptionalLong.empty()));
        assertEquals(3, tasks.size(), "one task per held batch");
        for (int pass = 0; pass < 2; pass++) {
          List<Object[]> out = scan(t, new int[] {3, 1, 0}, scanMem);
          assertEquals(70000, out.size());
          assertEquals("[2020-01-06, n5, 5]", Arrays.toString(out.get(5)));
          assertEquals("[2020-01-04, null, 3]", Arrays.toString(out.get(3)));
        }
        // Output vectors are new ones, and they outlive the table's own.
        List<Batch> kept = new ArrayList<>();
        tasks.get(0).run(scanMem, kept::add, () -> false);
        ValueVector handedOut = kept.get(0).column(2);
        t.close();
        assertEquals(5, Vectors.get(handedOut, DataType.INTEGER, 5));
        kept.forEach(Batch::close);
        assertThrows(KilnException.class, () -> tasks.get(1).run(scanMem, b -> b.close(), () -> false));
      }
      assertEquals(0, scanMem.getAllocatedMemory());
      assertEquals(0, tableMem.getAllocatedMemory());
      scanMem.close();
      tableMem.close();
    }
  }

  @Test
  void fromArrowRootsRoundTrip() {
    try (RootAllocator source = new RootAllocator(); RootAllocator other = new RootAllocator()) {
      List<Object[]> rows = rows(10);
      List<VectorSchemaRoot> roots = new ArrayList<>();
      // Arrow roots built from internal batches, then handed to the table (which copies them).
      try (MemoryTable staging = MemoryTable.fromRows(SCHEMA, rows, source)) {
        for (ScanTask task : staging.planScan(new ScanRequest(new int[] {0, 1, 2, 3}, List.of(), OptionalLong.empty()))) {
          task.run(source, b -> {
            try (b) {
              roots.add(ArrowConversion.toArrow(b, List.of("id", "name", "price", "day"), TYPES, source));
            }
          }, () -> false);
        }
      }
      try (MemoryTable t = new MemoryTable(SCHEMA, roots, source)) {
        roots.forEach(VectorSchemaRoot::close);
        // A scan into an allocator of a different root gets copies, not shared buffers.
        List<Object[]> out = scan(t, new int[] {0, 1, 2, 3}, other);
        assertEquals(10, out.size());
        for (int i = 0; i < rows.size(); i++) {
          assertEquals(Arrays.toString(rows.get(i)), Arrays.toString(out.get(i)));
        }
        assertTrue(t.describe().startsWith("memory (10 rows"), t.describe());
      }
      assertEquals(0, source.getAllocatedMemory());
      assertEquals(0, other.getAllocatedMemory());
    }
  }

  @Test
  void badRowValueIsAClearError() {
    try (RootAllocator root = new RootAllocator()) {
      List<Object[]> rows = new ArrayList<>();
      rows.add(new Object[] {1, "a", "not money", null});
      KilnException e = assertThrows(KilnException.class, () -> MemoryTable.fromRows(SCHEMA, rows, root));
      assertTrue(e.getMessage().contains("price"), e.getMessage());
      assertEquals(0, root.getAllocatedMemory());
    }
  }

  private static List<Object[]> scan(MemoryTable t, int[] projection, BufferAllocator allocator) {
    List<Object[]> out = new ArrayList<>();
    for (ScanTask task : t.planScan(new ScanRequest(projection, List.of(), OptionalLong.empty()))) {
      task.run(allocator, b -> {
        try (b) {
          for (int r = 0; r < b.rowCount(); r++) {
            Object[] row = new Object[projection.length];
            for (int c = 0; c < row.length; c++) {
              assertNotSame(null, b.column(c));
              row[c] = Vectors.get(b.column(c), TYPES.get(projection[c]), r);
            }
            out.add(row);
          }
        }
      }, () -> false);
    }
    return out;
  }
}
