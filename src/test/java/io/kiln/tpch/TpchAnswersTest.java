package io.kiln.tpch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kiln.Kiln;
import io.kiln.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** All 22 TPC-H queries at SF 0.01 against the answers shipped in io.trino.tpch. */
class TpchAnswersTest {
  @TempDir
  static Path data;

  static Kiln kiln;

  @BeforeAll
  static void generate() {
    TpchGenerator.generate(0.01, data, p -> {});
    kiln = Kiln.builder().threads(2).build();
    TpchDriver.registerTables(kiln, data);
  }

  @AfterAll
  static void close() {
    kiln.close(); // fails if any Arrow buffer leaked
  }

  static List<Integer> queries() {
    return TpchQueries.all();
  }

  @ParameterizedTest(name = "q{0}")
  @MethodSource("queries")
  void matchesShippedAnswer(int q) {
    Result r = kiln.execute(TpchQueries.text(q));
    List<String> problems = TpchAnswers.check(q, r);
    assertEquals(List.of(), problems, "q" + q);
  }
}
