package io.kiln.physical.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.datasource.memory.MemoryTable;
import io.kiln.testing.ExplainCounters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An ORDER BY whose rows outgrow the memory limit sorts runs, spills them, and merges them: the
 * rows come out in the order Java's own sort of the same rows gives, with NULLs where asked.
 */
class SortSpillTest {
  private static final int ROWS = 300_000;
  private static RootAllocator tableMemory;
  private static MemoryTable big;
  private static List<Object[]> rows;

  @TempDir Path spillDir;

  @BeforeAll
  static void table() {
    rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      Long g = i % 17 == 0 ? null : (long) ((i * 7919L) % 1000);
      rows.add(new Object[] {g, "name-" + ((i * 31L) % 100_003), (long) i});
    }
    Schema schema = new Schema(List.of(Field.nullable("g", new ArrowType.Int(64, true)),
        Field.nullable("s", ArrowType.Utf8.INSTANCE), Field.nullable("id", new ArrowType.Int(64, true))));
    tableMemory = new RootAllocator();
    big = MemoryTable.fromRows(schema, rows, tableMemory);
  }

  @AfterAll
  static void release() {
    big.close();
    tableMemory.close();
  }

  @ParameterizedTest
  @EnumSource(ExecutionMode.class)
  void rowsThatOutgrowTheLimitAreSortedThroughSpilledRuns(ExecutionMode mode) throws IOException {
    // g descending with NULLs first, then s ascending, then id: a total order.
    Comparator<Object[]> order = Comparator.<Object[], Long>comparing(r -> (Long) r[0],
        Comparator.nullsFirst(Comparator.<Long>reverseOrder()))
        .thenComparing(r -> (String) r[1]).thenComparing(r -> (Long) r[2]);
    List<Object[]> expected = new ArrayList<>(rows);
    expected.sort(order);
    String sql = "SELECT g, s, id FROM big ORDER BY g DESC NULLS FIRST, s, id OFFSET 5";
    // 16 MiB: the rows (about 12 MiB as Arrow) do not fit a thread's share.
    try (Kiln kiln = Kiln.builder().threads(2).executionMode(mode).memoryLimit(16L << 20).spillDirectory(spillDir)
        .build()) {
      kiln.registerTable("big", big);
      List<Object[]> got = kiln.execute(sql).rows();
      assertEquals(ROWS - 5, got.size());
      for (int i = 0; i < got.size(); i++) {
        assertArrayEquals(expected.get(i + 5), got.get(i), "row " + i);
      }
      long spilled = ExplainCounters.sum(kiln, sql, "bytes spilled");
      assertTrue(spilled > 1_000_000, "spilled " + spilled + " bytes");
    }
    try (Stream<Path> left = Files.list(spillDir)) {
      assertEquals(List.of(), left.toList(), "spill files left behind");
    }
  }
}
