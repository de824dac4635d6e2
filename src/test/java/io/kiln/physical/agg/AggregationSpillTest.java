package io.kiln.physical.agg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.datasource.memory.MemoryTable;
import io.kiln.error.KilnException;
import io.kiln.testing.ExplainCounters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
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
 * A GROUP BY whose groups do not fit the memory limit spills them to disk and gives the answer it
 * gives in memory: worked out here in Java from the same rows.
 */
class AggregationSpillTest {
  private static final int ROWS = 400_000;
  private static final int GROUPS = 160_000;
  private static RootAllocator tableMemory;
  private static MemoryTable big;

  @TempDir Path spillDir;

  @BeforeAll
  static void table() {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      long k = (i * 7919L) % GROUPS; // each key's rows far apart, in different morsels
      rows.add(new Object[] {k, "s" + (i % 1013), (long) i, i % 11 == 0 ? null : (long) (i % 97)});
    }
    Schema schema = new Schema(List.of(Field.nullable("k", new ArrowType.Int(64, true)),
        Field.nullable("s", ArrowType.Utf8.INSTANCE), Field.nullable("v", new ArrowType.Int(64, true)),
        Field.nullable("w", new ArrowType.Int(64, true))));
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
  void groupsThatOutgrowTheLimitSpillAndGiveTheSameAnswer(ExecutionMode mode) throws IOException {
    // The answer, worked out row by row.
    Map<Long, long[]> expected = new TreeMap<>(); // count, sum v, count w, sum w
    Map<Long, TreeSet<String>> strings = new TreeMap<>();
    for (int i = 0; i < ROWS; i++) {
      long k = (i * 7919L) % GROUPS;
      long[] e = expected.computeIfAbsent(k, x -> new long[4]);
      e[0]++;
      e[1] += i;
      if (i % 11 != 0) {
        e[2]++;
        e[3] += i % 97;
      }
      strings.computeIfAbsent(k, x -> new TreeSet<>()).add("s" + (i % 1013));
    }
    String sql = "SELECT k, count(*), sum(v), avg(w), min(s), max(s) FROM big GROUP BY k ORDER BY k";
    // 32 MiB: a batch of 32,768 rows and its groups fit, 160,000 groups on each of two threads do not.
    try (Kiln kiln = Kiln.builder().threads(2).executionMode(mode).memoryLimit(32L << 20).spillDirectory(spillDir)
        .build()) {
      kiln.registerTable("big", big);
      List<Object[]> rows = kiln.execute(sql).rows();
      assertEquals(GROUPS, rows.size());
      for (Object[] row : rows) {
        long k = (Long) row[0];
        long[] e = expected.get(k);
        TreeSet<String> s = strings.get(k);
        assertEquals(e[0], row[1], "count of " + k);
        assertEquals(e[1], row[2], "sum of " + k);
        assertEquals(e[2] == 0 ? null : e[3] / (double) e[2], row[3] == null ? null : ((Number) row[3]).doubleValue(),
            "avg of " + k);
        assertEquals(s.first(), row[4], "min of " + k);
        assertEquals(s.last(), row[5], "max of " + k);
      }
      double afterFirst = spillMetric(kiln);
      assertTrue(afterFirst > 1_000_000, "kiln_spill_bytes_total " + afterFirst + " after the first run");
      long spilled = ExplainCounters.sum(kiln, sql, "bytes spilled");
      assertTrue(spilled > 1_000_000, "spilled " + spilled + " bytes");
      // The session's metric counts every run's spills: the second run's are what EXPLAIN ANALYZE showed.
      // (How much a run spills depends on how its threads met the limit, so the runs differ.)
      assertEquals(afterFirst + spilled, spillMetric(kiln), 0.5);
    }
    assertNothingIn(spillDir);
  }

  /** Spilling to a full disk fails the query with an error naming the file and the cause, and leaves no file. */
  @ParameterizedTest
  @EnumSource(ExecutionMode.class)
  void aFullDiskFailsTheQueryClearly(ExecutionMode mode) throws Exception {
    Path small = Files.createDirectory(spillDir.resolve("small"));
    run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", small.toString());
    try (Kiln kiln = Kiln.builder().threads(2).executionMode(mode).memoryLimit(32L << 20).spillDirectory(small)
        .build()) {
      kiln.registerTable("big", big);
      KilnException e = assertThrows(KilnException.class,
          () -> kiln.execute("SELECT k, count(*), sum(v), min(s) FROM big GROUP BY k"));
      assertEquals(KilnException.Kind.RESOURCE, e.kind());
      assertTrue(e.getMessage().contains("HashAggregate") && e.getMessage().contains(small.toString())
          && e.getMessage().contains("No space left on device"), e.getMessage());
      assertNothingIn(small);
      // The session goes on.
      assertEquals((long) ROWS, kiln.execute("SELECT count(*) FROM big").get(0, 0));
    } finally {
      try {
        run("umount", small.toString()); // fails while a spill file is still open
      } catch (IllegalStateException busy) {
        run("umount", "-l", small.toString());
        throw busy;
      }
    }
  }

  private static double spillMetric(Kiln kiln) {
    return kiln.metrics().registry().scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals("kiln_spill_bytes"))
        .map(m -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot) m).getDataPoints().get(0).getValue())
        .findFirst().orElseThrow();
  }

  private static void assertNothingIn(Path dir) throws IOException {
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(), left.toList(), "spill files left behind in " + dir);
    }
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " failed (a full disk is made as a small tmpfs,"
          + " which needs root): " + out);
    }
  }
}
