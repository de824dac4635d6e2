package io.kiln.datasource.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kiln.catalog.ScanRequest;
import io.kiln.catalog.ScanTask;
import io.kiln.data.Batch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.parquet.column.ParquetProperties;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * REQUIRED INT64/INT32 columns take the page-level path: many small pages, data page v1 and v2,
 * dictionary pages that fall back to PLAIN part way through a chunk, and batches that end mid-page.
 */
class RequiredPageDecoderTest {
  @TempDir Path dir;

  private static final int ROWS = 50_000;

  private static long wide(int i) {
    return (long) i * 1_000_003L - 7;
  }

  private static int narrow(int i) {
    return (i * 7) % 300 - 150; // few distinct values: dictionary, until the dictionary grows too big
  }

  private static String flag(int i) {
    return i % 3 == 0 ? "A" : i % 3 == 1 ? "N" : "";
  }

  private static String text(int i) {
    return "row " + i + (i % 5 == 0 ? " ünïcode" : ""); // all distinct: dictionary overflows to PLAIN
  }

  @ParameterizedTest
  @EnumSource(ParquetProperties.WriterVersion.class)
  void valuesComeBackExactly(ParquetProperties.WriterVersion version) throws Exception {
    MessageType schema = Types.buildMessage()
        .required(PrimitiveTypeName.INT64).named("wide")
        .required(PrimitiveTypeName.INT32).named("narrow")
        .required(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named("day")
        .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("flag")
        .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("text")
        .named("fixed");
    Path file = dir.resolve("fixed-" + version + ".parquet");
    SimpleGroupFactory f = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file))
        .withConf(new PlainParquetConfiguration()).withType(schema).withWriterVersion(version)
        .withPageSize(4096).withDictionaryPageSize(1024).withRowGroupSize(256 * 1024L).build()) {
      for (int i = 0; i < ROWS; i++) {
        w.write(f.newGroup().append("wide", wide(i)).append("narrow", narrow(i)).append("day", 18_000 + i % 1000)
            .append("flag", flag(i)).append("text", text(i)));
      }
    }
    ParquetTable t = new ParquetTable(file);
    List<long[]> seen = new ArrayList<>();
    java.util.Map<Long, String> strings = new java.util.HashMap<>();
    try (RootAllocator allocator = new RootAllocator()) {
      for (ScanTask task : t.planScan(new ScanRequest(new int[] {0, 1, 2, 3, 4}, List.of(), OptionalLong.empty()))) {
        task.run(allocator, b -> {
          try (Batch batch = b) {
            for (int r = 0; r < batch.rowCount(); r++) {
              long key = ((BigIntVector) batch.column(0)).get(r);
              seen.add(new long[] {key, ((BigIntVector) batch.column(1)).get(r),
                  ((BigIntVector) batch.column(2)).get(r)});
              strings.put(key, new String(((org.apache.arrow.vector.VarCharVector) batch.column(3)).get(r),
                  java.nio.charset.StandardCharsets.UTF_8) + "|" + new String(
                  ((org.apache.arrow.vector.VarCharVector) batch.column(4)).get(r), java.nio.charset.StandardCharsets.UTF_8));
            }
          }
        }, () -> false);
      }
      assertEquals(0, allocator.getAllocatedMemory());
    }
    assertEquals(ROWS, seen.size());
    seen.sort((a, b) -> Long.compare(a[0], b[0])); // row groups may be scanned in any order
    for (int i = 0; i < ROWS; i++) {
      long[] row = seen.get(i);
      assertEquals(wide(i), row[0], "wide at " + i);
      assertEquals(narrow(i), row[1], "narrow at " + i);
      assertEquals(18_000 + i % 1000, row[2], "day at " + i);
      assertEquals(flag(i) + "|" + text(i), strings.get(row[0]), "strings at " + i);
    }
  }
}
