package io.kiln.tpch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Kiln on SF 0.01 Parquet must reproduce the answers io.trino.tpch ships for all 22 queries. */
class TpchAnswersTest {
  @TempDir static Path data;
  private static Kiln kiln;

  @BeforeAll
  static void generateAndRegister() {
    TpchGenerator.generate(0.01, data, progress -> {});
    kiln = Kiln.builder().threads(2).build();
    TpchDriver.registerTables(kiln, data);
  }

  @AfterAll
  static void close() {
    if (kiln != null) {
      kiln.close(); // throws if any query leaked Arrow memory
    }
  }

  static List<Integer> queries() {
    return TpchQueries.all();
  }

  @ParameterizedTest(name = "q{0}")
  @MethodSource("queries")
  void matchesShippedAnswer(int q) {
    Result result = kiln.execute(TpchQueries.text(q));
    List<String> mismatches = TpchAnswers.compare(q, result);
    assertTrue(mismatches.isEmpty(), () -> String.join("\n", mismatches));
  }
}
