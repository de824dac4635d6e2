package io.kiln.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.error.KilnException;
import io.kiln.datasource.memory.MemoryTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

/**
 * Hash tables live on the Java heap but count against the query memory limit all the same. (An
 * aggregation or join spills instead of failing: see AggregationSpillTest and JoinSpillTest; a NOT
 * IN, whose NULL rules look at its whole build side, cannot.)
 */
class HeapMemoryLimitTest {
  @Test
  void aNotInBuildWithManyRowsHitsTheLimitInTheJoin() {
    List<Object[]> rows = new ArrayList<>();
    for (long i = 0; i < 300_000; i++) {
      rows.add(new Object[] {i});
    }
    Schema schema = new Schema(List.of(Field.nullable("k", new ArrowType.Int(64, true))));
    try (RootAllocator tableMemory = new RootAllocator();
        MemoryTable big = MemoryTable.fromRows(schema, rows, tableMemory)) {
      // 6 MiB holds the batches streaming through, but not a join table of 300,000 rows and their chains.
      try (Kiln kiln = Kiln.builder().threads(2).memoryLimit(6L << 20).build()) {
        kiln.registerTable("big", big);
        KilnException e = assertThrows(KilnException.class,
            () -> kiln.execute("SELECT count(*) FROM big a WHERE a.k NOT IN (SELECT k FROM big)"));
        assertEquals(KilnException.Kind.RESOURCE, e.kind());
        assertTrue(e.getMessage().contains("HashJoin") && e.getMessage().contains("memory limit"), e.getMessage());
        // The session still works within the limit afterwards.
        assertEquals(300_000L, kiln.execute("SELECT count(*) FROM big").get(0, 0));
      }
      try (Kiln roomy = Kiln.builder().threads(2).memoryLimit(256L << 20).build()) {
        roomy.registerTable("big", big);
        assertEquals(0L, roomy.execute("SELECT count(*) FROM big a WHERE a.k NOT IN (SELECT k FROM big)").get(0, 0));
      }
    }
  }
}
