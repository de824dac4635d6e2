package io.kiln.datasource.parquet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.internal.hadoop.metadata.IndexReference;
import org.apache.parquet.io.SeekableInputStream;

/**
 * The bytes of a file's column and offset indexes, which writers put together just before the
 * footer: read in one piece the first time a scan needs an index, then decoded from memory by the
 * reader of every row group. Read index by index, each index of a few KB cost S3 a 256 KiB window
 * of its own (TPC-H Q6 at SF 1: 153 requests and 40 MB for its three predicate columns' indexes).
 */
final class PageIndexRegion {
  /** Files whose indexes span more than this are read index by index, so memory stays bounded. */
  static final long MAX_BYTES = 64L << 20;

  private final long start;
  private final int length;
  private byte[] bytes;

  private PageIndexRegion(long start, int length) {
    this.start = start;
    this.length = length;
  }

  /** The region of a file's indexes, or null if it has none or they are too spread out to read whole. */
  static PageIndexRegion of(ParquetMetadata footer) {
    long start = Long.MAX_VALUE;
    long end = -1;
    for (BlockMetaData block : footer.getBlocks()) {
      for (ColumnChunkMetaData chunk : block.getColumns()) {
        for (IndexReference ref : new IndexReference[] {chunk.getColumnIndexReference(),
            chunk.getOffsetIndexReference()}) {
          if (ref != null) {
            start = Math.min(start, ref.getOffset());
            end = Math.max(end, ref.getOffset() + ref.getLength());
          }
        }
      }
    }
    return end < 0 || end - start > MAX_BYTES ? null : new PageIndexRegion(start, (int) (end - start));
  }

  boolean covers(IndexReference ref) {
    return ref != null && ref.getOffset() >= start && ref.getOffset() + ref.getLength() <= start + length;
  }

  /** The bytes of one index, reading the whole region through {@code stream} if no reader did yet. */
  synchronized InputStream index(IndexReference ref, SeekableInputStream stream) throws IOException {
    if (bytes == null) {
      byte[] read = new byte[length];
      stream.seek(start);
      stream.readFully(read);
      bytes = read;
    }
    return new ByteArrayInputStream(bytes, (int) (ref.getOffset() - start), ref.getLength());
  }
}
