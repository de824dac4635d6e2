package io.kiln.datasource;

import static io.kiln.testing.ShippedScans.run;
import static io.kiln.testing.ShippedScans.scan;
import static io.kiln.testing.ShippedScans.share;
import static io.kiln.testing.ShippedScans.shipped;
import static io.kiln.testing.ShippedScans.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.catalog.ScanRequest;
import io.kiln.catalog.ScanTaskDescriptor;
import io.kiln.datasource.csv.CsvTable;
import io.kiln.datasource.memory.MemoryTable;
import io.kiln.error.KilnException;
import io.kiln.physical.plan.PhysicalNode;
import io.kiln.testing.DuckDbOracle;
import io.kiln.types.DataType;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task descriptors of the tables that are not Parquet: a memory table's are its batches, a CSV
 * file's the whole file. Shipped in a plan and run from it (a memory table's shares on two
 * "workers"), they give the rows of the ordinary scan; descriptors the table does not have fail clearly.
 */
class MemoryAndCsvScanDescriptorsTest {
  private static final Schema SCHEMA = new Schema(List.of(
      new Field("id", DataType.BIGINT.toFieldType(false), null),
      new Field("name", DataType.VARCHAR.toFieldType(true), null),
      new Field("price", DataType.decimal(10, 2).toFieldType(true), null)));

  @TempDir Path dir;

  private static List<Object[]> rows(int n) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(new Object[] {(long) i, i % 3 == 0 ? null : "n" + i, BigDecimal.valueOf(i * 7L, 2)});
    }
    return rows;
  }

  @Test
  void memoryTableSharesAreItsBatches() {
    try (RootAllocator allocator = new RootAllocator();
        MemoryTable t = MemoryTable.fromRows(SCHEMA, rows(100_000), allocator)) {
      int[] columns = {2, 0, 1};
      List<ScanTaskDescriptor> all = t.splitScan(new ScanRequest(columns, List.of(), OptionalLong.empty()));
      assertEquals(4, all.size(), "batches of 32 Ki rows");
      assertEquals(new ScanTaskDescriptor(MemoryTable.LOCATION, 3, 0, 100_000 - 3 * 32_768, 100_000 - 3 * 32_768),
          all.get(3));
      PhysicalNode.Scan whole = scan("m", t, columns, List.of(), List.of());
      List<String> expected = sorted(run(whole, t, 2));
      List<Object[]> given = new ArrayList<>();
      for (Object[] r : rows(100_000)) {
        given.add(new Object[] {r[2], r[0], r[1]});
      }
      assertEquals(sorted(given), expected);
      List<Object[]> both = new ArrayList<>(run(shipped(whole.withTasks(share(all, 0))), t, 2));
      both.addAll(run(shipped(whole.withTasks(share(all, 1))), t, 2));
      assertEquals(expected, sorted(both));

      ScanRequest request = new ScanRequest(columns, List.of(), OptionalLong.empty());
      KilnException noBatch = assertThrows(KilnException.class,
          () -> t.open(request, List.of(new ScanTaskDescriptor(MemoryTable.LOCATION, 4, 0, 10, 10))));
      assertTrue(noBatch.getMessage().contains("memory table (100000 rows, 4 batches) has no batch memory#4"),
          noBatch.getMessage());
      KilnException part = assertThrows(KilnException.class,
          () -> t.open(request, List.of(new ScanTaskDescriptor(MemoryTable.LOCATION, 0, 100, 10, 10))));
      assertTrue(part.getMessage().contains("tasks are whole batches"), part.getMessage());
    }
  }

  @Test
  void csvFileIsOneTask() throws Exception {
    Path file = dir.resolve("t.csv");
    StringBuilder text = new StringBuilder("id,name,price\n");
    for (int i = 0; i < 40_000; i++) {
      text.append(i).append(',').append(i % 3 == 0 ? "" : "n" + i).append(',').append(i * 7 / 100.0).append('\n');
    }
    Files.writeString(file, text);
    CsvTable t = new CsvTable(file);
    int[] columns = {0, 1, 2};
    List<ScanTaskDescriptor> all = t.splitScan(new ScanRequest(columns, List.of(), OptionalLong.empty()));
    assertEquals(List.of(new ScanTaskDescriptor(file.toString(), 0, 0, ScanTaskDescriptor.ALL_ROWS, -1)), all);
    PhysicalNode.Scan whole = scan("c", t, columns, List.of(), List.of());
    List<String> expected = sorted(run(whole, t, 2));
    assertEquals(40_000, expected.size());
    assertEquals(expected, sorted(run(shipped(whole.withTasks(all)), new CsvTable(file), 1)));
    try (DuckDbOracle duck = new DuckDbOracle()) {
      List<Object[]> answer = duck.query("SELECT id, name, price FROM read_csv('" + file.toAbsolutePath() + "')");
      assertEquals(sorted(answer), expected);
    }

    KilnException other = assertThrows(KilnException.class, () -> t.open(new ScanRequest(columns, List.of(),
        OptionalLong.empty()), List.of(new ScanTaskDescriptor(file.toString(), 1, 0, 5, 5))));
    assertTrue(other.getMessage().contains("CSV table " + file + " is read as one task"), other.getMessage());
  }
}
