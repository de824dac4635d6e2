package io.kiln.optimizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.Result;
import io.kiln.logical.Limit;
import io.kiln.logical.LogicalPlan;
import io.kiln.logical.Scan;
import io.kiln.tpch.TpchGenerator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LIMIT reaches unfiltered scans (through projections) and the answers keep their size. */
class PushDownLimitsTest {
  @TempDir
  Path dir;

  private static void scans(LogicalPlan p, List<Scan> out) {
    if (p instanceof Scan) {
      out.add((Scan) p);
    }
    for (LogicalPlan in : p.inputs()) {
      scans(in, out);
    }
  }

  @Test
  void limitReachesAnUnfilteredScanButNotAFilteredOne() {
    TpchGenerator.generate(0.01, dir, p -> {});
    try (Kiln kiln = Kiln.builder().threads(2).build()) {
      kiln.registerParquet("lineitem", dir.resolve("lineitem.parquet"));
      LogicalPlan plain = new Optimizer().optimize(
          kiln.sql("SELECT l_orderkey, l_quantity * 2 FROM lineitem LIMIT 7 OFFSET 3").logicalPlan());
      List<Scan> found = new ArrayList<>();
      scans(plain, found);
      assertEquals(10, found.get(0).limit().getAsLong());
      assertTrue(plain instanceof Limit, "the outer LIMIT still applies");

      LogicalPlan filtered = new Optimizer().optimize(
          kiln.sql("SELECT l_orderkey FROM lineitem WHERE l_quantity > 10 LIMIT 7").logicalPlan());
      found.clear();
      scans(filtered, found);
      assertFalse(found.get(0).limit().isPresent(), "a filter after the scan makes its row count unknown");

      Result r = kiln.execute("SELECT l_orderkey FROM lineitem LIMIT 7 OFFSET 3");
      assertEquals(7, r.rowCount());
      Result u = kiln.execute("SELECT l_orderkey FROM lineitem UNION ALL SELECT l_orderkey FROM lineitem LIMIT 5");
      assertEquals(5, u.rowCount());
    }
  }
}
