package io.kiln.physical.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.testing.Modes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ORDER BY ... LIMIT over enough rows that workers compact and then drop rows behind their cut-off:
 * the answer must equal the head of the fully sorted input (a different code path).
 */
class TopNTest {
  private static final int ROWS = 400_000;

  static List<ExecutionMode> modes() {
    return Modes.all();
  }

  private static void register(Kiln kiln, RootAllocator allocator) {
    Schema schema = new Schema(List.of(Field.nullable("id", new ArrowType.Int(64, true)),
        Field.nullable("x", new ArrowType.Int(64, true)), Field.nullable("s", new ArrowType.Utf8())));
    List<VectorSchemaRoot> batches = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(11);
    try {
      for (int start = 0; start < ROWS; start += 50_000) {
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        batches.add(root);
        root.allocateNew();
        for (int i = 0; i < 50_000; i++) {
          ((BigIntVector) root.getVector(0)).setSafe(i, start + i);
          if (random.nextInt(50) == 0) {
            ((BigIntVector) root.getVector(1)).setNull(i);
          } else {
            // Many ties: only 5000 distinct values, so the cut-off row has equals among later rows.
            ((BigIntVector) root.getVector(1)).setSafe(i, random.nextInt(5000));
          }
          ((VarCharVector) root.getVector(2)).setSafe(i, ("s" + random.nextInt(100_000)).getBytes());
        }
        root.setRowCount(50_000);
      }
      kiln.registerArrow("t", batches);
    } finally {
      batches.forEach(VectorSchemaRoot::close);
    }
  }

  private static List<String> rows(Kiln kiln, String sql) {
    List<String> out = new ArrayList<>();
    for (Object[] r : kiln.execute(sql).rows()) {
      out.add(Arrays.toString(r));
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("modes")
  void topNEqualsTheHeadOfTheFullSort(ExecutionMode mode) {
    try (RootAllocator allocator = new RootAllocator(); Kiln kiln = Modes.builder(mode).threads(2).build()) {
      register(kiln, allocator);
      String[] orders = {"x DESC NULLS FIRST, id", "x NULLS LAST, id DESC", "s DESC, id", "x, s, id"};
      for (String order : orders) {
        List<String> full = rows(kiln, "SELECT id, x, s FROM t ORDER BY " + order);
        assertEquals(ROWS, full.size());
        assertEquals(full.subList(0, 100), rows(kiln, "SELECT id, x, s FROM t ORDER BY " + order + " LIMIT 100"), order);
        assertEquals(full.subList(30_000, 30_010),
            rows(kiln, "SELECT id, x, s FROM t ORDER BY " + order + " LIMIT 10 OFFSET 30000"), order);
        assertEquals(full.subList(0, 1), rows(kiln, "SELECT id, x, s FROM t ORDER BY " + order + " LIMIT 1"), order);
      }
    }
  }
}
