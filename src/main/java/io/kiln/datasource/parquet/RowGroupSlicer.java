package io.kiln.datasource.parquet;

import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;

/**
 * Cuts a large row group into slices of contiguous rows, each its own morsel, so that a file of
 * one or two big row groups (Spark and parquet-mr write 128 MB ones, millions of rows) is scanned
 * by every worker and not by one.
 *
 * <p>Other engines do not cut row groups: Trino, Spark and DataFusion split files by byte ranges
 * and give a row group whole to the split holding its start or midpoint; DuckDB hands out whole row
 * groups (its own are 122,880 rows). Kiln's morsels may be part of one, which needs the offset
 * index: with it a slice fetches and decompresses only its pages, plus at most one page per column
 * at each edge that its neighbour reads too.
 *
 * <p>{@link #SLICE_ROWS} is 16 batches of {@link RowGroupScanTask#BATCH_ROWS}: parquet-mr ends a
 * page after at most 20,000 rows, so re-reading an edge page costs a few percent of a slice; the
 * per-morsel work (opening a reader, decoding each dictionary) is spread over 16 batches; and a
 * 128 MB row group of TPC-H lineitem (about 4 million rows) still gives 7 morsels.
 *
 * <p>On a remote store a slice must also fetch enough bytes to pay for its requests' latency (see
 * {@link io.kiln.datasource.objectstore.ObjectStore#minMorselBytes}): S3 fetches a whole row
 * group's chunk in parallel parts, while a narrow slice is one request that a worker waits for.
 */
final class RowGroupSlicer {
  static final long SLICE_ROWS = 16L * RowGroupScanTask.BATCH_ROWS;
  static final RowGroupSlicer DEFAULT = new RowGroupSlicer(SLICE_ROWS);

  /** Rows per slice, at least; tests use small ones to get many slices out of small files. */
  private final long sliceRows;
  /** Workers a scan needs for its row groups to be sliced; tests of read-ahead slice for one, to be deterministic. */
  private final int minWorkers;

  RowGroupSlicer(long sliceRows) {
    this(sliceRows, 2);
  }

  RowGroupSlicer(long sliceRows, int minWorkers) {
    if (sliceRows < 1) {
      throw new IllegalArgumentException("slices need at least one row, not " + sliceRows);
    }
    this.sliceRows = sliceRows;
    this.minWorkers = minWorkers;
  }

  /**
   * The slices of a row group for a scan of the {@code projected} columns, each of at least
   * {@link #SLICE_ROWS} rows (unless a test says otherwise) and of {@code minBytes} of those
   * columns' chunks (by rows). The whole group when that makes fewer than two, when nothing is
   * decoded, or when a projected column chunk has no offset index (DuckDB writes none): without
   * the index every slice would fetch and decompress the whole chunk and decode past the rows
   * before it, slower than one morsel. Also the whole group for a single worker, which gains
   * nothing from slices and would pay for their edge pages (measured 5-10% slower on one thread,
   * and on S3 a third slower for the extra requests).
   */
  List<RowSlice> slices(BlockMetaData block, List<ParquetColumn> projected, long minBytes, int workers) {
    long rows = block.getRowCount();
    RowSlice whole = new RowSlice(0, rows);
    if (workers < minWorkers || rows / 2 < sliceRows || projected.isEmpty()) {
      return List.of(whole);
    }
    long bytes = 0;
    for (ParquetColumn c : projected) {
      ColumnChunkMetaData chunk = RowGroupPruner.find(block, c);
      if (chunk == null || chunk.getOffsetIndexReference() == null) {
        return List.of(whole);
      }
      bytes += chunk.getTotalSize();
    }
    long count = rows / sliceRows;
    if (minBytes > 0) {
      count = Math.min(count, bytes / minBytes);
    }
    if (count < 2) {
      return List.of(whole);
    }
    // Equal slices, each a whole number of batches (but the last) when that is no smaller.
    long length = (rows + count - 1) / count;
    int batch = RowGroupScanTask.BATCH_ROWS;
    if (sliceRows >= batch) {
      length = (length + batch - 1) / batch * batch;
    }
    List<RowSlice> out = new ArrayList<>();
    for (long start = 0; start < rows; start += length) {
      out.add(new RowSlice(start, Math.min(rows, start + length)));
    }
    return out;
  }
}
