package io.kiln.physical.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.datasource.memory.MemoryTable;
import io.kiln.error.KilnException;
import io.kiln.testing.Modes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Joins whose keys repeat on both sides: each probe batch makes millions of pairs, far more than
 * one output batch holds. Their answers, worked out here row by row, must not depend on where the
 * pairs are cut into batches, and the query must fit in a memory limit a single batch of all
 * pairs would exceed.
 */
class BoundedJoinOutputTest {
  private static final int ROWS = 3_000;
  /** Far below what one batch of all the pairs of a probe batch takes (about 4.5 million rows). */
  private static final long MEMORY_LIMIT = 32L << 20;
  /** The residual keeps pairs whose build value is this much above the probe's: a few per probe row, spread over the batches. */
  private static final int GAP = 2_900;

  private static RootAllocator tableMemory;
  private static MemoryTable table;
  /** Per row: k (0 or 1, NULL for every 97th row) and v (the row number). */
  private static final Long[] K = new Long[ROWS];
  private static final long[] V = new long[ROWS];

  @BeforeAll
  static void table() {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      K[i] = i % 97 == 0 ? null : (long) (i % 2);
      V[i] = i;
      rows.add(new Object[] {K[i], V[i]});
    }
    Schema schema = new Schema(List.of(Field.nullable("k", new ArrowType.Int(64, true)),
        Field.nullable("v", new ArrowType.Int(64, true))));
    tableMemory = new RootAllocator();
    table = MemoryTable.fromRows(schema, rows, tableMemory);
  }

  @AfterAll
  static void release() {
    table.close();
    tableMemory.close();
  }

  private static Kiln kiln(ExecutionMode mode) {
    Kiln kiln = Modes.builder(mode).threads(2).memoryLimit(MEMORY_LIMIT).build();
    kiln.registerTable("t", table);
    return kiln;
  }

  private static boolean keysMatch(int a, int b) {
    return K[a] != null && K[a].equals(K[b]);
  }

  private static boolean residual(int a, int b) {
    return keysMatch(a, b) && V[b] > V[a] + GAP;
  }

  /** The one row's values as text: a count or an exact sum reads the same whichever class holds it. */
  private static String row(Kiln kiln, String sql) {
    return Arrays.toString(kiln.execute(sql).rows().get(0));
  }

  private static String expected(long... values) {
    return Arrays.toString(values);
  }

  @ParameterizedTest
  @MethodSource("io.kiln.testing.Modes#all")
  void innerJoinOfRepeatedKeys(ExecutionMode mode) {
    long count = 0;
    long sum = 0;
    for (int a = 0; a < ROWS; a++) {
      for (int b = 0; b < ROWS; b++) {
        if (keysMatch(a, b)) {
          count++;
          sum += V[a] + V[b];
        }
      }
    }
    assertTrue(count > 4_000_000, "the join should make millions of pairs: " + count);
    try (Kiln kiln = kiln(mode)) {
      assertEquals(expected(count, sum),
          row(kiln, "SELECT count(*), sum(a.v + b.v) FROM t a JOIN t b ON a.k = b.k"));
    }
  }

  @ParameterizedTest
  @MethodSource("io.kiln.testing.Modes#all")
  void outerJoinsWithAResidualCountEachUnmatchedRowOnce(ExecutionMode mode) {
    long left = 0;
    long leftMatched = 0;
    long fullUnmatchedBuild = 0;
    for (int a = 0; a < ROWS; a++) {
      long matches = 0;
      for (int b = 0; b < ROWS; b++) {
        if (residual(a, b)) {
          matches++;
        }
      }
      left += Math.max(matches, 1);
      leftMatched += matches;
    }
    for (int b = 0; b < ROWS; b++) {
      boolean matched = false;
      for (int a = 0; a < ROWS && !matched; a++) {
        matched = residual(a, b);
      }
      fullUnmatchedBuild += matched ? 0 : 1;
    }
    try (Kiln kiln = kiln(mode)) {
      String on = " ON a.k = b.k AND b.v > a.v + " + GAP;
      assertEquals(expected(left, leftMatched),
          row(kiln, "SELECT count(*), count(b.v) FROM t a LEFT JOIN t b" + on));
      assertEquals(expected(left + fullUnmatchedBuild, left, leftMatched + fullUnmatchedBuild),
          row(kiln, "SELECT count(*), count(a.v), count(b.v) FROM t a FULL JOIN t b" + on));
    }
  }

  @ParameterizedTest
  @MethodSource("io.kiln.testing.Modes#all")
  void semiAndAntiJoinsWithAResidualSeeEveryBatchOfPairs(ExecutionMode mode) {
    long exists = 0;
    for (int a = 0; a < ROWS; a++) {
      for (int b = 0; b < ROWS; b++) {
        if (residual(a, b)) {
          exists++;
          break;
        }
      }
    }
    try (Kiln kiln = kiln(mode)) {
      String sub = "(SELECT 1 FROM t b WHERE b.k = a.k AND b.v > a.v + " + GAP + ")";
      assertEquals(expected(exists),
          row(kiln, "SELECT count(*) FROM t a WHERE EXISTS " + sub));
      assertEquals(expected(ROWS - exists),
          row(kiln, "SELECT count(*) FROM t a WHERE NOT EXISTS " + sub));
    }
  }

  @ParameterizedTest
  @MethodSource("io.kiln.testing.Modes#all")
  void aScalarSubqueryWithManyRowsFails(ExecutionMode mode) {
    try (Kiln kiln = kiln(mode)) {
      KilnException e = assertThrows(KilnException.class,
          () -> kiln.execute("SELECT (SELECT b.v FROM t b WHERE b.k = a.k) FROM t a"));
      assertTrue(e.getMessage().contains("more than one row"), e.getMessage());
    }
  }
}
