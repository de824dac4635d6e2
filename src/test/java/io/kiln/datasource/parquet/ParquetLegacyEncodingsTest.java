package io.kiln.datasource.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.error.KilnException;
import io.kiln.catalog.ScanRequest;
import io.kiln.catalog.ScanTask;
import io.kiln.data.Batch;
import io.kiln.data.Vectors;
import io.kiln.types.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Encodings DuckDB does not write: INT96 timestamps, UINT64, un-annotated BINARY, BINARY decimals. */
class ParquetLegacyEncodingsTest {
  @TempDir Path dir;

  @Test
  void readsLegacyAndRareEncodings() throws Exception {
    MessageType schema = Types.buildMessage()
        .optional(PrimitiveTypeName.INT96).named("t96")
        .optional(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.intType(64, false)).named("u64")
        .optional(PrimitiveTypeName.BINARY).named("raw")
        .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.decimalType(3, 20)).named("bdec")
        .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.enumType()).named("e")
        .named("legacy");
    Path file = dir.resolve("legacy.parquet");
    SimpleGroupFactory f = new SimpleGroupFactory(schema);
    LocalDateTime when = LocalDateTime.of(2015, 6, 7, 8, 9, 10, 123456000);
    long julianDay = when.toLocalDate().toEpochDay() + 2_440_588L;
    long nanosOfDay = when.toLocalTime().toNanoOfDay();
    Binary int96 = Binary.fromConstantByteArray(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(nanosOfDay).putInt((int) julianDay).array());
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file))
        .withConf(new PlainParquetConfiguration()).withType(schema).build()) {
      w.write(f.newGroup().append("t96", int96).append("u64", 42L).append("raw", "bytes")
          .append("bdec", Binary.fromConstantByteArray(new java.math.BigInteger("-1234567").toByteArray()))
          .append("e", "RED"));
      w.write(f.newGroup()); // all NULL
      w.write(f.newGroup().append("u64", -1L)); // 2^64 - 1: does not fit
    }
    ParquetTable t = new ParquetTable(file);
    assertEquals(new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.MICROSECOND, null),
        t.schema().findField("t96").getType());
    assertEquals(new ArrowType.Decimal(20, 3, 128), t.schema().findField("bdec").getType());
    assertEquals(ArrowType.Utf8.INSTANCE, t.schema().findField("raw").getType());

    List<DataType> types = List.of(DataType.TIMESTAMP, DataType.VARCHAR, DataType.decimal(20, 3), DataType.VARCHAR);
    List<String> rows = new ArrayList<>();
    try (RootAllocator allocator = new RootAllocator()) {
      for (ScanTask task : t.planScan(new ScanRequest(new int[] {0, 2, 3, 4}, List.of(), OptionalLong.empty()))) {
        task.run(allocator, b -> {
          try (Batch batch = b) {
            for (int r = 0; r < batch.rowCount(); r++) {
              List<Object> row = new ArrayList<>();
              for (int c = 0; c < 4; c++) {
                row.add(Vectors.get(batch.column(c), types.get(c), r));
              }
              rows.add(row.toString());
            }
          }
        }, () -> false);
      }
      assertEquals(List.of("[2015-06-07T08:09:10.123456, bytes, -1234.567, RED]", "[null, null, null, null]",
          "[null, null, null, null]"), rows);

      ScanTask u64 = t.planScan(new ScanRequest(new int[] {1}, List.of(), OptionalLong.empty())).get(0);
      KilnException e = assertThrows(KilnException.class, () -> u64.run(allocator, Batch::close, () -> false));
      assertTrue(e.getMessage().contains("column u64") && e.getMessage().contains("18446744073709551615"),
          e.getMessage());
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }
}
