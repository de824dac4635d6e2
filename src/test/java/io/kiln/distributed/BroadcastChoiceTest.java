package io.kiln.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.tpch.TpchDriver;
import io.kiln.tpch.TpchGenerator;
import io.kiln.tpch.TpchQueries;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a cluster plan moves a join's build side, from the optimizer's estimates: a small dimension
 * is broadcast, a build side about as large as its probe side is hashed with it (a broadcast would
 * copy and build it once per task), and a threshold of 0 hashes every join.
 */
class BroadcastChoiceTest {
  @TempDir static Path data;

  @BeforeAll
  static void generate() {
    TpchGenerator.generate(0.01, data, progress -> {});
  }

  private static List<String> plan(long broadcastMaxRows, int query) {
    try (Kiln kiln = Kiln.builder().threads(3).broadcastMaxRows(broadcastMaxRows).build()) {
      TpchDriver.registerTables(kiln, data);
      return kiln.execute("EXPLAIN DISTRIBUTED " + TpchQueries.text(query)).rows().stream()
          .map(r -> (String) r[0]).toList();
    }
  }

  /** The nearest exchange above the scan of {@code table} in the plan tree. */
  private static String exchangeAbove(List<String> plan, String table) {
    for (int i = 1; i < plan.size(); i++) {
      if (plan.get(i).strip().matches("\\[\\d+\\] Scan " + table + " .*")) {
        int indent = plan.get(i).indexOf('[');
        for (int p = i - 1; p >= 0; p--) {
          int parentIndent = plan.get(p).indexOf('[');
          if (parentIndent >= 0 && parentIndent < indent) {
            if (plan.get(p).contains("Exchange")) {
              return plan.get(p).strip();
            }
            indent = parentIndent;
          }
        }
      }
    }
    throw new AssertionError("no scan of " + table + " in\n" + String.join("\n", plan));
  }

  @Test
  void aSmallDimensionIsBroadcastAndTwoLargeSidesAreHashed() {
    List<String> q3 = plan(1_000_000, 3);
    // customer (filtered to a segment) builds against orders: broadcast
    assertTrue(exchangeAbove(q3, "customer").contains("Exchange BROADCAST"), String.join("\n", q3));
    // Q7: the year's lineitem rows build against orders; broadcasting them would copy them to every task
    List<String> q7 = plan(1_000_000, 7);
    String text = String.join("\n", q7);
    assertTrue(exchangeAbove(q7, "lineitem").contains("Exchange HASH keys=[l_orderkey"), text);
    assertTrue(exchangeAbove(q7, "orders").contains("Exchange HASH keys=[o_orderkey"), text);
  }

  @Test
  void aThresholdOfZeroHashesEveryJoin() {
    for (int q : List.of(3, 5, 7)) {
      String text = String.join("\n", plan(0, q));
      // Q7's nation × nation pairs have no keys: a nested loop always sees its whole build side
      // plan nodes only ("[26] Exchange BROADCAST"), not the stage list that names the same exchange
      long broadcasts = text.lines().filter(l -> l.contains("] Exchange BROADCAST")).count();
      long keyless = text.lines().filter(l -> l.contains("NestedLoopJoin")).count();
      assertEquals(keyless, broadcasts, text);
    }
  }
}
