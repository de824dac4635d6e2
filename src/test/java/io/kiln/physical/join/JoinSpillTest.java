package io.kiln.physical.join;

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
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Joins whose build side does not fit the memory limit spill it and run a partition at a time (a
 * grace hash join), with the answer they give in memory: every join type, NULL keys, keys repeated
 * on both sides, and two spilled joins in one pipeline.
 */
class JoinSpillTest {
  private static final int BUILD_ROWS = 300_000;
  private static final int PROBE_ROWS = 400_000;
  private static RootAllocator tableMemory;
  private static MemoryTable build;
  private static MemoryTable probe;
  private static MemoryTable other;

  @TempDir Path spillDir;

  /** Aggregates over each join's output: its rows, and sums that depend on which rows met which. */
  private static final List<String> QUERIES = List.of(
      "SELECT count(*), sum(p.v * 7 + b.w), min(b.s), max(b.s) FROM p JOIN b ON p.k = b.k",
      "SELECT count(*), count(b.w), sum(coalesce(b.w, -1) * p.v) FROM p LEFT JOIN b ON p.k = b.k",
      "SELECT count(*), count(p.v), sum(coalesce(p.v, -1) * b.w) FROM p RIGHT JOIN b ON p.k = b.k",
      "SELECT count(*), count(p.v), count(b.w), sum(coalesce(p.v, 3) + coalesce(b.w, 5)) FROM p FULL JOIN b ON p.k = b.k",
      "SELECT count(*), sum(p.v) FROM p WHERE EXISTS (SELECT 1 FROM b WHERE b.k = p.k)",
      "SELECT count(*), sum(p.v) FROM p WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.k = p.k)",
      // the preserved side is the smaller: it may build, and its matched or unmatched rows come out per partition
      "SELECT count(*), sum(b.w) FROM b WHERE EXISTS (SELECT 1 FROM p WHERE p.k = b.k)",
      "SELECT count(*), sum(b.w) FROM b WHERE NOT EXISTS (SELECT 1 FROM p WHERE p.k = b.k)",
      "SELECT count(*), sum(p.v + b.w + o.x) FROM p JOIN b ON p.k = b.k JOIN o ON o.j = p.v % 250000",
      // two probe pipelines: the partitions run once both have set their rows aside
      "SELECT count(*), sum(u.v + b.w) FROM (SELECT k, v FROM p UNION ALL SELECT k, v + 1 FROM p WHERE v % 2 = 0) u"
          + " JOIN b ON u.k = b.k",
      "SELECT b.k, count(*), sum(p.v) FROM p JOIN b ON p.k = b.k AND p.v % 3 <> b.w % 3 GROUP BY b.k ORDER BY 3 DESC, 1"
          + " LIMIT 20");

  @BeforeAll
  static void tables() {
    tableMemory = new RootAllocator();
    Schema buildSchema = new Schema(List.of(Field.nullable("k", new ArrowType.Int(64, true)),
        Field.nullable("w", new ArrowType.Int(64, true)), Field.nullable("s", ArrowType.Utf8.INSTANCE)));
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < BUILD_ROWS; i++) {
      // keys 0..199,999, most twice (repeated on both sides), every 97th NULL
      Long k = i % 97 == 0 ? null : (i * 7919L) % 200_000;
      rows.add(new Object[] {k, (long) i, "s" + (i % 5003)});
    }
    build = MemoryTable.fromRows(buildSchema, rows, tableMemory);
    Schema probeSchema = new Schema(List.of(Field.nullable("k", new ArrowType.Int(64, true)),
        Field.nullable("v", new ArrowType.Int(64, true))));
    rows = new ArrayList<>();
    for (int i = 0; i < PROBE_ROWS; i++) {
      // keys 0..299,999: a third match no build row; every 101st NULL
      Long k = i % 101 == 0 ? null : (i * 104_729L) % 300_000;
      rows.add(new Object[] {k, (long) i});
    }
    probe = MemoryTable.fromRows(probeSchema, rows, tableMemory);
    Schema otherSchema = new Schema(List.of(Field.nullable("j", new ArrowType.Int(64, true)),
        Field.nullable("x", new ArrowType.Int(64, true))));
    rows = new ArrayList<>();
    for (int i = 0; i < 250_000; i++) {
      rows.add(new Object[] {(long) i, (long) (i % 1000)});
    }
    other = MemoryTable.fromRows(otherSchema, rows, tableMemory);
  }

  @AfterAll
  static void release() {
    build.close();
    probe.close();
    other.close();
    tableMemory.close();
  }

  private Kiln session(ExecutionMode mode, long memoryLimit) {
    Kiln.Builder b = Kiln.builder().threads(2).executionMode(mode).spillDirectory(spillDir);
    if (memoryLimit > 0) {
      b.memoryLimit(memoryLimit);
    }
    Kiln kiln = b.build();
    kiln.registerTable("b", build);
    kiln.registerTable("p", probe);
    kiln.registerTable("o", other);
    return kiln;
  }

  @ParameterizedTest
  @EnumSource(ExecutionMode.class)
  void joinsWhoseBuildSideOutgrowsTheLimitSpillAndGiveTheSameAnswers(ExecutionMode mode) throws IOException {
    List<List<String>> expected = new ArrayList<>();
    try (Kiln inMemory = session(mode, 0)) {
      for (String sql : QUERIES) {
        expected.add(rows(inMemory, sql));
        assertEquals(0, ExplainCounters.sum(inMemory, sql, "bytes spilled"), sql);
      }
    }
    // 24 MiB: each thread's share of the build rows (a few MiB) is far below the build sides' ~10 MiB plus chains.
    try (Kiln limited = session(mode, 24L << 20)) {
      for (int q = 0; q < QUERIES.size(); q++) {
        String sql = QUERIES.get(q);
        assertEquals(expected.get(q), rows(limited, sql), sql);
        assertTrue(ExplainCounters.sum(limited, sql, "bytes spilled", "HashJoin") > 1_000_000, "no join spilled in " + sql);
      }
    }
    try (Stream<Path> left = Files.list(spillDir)) {
      assertEquals(List.of(), left.toList(), "spill files left behind in " + spillDir);
    }
  }

  /** The spilled and in-memory answers match an answer worked out in Java, so both are checked. */
  @Test
  void theSpilledInnerJoinCountsWhatJavaCounts() {
    long[] buildPerKey = new long[200_000];
    for (int i = 0; i < BUILD_ROWS; i++) {
      if (i % 97 != 0) {
        buildPerKey[(int) ((i * 7919L) % 200_000)]++;
      }
    }
    long pairs = 0;
    for (int i = 0; i < PROBE_ROWS; i++) {
      long k = (i * 104_729L) % 300_000;
      if (i % 101 != 0 && k < 200_000) {
        pairs += buildPerKey[(int) k];
      }
    }
    try (Kiln limited = session(ExecutionMode.COMPILED, 24L << 20)) {
      assertEquals(pairs, limited.execute("SELECT count(*) FROM p JOIN b ON p.k = b.k").get(0, 0));
    }
  }

  private static List<String> rows(Kiln kiln, String sql) {
    List<String> out = new ArrayList<>();
    for (Object[] row : kiln.execute(sql).rows()) {
      out.add(Arrays.toString(row));
    }
    return out;
  }
}
