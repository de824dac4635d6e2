package io.kiln.datasource.parquet;

import io.kiln.testing.DuckDbOracle;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Writes Parquet test files the way other writers do: DuckDB's COPY (format v1 and v2, each codec)
 * and parquet-hadoop's example writer (writer v1/v2, dictionary on/off, BYTE_STREAM_SPLIT, each
 * codec), with NULLs in every nullable column and several row groups and pages per file.
 */
final class ParquetTestFiles {
  private ParquetTestFiles() {}

  /** A DuckDB query covering Kiln's types, NULL-heavy, with low- and high-cardinality columns. */
  static final String DUCKDB_ROWS = "SELECT i AS id,"
      + " CASE WHEN i % 7 = 3 THEN NULL ELSE (i % 100)::SMALLINT END AS small,"
      + " CASE WHEN i % 7 = 5 THEN NULL ELSE (i * 100003 - 5)::INTEGER END AS int32,"
      + " CASE WHEN i % 7 = 6 THEN NULL ELSE i * 1000000007 - 42 END AS int64,"
      + " CASE WHEN i % 5 = 4 THEN NULL ELSE i % 3 = 0 END AS flag,"
      + " CASE WHEN i % 6 = 1 THEN NULL ELSE (i / 8.0)::REAL END AS real,"
      + " CASE WHEN i % 6 = 2 THEN NULL ELSE i / 3.0 END AS dbl,"
      + " CASE WHEN i % 6 = 3 THEN NULL ELSE (i * 1.25 - 100)::DECIMAL(9,2) END AS dec9,"
      + " CASE WHEN i % 6 = 4 THEN NULL ELSE (i * 12345.678 - 999)::DECIMAL(18,3) END AS dec18,"
      + " CASE WHEN i % 6 = 5 THEN NULL ELSE (i * 1000000.07 - 3)::DECIMAL(30,2) END AS dec30,"
      + " CASE WHEN i % 4 = 1 THEN NULL ELSE DATE '1969-12-25' + (i % 400)::INTEGER END AS day,"
      + " CASE WHEN i % 4 = 2 THEN NULL ELSE TIMESTAMP '1965-03-04 05:06:07.123456' + i * INTERVAL 37 MINUTE END AS ts,"
      + " CASE WHEN i % 9 = 1 THEN NULL WHEN i % 9 = 2 THEN '' ELSE 'v' || (i % 50) || '-é✓' END AS lowcard,"
      + " CASE WHEN i % 11 = 1 THEN NULL ELSE 'text ' || i || repeat('x', (i % 13)::INTEGER) END AS highcard,"
      + " CASE WHEN i < 1000 THEN NULL ELSE i END AS leadingnulls"
      + " FROM range(0, ROWS) t(i)";

  /** COPY DUCKDB_ROWS with {@code rows} rows to {@code file}. */
  static void duckDb(DuckDbOracle duck, Path file, int rows, String codec, String version, int rowGroupSize) {
    duck.execute("COPY (" + DUCKDB_ROWS.replace("ROWS", Integer.toString(rows)) + ") TO '" + file
        + "' (FORMAT parquet, COMPRESSION " + codec + ", PARQUET_VERSION " + version + ", ROW_GROUP_SIZE "
        + rowGroupSize + ")");
  }

