package io.kiln.datasource.parquet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.datasource.objectstore.LocalFileStore;
import java.nio.file.Path;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * "bytes read" is what the pages take in the file (compressed), not what they decompress to: a full
 * scan reads the column chunks less their page headers, for data page v1 (levels compressed with
 * the values) and v2 (levels stored apart, uncompressed).
 */
class BytesReadTest {
  private static final int ROWS = 6000;
  /** More than a page header of these files takes (no statistics bigger than the strings in them). */
  private static final int HEADER_BYTES = 200;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(WriterVersion.class)
  void fullScanReadsTheChunksLessTheirHeaders(WriterVersion version) throws Exception {
    Path file = dir.resolve("f.parquet");
    ParquetTestFiles.hadoop(file, ROWS, new ParquetTestFiles.HadoopOptions(version, true, false,
        CompressionCodecName.SNAPPY));
    long stored = 0;
    long decompressed = 0;
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file), ParquetTable.readOptions())) {
      for (BlockMetaData b : r.getFooter().getBlocks()) {
        for (ColumnChunkMetaData c : b.getColumns()) {
          stored += c.getTotalSize();
          decompressed += c.getTotalUncompressedSize();
        }
      }
    }
    try (Kiln kiln = Kiln.builder().threads(1).build()) {
      ParquetTable t = new ParquetTable(file.toString(), LocalFileStore.INSTANCE, LateMaterializationTest.NO_SLICES);
      kiln.registerTable("t", t);
      kiln.execute("SELECT * FROM t");
      ScanMetrics m = t.lastScanMetrics();
      String what = m + ", chunks " + stored + " bytes stored, " + decompressed + " decompressed";
      assertTrue(decompressed > stored * 1.2, "the data compresses: " + what);
      assertTrue(m.bytesRead() <= stored, what);
      assertTrue(m.bytesRead() >= stored - m.pagesRead() * HEADER_BYTES, what);
    }
  }
}
