package io.kiln.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The oracle must hand back Kiln's Java types, or every comparison would be of unlike things. */
class DuckDbOracleTest {
  @Test
  void normalizesEveryTypeToKilnJavaTypes() {
    try (DuckDbOracle db = new DuckDbOracle(1)) {
      List<Object[]> rows = db.query("SELECT CAST(1 AS TINYINT), CAST(2 AS SMALLINT), CAST(3 AS INTEGER), "
          + "CAST(4 AS BIGINT), sum(CAST(5 AS BIGINT)), CAST(1.5 AS REAL), CAST(2.5 AS DOUBLE), "
          + "CAST(1.25 AS DECIMAL(10,2)), DATE '2020-01-02', TIMESTAMP '2020-01-02 03:04:05.25', 'x', true, "
          + "CAST(NULL AS INTEGER)");
      Object[] row = rows.get(0);
      assertEquals(1L, row[0]);
      assertEquals(2L, row[1]);
      assertEquals(3L, row[2]);
      assertEquals(4L, row[3]);
      assertEquals(5L, ((Number) row[4]).longValue()); // HUGEINT sum comes back as a number
      assertEquals(1.5f, row[5]);
      assertEquals(2.5d, row[6]);
      assertEquals(new BigDecimal("1.25"), row[7]);
      assertEquals(LocalDate.of(2020, 1, 2), row[8]);
      assertEquals(LocalDateTime.of(2020, 1, 2, 3, 4, 5, 250_000_000), row[9]);
      assertEquals("x", row[10]);
      assertEquals(Boolean.TRUE, row[11]);
      assertNull(row[12]);
    }
  }

  @Test
  void registersParquetAsView(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    try (DuckDbOracle db = new DuckDbOracle(1)) {
      java.nio.file.Path file = dir.resolve("r.parquet");
      db.execute("COPY (SELECT range AS x FROM range(3)) TO '" + file + "' (FORMAT parquet)");
      db.registerParquet("r", file);
      assertEquals(3L, ((Number) db.query("SELECT sum(x) FROM r").get(0)[0]).longValue());
    }
  }
}