  static final MessageType HADOOP_SCHEMA = Types.buildMessage()
      .required(PrimitiveTypeName.INT64).named("id")
      .optional(PrimitiveTypeName.INT32).named("int32")
      .optional(PrimitiveTypeName.INT64).named("int64")
      .optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.intType(32, false)).named("uint32")
      .optional(PrimitiveTypeName.FLOAT).named("real")
      .optional(PrimitiveTypeName.DOUBLE).named("dbl")
      .optional(PrimitiveTypeName.BOOLEAN).named("flag")
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("lowcard")
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("highcard")
      .optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY).length(9).as(LogicalTypeAnnotation.decimalType(2, 20))
      .named("flba")
      .optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.decimalType(2, 9)).named("dec9")
      .optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named("day")
      .optional(PrimitiveTypeName.INT64)
      .as(LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.MILLIS)).named("tsms")
      .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("reqtext")
      .required(PrimitiveTypeName.DOUBLE).named("reqdbl")
      .named("hadoop");

  /** How parquet-hadoop writes one file. */
  record HadoopOptions(WriterVersion version, boolean dictionary, boolean byteStreamSplit,
      CompressionCodecName codec) {
    String fileName() {
      return "hadoop-" + version + (dictionary ? "-dict" : "-nodict") + (byteStreamSplit ? "-bss" : "") + "-"
          + codec + ".parquet";
    }
  }

  static void hadoop(Path file, int rows, HadoopOptions o) throws IOException {
    SimpleGroupFactory f = new SimpleGroupFactory(HADOOP_SCHEMA);
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file))
        .withConf(new PlainParquetConfiguration()).withType(HADOOP_SCHEMA).withWriterVersion(o.version())
        .withDictionaryEncoding(o.dictionary()).withByteStreamSplitEncoding(o.byteStreamSplit())
        .withCompressionCodec(o.codec()).withPageSize(2048).withDictionaryPageSize(1024)
        .withRowGroupSize(64 * 1024L).build()) {
      for (int i = 0; i < rows; i++) {
        Group g = f.newGroup().append("id", (long) i);
        if (i % 7 != 1) {
          g.append("int32", i * 7919 - 30_000);
        }
        if (i % 7 != 2) {
          g.append("int64", (long) i * 1_000_000_007L - (i % 3) * 5L);
        }
        if (i % 5 != 3) {
          g.append("uint32", (int) (4_000_000_000L - i)); // above Integer.MAX_VALUE as unsigned
        }
        if (i % 6 != 4) {
          g.append("real", i / 8.0f);
        }
        if (i % 6 != 5) {
          g.append("dbl", i / 3.0);
        }
        if (i % 4 != 0) {
          g.append("flag", i % 3 == 0);
        }
        if (i % 9 != 1) {
          g.append("lowcard", "v" + (i % 40));
        }
        if (i % 11 != 1) {
          g.append("highcard", "text " + i + "x".repeat(i % 13));
        }
        if (i % 5 != 0) {
          g.append("flba", decimalBytes(BigInteger.valueOf(i).multiply(BigInteger.valueOf(-123_456_789L)), 9));
        }
        if (i % 3 != 0) {
          g.append("dec9", i * 25 - 1000);
        }
        if (i % 8 != 0) {
          g.append("day", 17_000 + i % 500);
        }
        if (i % 8 != 1) {
          g.append("tsms", 1_600_000_000_000L + i * 1_234L);
        }
        g.append("reqtext", (i % 4 == 0) ? "same" : "r" + i);
        g.append("reqdbl", i * 0.5);
        w.write(g);
      }
    }
  }

  /** Big-endian two's complement in exactly {@code width} bytes. */
  static Binary decimalBytes(BigInteger v, int width) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[width];
    byte pad = (byte) (v.signum() < 0 ? -1 : 0);
    java.util.Arrays.fill(out, pad);
    System.arraycopy(raw, 0, out, width - raw.length, raw.length);
    return Binary.fromConstantByteArray(out);
  }

  /** The value encodings and codecs a file's column chunks use. */
  static void collect(Path file, Set<Encoding> encodings, Set<CompressionCodecName> codecs) throws IOException {
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file), ParquetTable.readOptions())) {
      for (BlockMetaData b : r.getFooter().getBlocks()) {
        for (ColumnChunkMetaData c : b.getColumns()) {
          encodings.addAll(c.getEncodings());
          codecs.add(c.getCodec());
        }
      }
    }
  }

  static Set<Encoding> noEncodings() {
    return EnumSet.noneOf(Encoding.class);
  }
}
