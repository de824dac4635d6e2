package io.kiln.datasource.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.Result;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.ResultAssert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files from other writers read exactly as DuckDB reads them: every codec real writers use, Parquet
 * format v1 and v2 (data page v2, DELTA_* and BYTE_STREAM_SPLIT encodings), dictionaries on and
 * off (and overflowing part way through a chunk), NULLs everywhere, multi-file tables.
 */
class ParquetWritersTest {
  private static final int ROWS = 6000;
  private static final List<String> DUCKDB_CODECS = List.of("uncompressed", "snappy", "zstd", "gzip", "lz4_raw");
  private static final List<CompressionCodecName> HADOOP_CODECS = List.of(CompressionCodecName.UNCOMPRESSED,
      CompressionCodecName.SNAPPY, CompressionCodecName.ZSTD, CompressionCodecName.GZIP, CompressionCodecName.LZ4_RAW);

  @TempDir static Path dir;
  private static Kiln kiln;
  private static DuckDbOracle duck;

  @BeforeAll
  static void open() {
    kiln = Kiln.builder().threads(2).build();
    duck = new DuckDbOracle(2);
  }

  @AfterAll
  static void close() {
    try {
      duck.close();
    } finally {
      kiln.close(); // fails if any scan leaked Arrow memory
    }
  }

  private static void assertReadsLikeDuckDb(String table, Path path, String duckSource) {
    kiln.registerParquet(table, path);
    String sql = "SELECT * FROM " + table;
    Result r = kiln.execute(sql);
    List<Object[]> expected = duck.query("SELECT * FROM read_parquet('" + duckSource + "')");
    assertEquals(expected.size(), r.rowCount(), path.toString());
    ResultAssert.assertSameRows(sql + " over " + path, r, expected, false);
  }

  @Test
  void duckDbFilesInEveryCodecAndFormatVersion() throws Exception {
    Set<Encoding> encodings = EnumSet.noneOf(Encoding.class);
    Set<CompressionCodecName> codecs = EnumSet.noneOf(CompressionCodecName.class);
    int n = 0;
    for (String version : List.of("v1", "v2")) {
      for (String codec : DUCKDB_CODECS) {
        Path file = dir.resolve("duck-" + version + "-" + codec + ".parquet");
        ParquetTestFiles.duckDb(duck, file, ROWS, codec, version, 2048);
        ParquetTestFiles.collect(file, encodings, codecs);
        assertReadsLikeDuckDb("duck" + n++, file, file.toString());
      }
    }
    assertEquals(EnumSet.copyOf(HADOOP_CODECS), codecs, "codecs DuckDB wrote");
    assertTrue(encodings.containsAll(EnumSet.of(Encoding.PLAIN, Encoding.RLE_DICTIONARY,
        Encoding.DELTA_BINARY_PACKED, Encoding.DELTA_LENGTH_BYTE_ARRAY, Encoding.BYTE_STREAM_SPLIT)),
        "encodings DuckDB wrote: " + encodings);
  }

  @Test
  void parquetHadoopFilesInEveryWriterVersionEncodingAndCodec() throws Exception {
    Set<Encoding> encodings = EnumSet.noneOf(Encoding.class);
    Set<CompressionCodecName> codecs = EnumSet.noneOf(CompressionCodecName.class);
    List<ParquetTestFiles.HadoopOptions> variants = new ArrayList<>();
    for (WriterVersion v : WriterVersion.values()) {
      for (boolean dictionary : new boolean[] {true, false}) {
        variants.add(new ParquetTestFiles.HadoopOptions(v, dictionary, !dictionary, CompressionCodecName.SNAPPY));
      }
    }
    for (CompressionCodecName codec : HADOOP_CODECS) {
      variants.add(new ParquetTestFiles.HadoopOptions(WriterVersion.PARQUET_2_0, true, false, codec));
    }
    int n = 0;
    for (ParquetTestFiles.HadoopOptions o : variants) {
      Path file = dir.resolve(o.fileName());
      if (!Files.exists(file)) {
        ParquetTestFiles.hadoop(file, ROWS, o);
      }
      ParquetTestFiles.collect(file, encodings, codecs);
      assertReadsLikeDuckDb("hadoop" + n++, file, file.toString());
    }
    assertEquals(EnumSet.copyOf(HADOOP_CODECS), codecs, "codecs parquet-hadoop wrote");
    assertTrue(encodings.containsAll(EnumSet.of(Encoding.PLAIN, Encoding.PLAIN_DICTIONARY, Encoding.RLE_DICTIONARY,
        Encoding.DELTA_BINARY_PACKED, Encoding.DELTA_BYTE_ARRAY, Encoding.BYTE_STREAM_SPLIT, Encoding.RLE)),
        "encodings parquet-hadoop wrote: " + encodings);
  }

  @Test
  void directoryOfFilesFromDifferentWritersIsOneTable() throws Exception {
    Path d = Files.createDirectory(dir.resolve("multi"));
    ParquetTestFiles.duckDb(duck, d.resolve("a.parquet"), 3000, "zstd", "v2", 1000);
    ParquetTestFiles.duckDb(duck, d.resolve("b.parquet"), 2500, "snappy", "v1", 700);
    ParquetTestFiles.duckDb(duck, d.resolve("c-empty.parquet"), 0, "gzip", "v1", 700);
    assertReadsLikeDuckDb("multi", d, d.resolve("*.parquet").toString());
  }

  @Test
  void corruptPageNamesFileAndColumn() throws Exception {
    Path file = dir.resolve("to-damage.parquet");
    ParquetTestFiles.hadoop(file, 3000, new ParquetTestFiles.HadoopOptions(WriterVersion.PARQUET_1_0, false, false,
        CompressionCodecName.UNCOMPRESSED));
    byte[] bytes = Files.readAllBytes(file);
    // PLAIN strings are a 4-byte length then the bytes: make one length run far past its page.
    byte[] needle = "text 1234".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int at = indexOf(bytes, needle);
    assertTrue(at > 4, "value not found in the uncompressed file");
    bytes[at - 1] = 0x7F;
    Path damaged = dir.resolve("damaged.parquet");
    Files.write(damaged, bytes);
    kiln.registerParquet("damaged", damaged);
    io.kiln.error.KilnException e = org.junit.jupiter.api.Assertions.assertThrows(io.kiln.error.KilnException.class,
        () -> kiln.execute("SELECT count(highcard) FROM damaged"));
    assertEquals(io.kiln.error.KilnException.Kind.IO, e.kind());
    assertTrue(e.getMessage().contains(damaged.toString()) && e.getMessage().contains("column highcard"),
        e.getMessage());
    // Other columns of the same file still read.
    assertEquals(3000L, ((Number) kiln.execute("SELECT count(id) FROM damaged").get(0, 0)).longValue());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
