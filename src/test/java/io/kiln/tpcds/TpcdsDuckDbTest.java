package io.kiln.tpcds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.Result;
import io.kiln.cli.KilnCli;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.Modes;
import io.kiln.testing.ResultAssert;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * All 99 TPC-DS queries, Kiln (both modes) against DuckDB reading the same generated Parquet
 * files. SF 0.01 by default; the heavy profile ({@code -Pheavy}) runs SF 1, generated once into
 * this run's temporary folder under target/. Queries Kiln cannot answer yet are listed in
 * {@link #KNOWN_FAILURES} with the reason; such a query must still fail, so the list stays honest.
 */
class TpcdsDuckDbTest {
  private static final double SCALE_FACTOR = Boolean.getBoolean("kiln.heavy") ? 1 : 0.01;

  /** Query number to why Kiln cannot answer it yet (wrongly or with an error, in both modes). */
  private static final Map<Integer, String> KNOWN_FAILURES = SCALE_FACTOR < 1
      ? Map.of(12, "an item class whose web sales sum to 0.00 at this scale: Kiln's 0/0 is NULL, DuckDB's"
          + " DECIMAL division goes through DOUBLE and gives NaN")
      : Map.of();

  @TempDir static Path data;
  private static final Map<ExecutionMode, Kiln> sessions = new EnumMap<>(ExecutionMode.class);
  private static DuckDbOracle duckDb;

  @BeforeAll
  static void generateAndRegister() {
    TpcdsGenerator.generate(SCALE_FACTOR, data, progress -> {});
    for (ExecutionMode mode : Modes.all()) {
      Kiln kiln = Modes.builder(mode).threads(2).build();
      sessions.put(mode, kiln);
      TpcdsTables.register(kiln, data);
    }
    duckDb = new DuckDbOracle(2);
    for (String table : TpcdsTables.NAMES) {
      duckDb.registerParquet(table, TpcdsTables.file(data, table));
    }
  }

  @AfterAll
  static void close() {
    try {
      if (duckDb != null) {
        duckDb.close();
      }
    } finally {
      for (Kiln kiln : sessions.values()) {
        kiln.close(); // throws if any query leaked Arrow memory
      }
      sessions.clear();
    }
  }

  static Stream<Arguments> queries() {
    return Modes.all().stream().flatMap(m -> TpcdsQueries.all().stream().map(q -> Arguments.of(m, q)));
  }

  @ParameterizedTest(name = "{0} q{1}")
  @MethodSource("queries")
  void sameRowsAsDuckDb(ExecutionMode mode, int q) {
    String sql = TpcdsQueries.text(q);
    List<Object[]> expected = duckDb.query(sql);
    String knownReason = KNOWN_FAILURES.get(q);
    Throwable failure = null;
    try {
      Result result = sessions.get(mode).execute(sql);
      ResultAssert.assertSameRows(sql, result, expected, ResultAssert.hasOuterOrderBy(sql));
    } catch (AssertionError | RuntimeException e) {
      if (knownReason == null) {
        throw e;
      }
      failure = e;
    }
    if (knownReason != null && failure == null) {
      fail("q" + q + " is listed as failing (" + knownReason + ") but now matches DuckDB: take it off KNOWN_FAILURES");
    }
  }

  /** {@code kiln tpcds run} on the same data (generating it again would double the test's time). */
  @Test
  void commandLineRunPrintsEachQueryAndTheGeometricMean() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = KilnCli.run(new String[] {"tpcds", "run", "--data", data.toString(), "--queries", "3,42", "--threads", "2",
          "--mode", "interpreted"}, o, e);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
    assertTrue(printed.lines().anyMatch(l -> l.startsWith("q3 ")), printed);
    assertTrue(printed.lines().anyMatch(l -> l.startsWith("q42 ")), printed);
    assertTrue(printed.contains("geometric mean"), printed);
  }
}
