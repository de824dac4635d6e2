package io.kiln.tpch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.catalog.ScanRequest;
import io.kiln.catalog.ScanTask;
import io.kiln.data.Batch;
import io.kiln.datasource.parquet.ParquetTable;
import io.kiln.types.DataType;
import io.trino.tpch.LineItem;
import io.trino.tpch.TpchTable;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TpchGeneratorTest {
  @TempDir Path dir;

  @Test
  void sf001MatchesTrinoTpchAndDuckDbReadsIt() throws Exception {
    AtomicReference<Double> last = new AtomicReference<>(0.0);
    TpchGenerator.generate(0.01, dir, p -> {
      assertTrue(p >= 0 && p <= 1, "progress " + p);
      last.set(p);
    });
    assertEquals(1.0, last.get());
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of("customer.parquet", "lineitem.parquet", "nation.parquet", "orders.parquet", "part.parquet",
          "partsupp.parquet", "region.parquet", "supplier.parquet"),
          s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()), "no temp files left");
    }

    long rows = 0;
    long cents = 0;
    for (LineItem l : TpchTable.LINE_ITEM.createGenerator(0.01, 1, 1)) {
      rows++;
      cents += l.getExtendedPriceInCents();
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
      String li = "'" + dir.resolve("lineitem.parquet") + "'";
      try (ResultSet rs = st.executeQuery("SELECT count(*), sum(l_extendedprice) FROM " + li)) {
        rs.next();
        assertEquals(rows, rs.getLong(1));
        assertEquals(BigDecimal.valueOf(cents, 2), rs.getBigDecimal(2));
      }
      Map<String, String> types = new HashMap<>();
      try (ResultSet rs = st.executeQuery("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM " + li + ")")) {
        while (rs.next()) {
          types.put(rs.getString(1), rs.getString(2));
        }
      }
      assertEquals("BIGINT", types.get("l_orderkey"));
      assertEquals("INTEGER", types.get("l_linenumber"));
      assertEquals("DECIMAL(15,2)", types.get("l_extendedprice"));
      assertEquals("DECIMAL(15,2)", types.get("l_quantity"));
      assertEquals("DECIMAL(15,2)", types.get("l_discount"));
      assertEquals("DATE", types.get("l_shipdate"));
      assertEquals("VARCHAR", types.get("l_comment"));
      assertEquals(16, types.size());
      // The first line of dbgen's lineitem: 1|155190|7706|1|17|21168.23|0.04|0.02|N|O|1996-03-13|...
      try (ResultSet rs = st.executeQuery("SELECT l_quantity, l_discount, l_shipdate::VARCHAR, l_shipmode FROM " + li
          + " WHERE l_orderkey = 1 AND l_linenumber = 1")) {
        rs.next();
        assertEquals(new BigDecimal("17.00"), rs.getBigDecimal(1));
        assertEquals(new BigDecimal("0.04"), rs.getBigDecimal(2));
        assertEquals("1996-03-13", rs.getString(3));
        assertEquals("TRUCK", rs.getString(4));
      }
      try (ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM '" + dir.resolve("nation.parquet")
          + "'), (SELECT count(*) FROM '" + dir.resolve("orders.parquet") + "')")) {
        rs.next();
        assertEquals(25, rs.getLong(1));
        assertEquals(15000, rs.getLong(2));
      }
    }

    // Kiln's own reader: exact row count, and the decimal comes back as cents at scale 2.
    ParquetTable t = new ParquetTable(dir.resolve("lineitem.parquet"));
    assertEquals(rows, t.statistics().rowCount().getAsLong());
    int price = t.schema().getFields().indexOf(t.schema().findField("l_extendedprice"));
    assertEquals(DataType.decimal(15, 2), DataType.fromArrow(t.schema().getFields().get(price).getType(), "p"));
    long[] sum = {0};
    try (RootAllocator allocator = new RootAllocator()) {
      for (ScanTask task : t.planScan(new ScanRequest(new int[] {price}, List.of(), OptionalLong.empty()))) {
        task.run(allocator, b -> {
          try (Batch batch = b) {
            BigIntVector v = (BigIntVector) batch.column(0);
            long s = 0;
            for (int i = 0; i < batch.rowCount(); i++) {
              s += v.get(i);
            }
            sum[0] += s;
          }
        }, () -> false);
      }
      assertEquals(0, allocator.getAllocatedMemory());
    }
    assertEquals(cents, sum[0]);
  }

  @Test
  void sf01LineitemHasSeveralRowGroups() throws Exception {
    // Only lineitem matters here; generate the whole set as users would (it is fast).
    TpchGenerator.generate(0.1, dir, p -> { });
    ParquetTable t = new ParquetTable(dir.resolve("lineitem.parquet"));
    assertTrue(t.rowGroupCount() >= 4, "row groups: " + t.rowGroupCount());
    assertEquals(600_572L, t.statistics().rowCount().getAsLong());
  }
}
