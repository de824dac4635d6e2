package io.kiln.datasource.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kiln.catalog.TableStatistics;
import io.kiln.tpch.TpchGenerator;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Footer min/max bound distinct counts: keys span their table, references span what they point to. */
class DistinctEstimatesTest {
  @TempDir Path dir;

  @Test
  void integerAndDateColumnsGetBoundsStringsDoNot() {
    TpchGenerator.generate(0.01, dir, p -> {});
    TableStatistics customer = new ParquetTable(dir.resolve("customer.parquet")).statistics();
    assertEquals(1500, customer.rowCount().getAsLong());
    assertEquals(1500, customer.distinctCount("c_custkey").getAsLong()); // 1..1500
    assertEquals(25, customer.distinctCount("c_nationkey").getAsLong()); // 0..24
    assertFalse(customer.distinctCount("c_name").isPresent(), "no bound from min/max of strings");
    TableStatistics orders = new ParquetTable(dir.resolve("orders.parquet")).statistics();
    // Dates 1992-01-01 .. 1998-08-02 span fewer days than there are orders.
    long days = orders.distinctCount("o_orderdate").getAsLong();
    assertEquals(true, days > 2000 && days < 2500, "o_orderdate distinct bound " + days);
  }
}
