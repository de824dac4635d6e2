package io.kiln.datasource.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.datasource.objectstore.LocalFileStore;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.Modes;
import io.kiln.testing.ResultAssert;
import java.nio.file.Path;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a batch where most rows pass the pushed-down predicates, the scan leaves the next batches
 * to the filter above it, re-evaluating every {@link SelectiveBatchReader#RECHECK_EVERY}th batch.
 * One row group of several batches, with predicates that pass most rows throughout (on dictionary
 * ids and on values) and ones whose pass rate flips part way (a sorted column): answers equal
 * DuckDB's in both modes, and the metrics show batches left to the filter above and, after a flip,
 * batches filtered again.
 */
class MostlyPassingPredicatesTest {
  private static final int ROWS = 10 * RowGroupScanTask.BATCH_ROWS + 123;
  private static final String[] MODES = {"AIR", "MAIL", "SHIP", "RAIL", "TRUCK", "FOB", "REG AIR"};

  @TempDir static Path dir;
  private static Path file;
  private static DuckDbOracle duck;

  @BeforeAll
  static void write() throws Exception {
    MessageType schema = Types.buildMessage()
        .required(PrimitiveTypeName.INT64).named("id")
        .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("mode")
        .optional(PrimitiveTypeName.INT64).named("amount")
        .named("t");
    file = dir.resolve("t.parquet");
    SimpleGroupFactory f = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file))
        .withConf(new PlainParquetConfiguration()).withType(schema).withDictionaryEncoding(true)
        .withCompressionCodec(CompressionCodecName.SNAPPY).withRowGroupSize(1L << 30).build()) {
      for (int i = 0; i < ROWS; i++) {
        Group g = f.newGroup().append("id", (long) i);
        if (i % 13 != 5) {
          g.append("mode", MODES[(i * 31) % MODES.length]);
        }
        if (i % 17 != 3) {
          g.append("amount", (long) i * 7 - 1000);
        }
        w.write(g);
      }
    }
    duck = new DuckDbOracle(2);
    duck.execute("CREATE VIEW t AS SELECT * FROM read_parquet('" + file + "')");
  }

  @AfterAll
  static void close() {
    duck.close();
  }

  @Test
  void answersEqualDuckDbsWhetherTheScanOrTheFilterAboveDropsTheRows() {
    String[] queries = {
        "SELECT count(*), sum(amount), min(mode), max(id) FROM t WHERE mode <> 'AIR'",
        "SELECT count(*), sum(amount), count(mode) FROM t WHERE amount > 5000",
        // sorted id: the first batches pass whole, the last pass nothing, and the reverse
        "SELECT count(*), sum(amount), max(mode) FROM t WHERE id < " + (4 * RowGroupScanTask.BATCH_ROWS + 77),
        "SELECT count(*), sum(amount), min(mode) FROM t WHERE id >= " + (4 * RowGroupScanTask.BATCH_ROWS + 77),
        "SELECT mode, count(*), sum(amount) FROM t WHERE mode IN ('AIR', 'MAIL', 'SHIP', 'RAIL', 'FOB') GROUP BY mode",
        "SELECT count(*) FROM t WHERE mode IS NOT NULL AND amount IS NOT NULL"};
    for (ExecutionMode mode : Modes.all()) {
      for (int threads = 1; threads <= 2; threads++) {
        try (Kiln kiln = Modes.builder(mode).threads(threads).build()) {
          kiln.registerTable("t", new ParquetTable(file.toString(), LocalFileStore.INSTANCE,
              LateMaterializationTest.NO_SLICES));
          for (String sql : queries) {
            ResultAssert.assertSameRows(mode + ", " + threads + " threads: " + sql, kiln.execute(sql), duck.query(sql),
                false);
          }
        }
      }
    }
  }

  @Test
  void metricsShowBatchesLeftToTheFilterAboveAndRechecks() {
    try (Kiln kiln = Kiln.builder().threads(1).build()) {
      ParquetTable t = new ParquetTable(file.toString(), LocalFileStore.INSTANCE, LateMaterializationTest.NO_SLICES);
      kiln.registerTable("t", t);

      kiln.execute("SELECT count(*), sum(amount) FROM t WHERE mode <> 'AIR'");
      ScanMetrics mostly = t.lastScanMetrics();
      // 11 batches: the first is evaluated, then 3 of every 4 are left to the filter above
      long batch = RowGroupScanTask.BATCH_ROWS;
      assertEquals(7 * batch + 123, mostly.rowsLeftToFilterAbove(), mostly.toString());
      assertTrue(mostly.rowsFilteredOnDictionary() > 0, mostly.toString());

      long cut = 4 * batch + 77;
      kiln.execute("SELECT count(*), sum(amount) FROM t WHERE id < " + cut);
      ScanMetrics flips = t.lastScanMetrics();
      // batch 0 passes whole; 1-3 are left; batch 4 is evaluated (77 rows pass, not most), so the rest
      // is filtered in the scan again (the column index skips most of it, id being sorted)
      assertEquals(3 * batch, flips.rowsLeftToFilterAbove(), flips.toString());
      assertEquals(77, flips.rowsDecodedLate(), flips.toString());
      assertTrue(flips.rowsFilteredOnValues() > 0 && flips.pagesSkipped() > 0, flips.toString());

      kiln.execute("SELECT count(*), sum(amount) FROM t WHERE amount < -2000");
      ScanMetrics none = t.lastScanMetrics();
      assertEquals(0, none.rowsLeftToFilterAbove(), "nothing passes: every batch filtered in the scan: " + none);
    }
  }
}
