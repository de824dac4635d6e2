package io.kiln;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.catalog.ArrowSource;
import io.kiln.error.KilnException;
import io.kiln.testing.Modes;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A third party's table served as plain Arrow batches, converted by Kiln as they arrive. */
class ArrowSourceTest {
  private static final int PARTITIONS = 3;
  private static final int ROWS_PER_PARTITION = 1000;
  private static final int BATCH = 256;

  static List<ExecutionMode> modes() {
    return Modes.all();
  }

  /** Row i of the table: id, price, day, name, ok (NULLs sprinkled in). */
  private static Object[] row(int i) {
    return new Object[] {i, i % 10 == 0 ? null : BigDecimal.valueOf(i * 37L % 10_000, 2),
        LocalDate.of(2020, 1, 1).plusDays(i % 700), i % 7 == 0 ? null : "n" + (i * 31 % 997), i % 3 != 0};
  }

  /** Builds each batch from its own vectors of only the requested columns, and closes them after handing them over. */
  static final class Generated implements ArrowSource {
    final Set<List<String>> requested = ConcurrentHashMap.newKeySet();
    boolean lieAboutTypes;

    @Override
    public Schema schema() {
      return new Schema(List.of(Field.nullable("id", new ArrowType.Int(32, true)),
          Field.nullable("price", new ArrowType.Decimal(9, 2, 128)), Field.nullable("day", new ArrowType.Date(DateUnit.DAY)),
          Field.nullable("name", ArrowType.Utf8.INSTANCE), Field.nullable("ok", ArrowType.Bool.INSTANCE)));
    }

    @Override
    public int partitions() {
      return PARTITIONS;
    }

    @Override
    public long rowCount() {
      return PARTITIONS * ROWS_PER_PARTITION;
    }

    @Override
    public void scan(int partition, List<String> columns, BufferAllocator allocator, Consumer<VectorSchemaRoot> out) {
      requested.add(List.copyOf(columns));
      for (int start = 0; start < ROWS_PER_PARTITION; start += BATCH) {
        int n = Math.min(BATCH, ROWS_PER_PARTITION - start);
        List<FieldVector> vectors = new ArrayList<>();
        for (String c : columns) {
          vectors.add(vector(c, allocator, partition * ROWS_PER_PARTITION + start, n));
        }
        try (VectorSchemaRoot root = new VectorSchemaRoot(vectors)) {
          root.setRowCount(n);
          out.accept(root);
        }
      }
    }

    private FieldVector vector(String column, BufferAllocator allocator, int first, int n) {
      int c = List.of("id", "price", "day", "name", "ok").indexOf(column);
      FieldVector v;
      if (c == 0 && lieAboutTypes) {
        v = new VarCharVector("id", allocator);
      } else {
        v = schema().getFields().get(c).createVector(allocator);
      }
      v.setInitialCapacity(n);
      v.allocateNew();
      for (int r = 0; r < n; r++) {
        Object value = row(first + r)[c];
        if (value == null) {
          continue; // allocateNew leaves every value NULL
        }
        if (v instanceof IntVector) {
          ((IntVector) v).set(r, (Integer) value);
        } else if (v instanceof DecimalVector) {
          ((DecimalVector) v).set(r, (BigDecimal) value);
        } else if (v instanceof DateDayVector) {
          ((DateDayVector) v).set(r, (int) ((LocalDate) value).toEpochDay());
        } else if (v instanceof VarCharVector) {
          ((VarCharVector) v).setSafe(r, value.toString().getBytes(StandardCharsets.UTF_8));
        } else {
          ((BitVector) v).set(r, (Boolean) value ? 1 : 0);
        }
      }
      v.setValueCount(n);
      return v;
    }
  }

  @ParameterizedTest
  @MethodSource("modes")
  void queriesReadTheSourceThroughAProjection(ExecutionMode mode) {
    Generated source = new Generated();
    try (Kiln kiln = Modes.builder(mode).threads(2).build()) {
      kiln.registerTable("src", source);
      long count = 0;
      BigDecimal sum = BigDecimal.ZERO.setScale(2);
      LocalDate minDay = null;
      String maxName = null;
      List<List<Object>> small = new ArrayList<>();
      for (int i = 0; i < PARTITIONS * ROWS_PER_PARTITION; i++) {
        Object[] r = row(i);
        if ((Boolean) r[4]) {
          count++;
          sum = r[1] == null ? sum : sum.add((BigDecimal) r[1]);
          minDay = minDay == null || ((LocalDate) r[2]).isBefore(minDay) ? (LocalDate) r[2] : minDay;
          maxName = r[3] == null || (maxName != null && maxName.compareTo((String) r[3]) >= 0) ? maxName : (String) r[3];
        }
        if (i < 5) {
          small.add(Arrays.asList(r[0], r[3]));
        }
      }
      Result r = kiln.execute("SELECT count(*), sum(price), min(day), max(name) FROM src WHERE ok");
      assertEquals(List.of(Arrays.asList(count, sum, minDay, maxName)), r.rowLists());
      assertEquals(small, kiln.execute("SELECT id, name FROM src WHERE id < 5 ORDER BY id").rowLists());
      assertTrue(source.requested.contains(List.of("id", "name")), "only the needed columns: " + source.requested);
    }
  }

  @ParameterizedTest
  @MethodSource("modes")
  void aBatchThatDisagreesWithTheSchemaIsAnErrorNamingTheColumn(ExecutionMode mode) {
    Generated source = new Generated();
    source.lieAboutTypes = true;
    try (Kiln kiln = Modes.builder(mode).threads(2).build()) {
      kiln.registerTable("src", source);
      KilnException e = assertThrows(KilnException.class, () -> kiln.execute("SELECT sum(id) FROM src"));
      assertEquals("execution error: Arrow source src: column 1 of a batch is id Utf8, but the schema says id Int(32, true)",
          e.getMessage());
    }
  }
}
