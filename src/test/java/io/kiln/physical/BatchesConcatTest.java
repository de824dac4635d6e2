package io.kiln.physical;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kiln.data.Batch;
import io.kiln.data.Vectors;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ValueVector;
import org.junit.jupiter.api.Test;

/**
 * Concatenated batches hold every row of their inputs in order: values, NULLs and strings (empty,
 * multi-byte), across batches of every size (so rows land at every bit offset of the validity
 * bytes), with and without NULLs, from vectors set row by row and from gathered ones.
 */
class BatchesConcatTest {
  private static final List<DataType> TYPES = List.of(DataType.BIGINT, DataType.DOUBLE, DataType.BOOLEAN,
      DataType.VARCHAR, DataType.decimal(12, 2), DataType.DATE);

  private static Object value(Random random, DataType type, boolean nulls) {
    if (nulls && random.nextInt(4) == 0) {
      return null;
    }
    switch (type.id()) {
      case BIGINT:
        return random.nextLong();
      case DOUBLE:
        return random.nextDouble();
      case BOOLEAN:
        return random.nextBoolean();
      case VARCHAR: {
        String[] words = {"", "a", "ünïcödé", "a longer string than the others", "日本"};
        return words[random.nextInt(words.length)] + random.nextInt(10);
      }
      case DECIMAL:
        return java.math.BigDecimal.valueOf(random.nextInt(1_000_000), 2);
      default:
        return java.time.LocalDate.ofEpochDay(random.nextInt(20_000));
    }
  }

  @Test
  void everyRowKeepsItsValueAndPlace() {
    Random random = new Random(42);
    try (RootAllocator allocator = new RootAllocator()) {
      List<Batch> batches = new ArrayList<>();
      List<Object[]> expected = new ArrayList<>();
      for (int size : new int[] {0, 1, 3, 8, 13, 0, 64, 7, 100, 1, 9}) {
        boolean nulls = random.nextBoolean();
        ValueVector[] cols = new ValueVector[TYPES.size()];
        List<Object[]> rows = new ArrayList<>();
        for (int r = 0; r < size; r++) {
          Object[] row = new Object[TYPES.size()];
          for (int c = 0; c < row.length; c++) {
            row[c] = value(random, TYPES.get(c), nulls);
          }
          rows.add(row);
        }
        for (int c = 0; c < cols.length; c++) {
          cols[c] = Vectors.allocate(TYPES.get(c), "c" + c, allocator, size);
          for (int r = 0; r < size; r++) {
            Vectors.set(cols[c], TYPES.get(c), r, rows.get(r)[c]);
          }
          cols[c].setValueCount(size);
        }
        Batch batch = new Batch(cols, size);
        if (size > 2) {
          // rows 1.. of the batch, gathered into new vectors
          try (Batch whole = batch) {
            int[] tail = new int[size - 1];
            for (int r = 1; r < size; r++) {
              tail[r - 1] = r;
            }
            batch = Batches.gather(whole, tail, size - 1, allocator);
          }
          rows = rows.subList(1, size);
        }
        batches.add(batch);
        expected.addAll(rows);
      }
      try (Batch all = Batches.concat(batches, TYPES, allocator)) {
        assertEquals(expected.size(), all.rowCount());
        for (int r = 0; r < expected.size(); r++) {
          for (int c = 0; c < TYPES.size(); c++) {
            assertEquals(expected.get(r)[c], Vectors.get(all.column(c), TYPES.get(c), r), "row " + r + " column " + c);
          }
        }
      } finally {
        Batches.closeAll(batches);
      }
    }
  }
}
