package io.kiln.tpch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.testing.Modes;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
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
  private static final Map<ExecutionMode, Kiln> sessions = new EnumMap<>(ExecutionMode.class);

  @BeforeAll
  static void generateAndRegister() {
    TpchGenerator.generate(0.01, data, progress -> {});
    for (ExecutionMode mode : Modes.all()) {
      Kiln kiln = Modes.builder(mode).threads(2).build();
      sessions.put(mode, kiln);
      TpchDriver.registerTables(kiln, data);
    }
  }

  @AfterAll
  static void close() {
    for (Kiln kiln : sessions.values()) {
      kiln.close(); // throws if any query leaked Arrow memory
    }
    sessions.clear();
  }

  static Stream<Arguments> queries() {
    return Modes.all().stream().flatMap(m -> TpchQueries.all().stream().map(q -> Arguments.of(m, q)));
  }

  @ParameterizedTest(name = "{0} q{1}")
  @MethodSource("queries")
  void matchesShippedAnswer(ExecutionMode mode, int q) {
    Result result = sessions.get(mode).execute(TpchQueries.text(q));
    List<String> mismatches = TpchAnswers.compare(q, result);
    assertTrue(mismatches.isEmpty(), () -> String.join("\n", mismatches));
  }
}
