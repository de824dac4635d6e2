package io.kiln.datasource.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Row groups whose dictionaries lack every value of an equality or IN predicate are skipped, even
 * when min/max statistics cannot tell; answers stay exact, and the scan metrics say what happened.
 */
class DictionaryPrunerTest {
  private static final int FILES = 5;
  private static final int ROWS = 2000;

  @TempDir Path dir;

  private static final MessageType SCHEMA = Types.buildMessage()
      .required(PrimitiveTypeName.INT64).named("id")
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("city")
      .optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.decimalType(2, 9)).named("price")
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("serial")
      .named("t");

  /**
   * File k (one row group) holds the cities "aaa", "zzz" and "m{k}", and prices 1.00, 99.00 and
   * k + 0.50: every file has the same min and max, so only dictionaries tell them apart.
   */
  private Path writeFiles() throws Exception {
    Path d = Files.createDirectory(dir.resolve("t"));
    SimpleGroupFactory f = new SimpleGroupFactory(SCHEMA);
    for (int k = 0; k < FILES; k++) {
      try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(d.resolve("part-" + k + ".parquet")))
          .withConf(new PlainParquetConfiguration()).withType(SCHEMA).build()) {
        for (int i = 0; i < ROWS; i++) {
          Group g = f.newGroup().append("id", (long) k * ROWS + i);
          if (i % 10 != 0) {
            g.append("city", i % 3 == 0 ? "aaa" : i % 3 == 1 ? "zzz" : "m" + k);
            g.append("price", i % 3 == 0 ? 100 : i % 3 == 1 ? 9900 : k * 100 + 50);
          }
          g.append("serial", "u" + (k * ROWS + i)); // all distinct: parquet-mr falls back to PLAIN pages
          w.write(g);
        }
      }
    }
    return d;
  }

  @Test
  void skipsRowGroupsWhoseDictionaryLacksTheValue() throws Exception {
    Path d = writeFiles();
    try (Kiln kiln = Kiln.builder().threads(2).build()) {
      ParquetTable t = new ParquetTable(d);
      kiln.registerTable("t", t);
      // Rows with i % 3 == 2 and i % 10 != 0 hold "m{k}".
      long perFile = java.util.stream.IntStream.range(0, ROWS).filter(i -> i % 10 != 0 && i % 3 == 2).count();

      assertEquals(perFile, count(kiln, "SELECT count(*) FROM t WHERE city = 'm2'"));
      assertEquals(1, t.lastScanMetrics().rowGroupsRead(), t.lastScanMetrics().toString());
      assertEquals(FILES - 1, t.lastScanMetrics().rowGroupsSkippedByDictionary(), t.lastScanMetrics().toString());
      assertEquals(0, t.lastScanMetrics().rowGroupsSkippedByStatistics(), t.lastScanMetrics().toString());
      assertTrue(t.lastScanMetrics().pagesRead() > 0 && t.lastScanMetrics().bytesRead() > 0);

      assertEquals(2 * perFile, count(kiln, "SELECT count(*) FROM t WHERE city IN ('m1', 'm3', 'nowhere')"));
      assertEquals(FILES - 2, t.lastScanMetrics().rowGroupsSkippedByDictionary(), t.lastScanMetrics().toString());

      // Decimals compare by value in the column's scale: 3.5 is k = 3's price; 3.55 can match nothing.
      assertEquals(perFile, count(kiln, "SELECT count(*) FROM t WHERE price = 3.5"));
      assertEquals(FILES - 1, t.lastScanMetrics().rowGroupsSkippedByDictionary(), t.lastScanMetrics().toString());
      assertEquals(0, count(kiln, "SELECT count(*) FROM t WHERE price = 3.55"));

      // A value present everywhere prunes nothing; a column that fell back to PLAIN is never pruned.
      assertEquals(FILES * (long) java.util.stream.IntStream.range(0, ROWS).filter(i -> i % 10 != 0 && i % 3 == 0)
          .count(), count(kiln, "SELECT count(*) FROM t WHERE city = 'aaa'"));
      assertEquals(0, t.lastScanMetrics().rowGroupsSkippedByDictionary());
      assertEquals(1, count(kiln, "SELECT count(*) FROM t WHERE serial = 'u4321'"));
      assertEquals(0, t.lastScanMetrics().rowGroupsSkippedByDictionary(), t.lastScanMetrics().toString());

      // EXPLAIN ANALYZE reports what this query's scans did, not the table's history.
      List<String> lines = kiln.execute("EXPLAIN ANALYZE SELECT count(*) FROM t WHERE city = 'm4'").rows().stream()
          .map(r -> (String) r[0]).collect(Collectors.toList());
      assertTrue(lines.contains("Execution: 1 rows in " + lines.stream().filter(l -> l.startsWith("Execution: "))
          .findFirst().orElse("?").substring("Execution: 1 rows in ".length())), lines.toString());
      String scan = lines.stream().filter(l -> l.startsWith("Scan t: ")).findFirst().orElse("none");
      assertTrue(scan.startsWith("Scan t: row groups read 1, row groups skipped by statistics 0, "
          + "row groups skipped by dictionary 4, row groups skipped by column index 0, pages read "), scan);
    }
  }

  private static long count(Kiln kiln, String sql) {
    return ((Number) kiln.execute(sql).get(0, 0)).longValue();
  }
}
