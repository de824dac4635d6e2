package io.kiln.bench;

import io.kiln.Kiln;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The micro benchmarks' tables, built as Arrow batches from a fixed seed and registered in memory:
 *
 * <ul>
 *   <li>{@code facts}: {@value #FACT_ROWS} rows of {@code id BIGINT, few_key INT} ({@value #FEW_GROUPS} values),
 *       {@code many_key INT} ({@value #MANY_GROUPS} values), {@code small_fk INT, large_fk INT} (foreign keys
 *       of the two dimensions), {@code ship_date DATE} (1992–1998) and TPC-H-like {@code DECIMAL(12,2)}
 *       columns {@code quantity, price, discount, tax};
 *   <li>{@code dim_small} ({@value #SMALL_DIM_ROWS} rows, a cache-resident hash table) and {@code dim_large}
 *       ({@value #LARGE_DIM_ROWS} rows, larger than the L2 cache): {@code dkey INT, weight DECIMAL(12,2)}.
 * </ul>
 *
 * Values are uniformly random, so no operator profits from sorted input.
 */
final class SyntheticTables {
  static final int FACT_ROWS = 1 << 22;
  static final int FEW_GROUPS = 8;
  static final int MANY_GROUPS = 1 << 20;
  static final int SMALL_DIM_ROWS = 1 << 10;
  static final int LARGE_DIM_ROWS = 1 << 20;

  /** The batch size MemoryTable itself uses; each batch becomes one morsel. */
  private static final int BATCH_ROWS = 32 * 1024;
  private static final long SEED = 20240601L;
  private static final int FIRST_DAY = (int) LocalDate.of(1992, 1, 1).toEpochDay();
  private static final int LAST_DAY = (int) LocalDate.of(1998, 12, 31).toEpochDay();

  private static final ArrowType INT = new ArrowType.Int(32, true);
  private static final ArrowType DECIMAL = new ArrowType.Decimal(12, 2, 128);

  private SyntheticTables() {}

  /** Registers the three tables in {@code kiln}; the staging batches are released before returning. */
  static void register(Kiln kiln, BufferAllocator staging) {
    registerAndRelease(kiln, "facts", facts(staging));
    registerAndRelease(kiln, "dim_small", dimension(staging, SMALL_DIM_ROWS, SEED + 1));
    registerAndRelease(kiln, "dim_large", dimension(staging, LARGE_DIM_ROWS, SEED + 2));
  }

  /** registerArrow copies into the session's memory, so our batches can go right away. */
  private static void registerAndRelease(Kiln kiln, String name, List<VectorSchemaRoot> batches) {
    try {
      kiln.registerArrow(name, batches);
    } finally {
      batches.forEach(VectorSchemaRoot::close);
    }
  }

  private static List<VectorSchemaRoot> facts(BufferAllocator allocator) {
    Schema schema = new Schema(List.of(
        field("id", new ArrowType.Int(64, true)),
        field("few_key", INT),
        field("many_key", INT),
        field("small_fk", INT),
        field("large_fk", INT),
        field("ship_date", new ArrowType.Date(DateUnit.DAY)),
        field("quantity", DECIMAL),
        field("price", DECIMAL),
        field("discount", DECIMAL),
        field("tax", DECIMAL)));
    SplittableRandom random = new SplittableRandom(SEED);
    List<VectorSchemaRoot> batches = new ArrayList<>();
    try {
      for (int start = 0; start < FACT_ROWS; start += BATCH_ROWS) {
        int n = Math.min(BATCH_ROWS, FACT_ROWS - start);
        VectorSchemaRoot root = newBatch(schema, allocator, n);
        batches.add(root);
        for (int i = 0; i < n; i++) {
          ((BigIntVector) root.getVector("id")).set(i, start + i);
          ((IntVector) root.getVector("few_key")).set(i, random.nextInt(FEW_GROUPS));
          ((IntVector) root.getVector("many_key")).set(i, random.nextInt(MANY_GROUPS));
          ((IntVector) root.getVector("small_fk")).set(i, random.nextInt(SMALL_DIM_ROWS));
          ((IntVector) root.getVector("large_fk")).set(i, random.nextInt(LARGE_DIM_ROWS));
          ((DateDayVector) root.getVector("ship_date")).set(i, random.nextInt(FIRST_DAY, LAST_DAY + 1));
          // Unscaled values at scale 2: quantity 1–50, price 1.00–100,000.00, discount 0–10 %, tax 0–8 %.
          ((DecimalVector) root.getVector("quantity")).set(i, 100L * random.nextInt(1, 51));
          ((DecimalVector) root.getVector("price")).set(i, random.nextLong(100, 10_000_001));
          ((DecimalVector) root.getVector("discount")).set(i, random.nextInt(0, 11));
          ((DecimalVector) root.getVector("tax")).set(i, random.nextInt(0, 9));
        }
        root.setRowCount(n);
      }
    } catch (RuntimeException e) {
      batches.forEach(VectorSchemaRoot::close);
      throw e;
    }
    return batches;
  }

  /** Keys 0..rows-1 (each once, in random order) with a weight. */
  private static List<VectorSchemaRoot> dimension(BufferAllocator allocator, int rows, long seed) {
    Schema schema = new Schema(List.of(field("dkey", INT), field("weight", DECIMAL)));
    SplittableRandom random = new SplittableRandom(seed);
    int[] keys = shuffledRange(rows, random);
    List<VectorSchemaRoot> batches = new ArrayList<>();
    try {
      for (int start = 0; start < rows; start += BATCH_ROWS) {
        int n = Math.min(BATCH_ROWS, rows - start);
        VectorSchemaRoot root = newBatch(schema, allocator, n);
        batches.add(root);
        for (int i = 0; i < n; i++) {
          ((IntVector) root.getVector("dkey")).set(i, keys[start + i]);
          ((DecimalVector) root.getVector("weight")).set(i, random.nextInt(1, 10_001));
        }
        root.setRowCount(n);
      }
    } catch (RuntimeException e) {
      batches.forEach(VectorSchemaRoot::close);
      throw e;
    }
    return batches;
  }

  /**
   * A batch with room for {@code rows} values per column. Sized up front because {@code set} does not
   * grow vectors and, with Arrow's bounds checks off as in the benchmark JVMs, would write past the end.
   */
  private static VectorSchemaRoot newBatch(Schema schema, BufferAllocator allocator, int rows) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    try {
      for (FieldVector v : root.getFieldVectors()) {
        v.setInitialCapacity(rows);
      }
      root.allocateNew();
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
    return root;
  }

  private static int[] shuffledRange(int n, SplittableRandom random) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  private static Field field(String name, ArrowType type) {
    return new Field(name, FieldType.notNullable(type), null);
  }
}
