package io.kiln.datasource.parquet;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.internal.hadoop.metadata.IndexReference;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A reader of one row group whose column and offset index reads go through caches shared with the
 * other slices of that row group: each slice opens its own reader (streams are not thread-safe),
 * and without the caches each would fetch the same indexes again (a request apiece on S3).
 */
final class IndexCachingFileReader extends ParquetFileReader {
  /** The indexes of one row group, read once for all its slices; guarded by its own lock. */
  static final class Indexes {
    private final Map<ColumnPath, ColumnIndex> columnIndexes = new HashMap<>();
    private final Map<ColumnPath, OffsetIndex> offsetIndexes = new HashMap<>();
  }

  private final Indexes indexes;
  /** The file's indexes in one piece, or null: each index is then read where it lies. */
  private final PageIndexRegion region;

  IndexCachingFileReader(InputFile file, ParquetMetadata footer, SeekableInputStream stream, Indexes indexes,
      PageIndexRegion region) throws IOException {
    super(file, footer, ParquetTable.readOptions(), stream);
    this.indexes = indexes;
    this.region = region;
  }

  @Override
  public ColumnIndex readColumnIndex(ColumnChunkMetaData column) throws IOException {
    IndexReference ref = column.getColumnIndexReference();
    return cached(indexes.columnIndexes, column, ref,
        () -> ParquetMetadataConverter.fromParquetColumnIndex(column.getPrimitiveType(),
            Util.readColumnIndex(region.index(ref, f))),
        () -> super.readColumnIndex(column));
  }

  @Override
  public OffsetIndex readOffsetIndex(ColumnChunkMetaData column) throws IOException {
    IndexReference ref = column.getOffsetIndexReference();
    return cached(indexes.offsetIndexes, column, ref,
        () -> ParquetMetadataConverter.fromParquetOffsetIndex(Util.readOffsetIndex(region.index(ref, f))),
        () -> super.readOffsetIndex(column));
  }

  /** Reads one index. */
  @FunctionalInterface
  private interface IndexRead<T> {
    T read() throws IOException;
  }

  /**
   * The column's index from {@code cache}, else read from the region where it lies there, else by
   * parquet-hadoop (which also decrypts encrypted columns' indexes). Locked per row group, so
   * slices starting together read an index once, not once each.
   */
  private <T> T cached(Map<ColumnPath, T> cache, ColumnChunkMetaData column, IndexReference ref,
      IndexRead<T> fromRegion, IndexRead<T> fromFile) throws IOException {
    synchronized (indexes) {
      T known = cache.get(column.getPath());
      if (known == null) {
        known = region != null && !column.isEncrypted() && region.covers(ref) ? fromRegion.read() : fromFile.read();
        if (known != null) {
          cache.put(column.getPath(), known);
        }
      }
      return known;
    }
  }
}
