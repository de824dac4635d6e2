package io.kiln.tpcds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.error.KilnException;
import io.kiln.testing.DuckDbOracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TpcdsGeneratorTest {
  @TempDir Path dir;

  /** The spec's SF 1 row counts of tables cheap to make; types as the spec declares them. */
  @Test
  void sf1DimensionsHaveTheSpecsRowCountsAndTypes() throws Exception {
    AtomicReference<Double> last = new AtomicReference<>(0.0);
    TpcdsGenerator.generate(1, dir, List.of("call_center", "item", "date_dim"), p -> {
      assertTrue(p >= 0 && p <= 1, "progress " + p);
      last.set(p);
    });
    assertEquals(1.0, last.get());
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of("call_center.parquet", "date_dim.parquet", "item.parquet"),
          s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()), "no temp files left");
    }

    MessageType item = schema("item");
    assertEquals("optional int64 i_item_sk", item.getType("i_item_sk").toString());
    assertEquals("optional binary i_item_id (STRING)", item.getType("i_item_id").toString());
    assertEquals("optional int32 i_rec_start_date (DATE)", item.getType("i_rec_start_date").toString());
    assertEquals("optional int32 i_current_price (DECIMAL(7,2))", item.getType("i_current_price").toString());
    assertEquals("optional int32 i_brand_id", item.getType("i_brand_id").toString());
    assertEquals("optional int32 cc_tax_percentage (DECIMAL(5,2))", schema("call_center").getType("cc_tax_percentage").toString());

    try (DuckDbOracle duckDb = new DuckDbOracle(1)) {
      for (String t : List.of("call_center", "item", "date_dim")) {
        duckDb.registerParquet(t, TpcdsTables.file(dir, t));
      }
      Object[] counts = duckDb.query("SELECT (SELECT count(*) FROM call_center), (SELECT count(*) FROM item),"
          + " (SELECT count(*) FROM date_dim), (SELECT count(*) FROM item WHERE i_brand IS NULL),"
          + " (SELECT min(d_date) FROM date_dim), (SELECT sum(i_current_price) > 0 FROM item)").get(0);
      assertEquals(6L, ((Number) counts[0]).longValue());
      assertEquals(18_000L, ((Number) counts[1]).longValue());
      assertEquals(73_049L, ((Number) counts[2]).longValue());
      assertTrue(((Number) counts[3]).longValue() > 0, "dsdgen's nulls are written as nulls");
      assertEquals(java.time.LocalDate.of(1900, 1, 2), counts[4]);
      assertEquals(Boolean.TRUE, counts[5]);
    }
  }

  @Test
  void badScaleFactorOrTableIsAClearError() {
    KilnException sf = assertThrows(KilnException.class, () -> TpcdsGenerator.generate(0, dir, p -> {}));
    assertEquals("TPC-DS scale factor must be positive, got 0.0", sf.getMessage().replaceFirst("^[a-z ]+error: ", ""));
    KilnException table = assertThrows(KilnException.class,
        () -> TpcdsGenerator.generate(0.01, dir, List.of("dbgen_version"), p -> {}));
    assertTrue(table.getMessage().endsWith("no TPC-DS table dbgen_version"), table.getMessage());
  }

  private MessageType schema(String table) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(dir.resolve(table + ".parquet")))) {
      return reader.getFooter().getFileMetaData().getSchema();
    }
  }
}
