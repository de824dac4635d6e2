package io.kiln.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.QueryHandle;
import io.kiln.Result;
import io.kiln.testing.Modes;
import io.kiln.tpch.TpchDriver;
import io.kiln.tpch.TpchGenerator;
import io.kiln.tpch.TpchQueries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Queries running at the same time in one session give the answers they give alone: each has its
 * own memory, counters, pipelines and sinks, while they share the worker pool and the compiled
 * class cache. All 22 TPC-H queries are submitted at once, twice over.
 */
@Timeout(300)
class ConcurrentQueriesTest {
  @TempDir static Path data;

  @BeforeAll
  static void generate() {
    TpchGenerator.generate(0.01, data, progress -> {});
  }

  static List<ExecutionMode> modes() {
    return Modes.all();
  }

  private static List<String> rows(Result r) {
    List<String> out = new ArrayList<>();
    for (Object[] row : r.rows()) {
      out.add(Arrays.toString(row));
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("modes")
  void concurrentQueriesAnswerAsSerialOnes(ExecutionMode mode) {
    try (Kiln kiln = Modes.builder(mode).threads(3).build()) {
      TpchDriver.registerTables(kiln, data);
      Map<Integer, List<String>> serial = new LinkedHashMap<>();
      for (int q : TpchQueries.all()) {
        serial.put(q, rows(kiln.execute(TpchQueries.text(q))));
      }
      List<Integer> order = new ArrayList<>();
      List<QueryHandle> handles = new ArrayList<>();
      for (int round = 0; round < 2; round++) {
        for (int q : TpchQueries.all()) {
          order.add(q);
          handles.add(kiln.submit(TpchQueries.text(q)));
        }
      }
      for (int i = 0; i < handles.size(); i++) {
        assertEquals(serial.get(order.get(i)), rows(handles.get(i).result()), "Q" + order.get(i) + " run concurrently");
      }
    }
  }
}
