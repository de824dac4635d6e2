package io.kiln.datasource.parquet;

import io.kiln.error.KilnException;
import io.kiln.catalog.ColumnPredicate;
import io.kiln.datasource.objectstore.StoredFile;
import java.io.IOException;
import java.util.List;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.internal.filter2.columnindex.RowRanges;
import org.apache.parquet.io.InputFile;

/**
 * One row group of one scan, as its morsels (the whole group, or its slices) share it: whether
 * its dictionaries or page indexes rule it out and which rows the page indexes leave are decided
 * once, by the first morsel to start (the others wait for that), so the row group is counted once
 * in the metrics, read or skipped; and the indexes read for it are kept for the other morsels.
 */
final class SharedRowGroup {
  /** Skip the row group, or read these of its rows (null: all of them). */
  record Verdict(boolean skip, RowRanges rows) {
    static final Verdict SKIP = new Verdict(true, null);
  }

  final StoredFile file;
  final InputFile input;
  final ParquetMetadata footer;
  final int rowGroup;
  /** The file's columns (predicates refer to them by index). */
  final List<ParquetColumn> columns;
  final List<ColumnPredicate> filters;
  final ScanMetrics metrics;
  final IndexCachingFileReader.Indexes indexes = new IndexCachingFileReader.Indexes();
  /** The file's column and offset indexes in one piece, shared by the scan's row groups of the file; or null. */
  final PageIndexRegion indexRegion;
  private Verdict verdict;

  SharedRowGroup(StoredFile file, InputFile input, ParquetMetadata footer, int rowGroup, List<ParquetColumn> columns,
      List<ColumnPredicate> filters, ScanMetrics metrics, PageIndexRegion indexRegion) {
    this.indexRegion = indexRegion;
    this.file = file;
    this.input = input;
    this.footer = footer;
    this.rowGroup = rowGroup;
    this.columns = columns;
    this.filters = filters;
    this.metrics = metrics;
  }

  BlockMetaData block() {
    return footer.getBlocks().get(rowGroup);
  }

  /**
   * The verdict, decided with {@code reader} (set to read the {@code projected} columns) if no
   * morsel did yet. For a {@code sliced} row group the offset indexes of the projected columns are
   * read now too, once and in one stream, rather than by whichever slices start together.
   */
  synchronized Verdict verdict(ParquetFileReader reader, List<ParquetColumn> projected, boolean sliced) {
    if (verdict == null) {
      Verdict v = decide(reader, projected);
      if (sliced && !v.skip()) {
        readOffsetIndexes(reader, projected);
      }
      verdict = v;
    }
    return verdict;
  }

  private void readOffsetIndexes(ParquetFileReader reader, List<ParquetColumn> projected) {
    for (ParquetColumn c : projected) {
      ColumnChunkMetaData chunk = RowGroupPruner.find(block(), c);
      try {
        if (chunk != null && reader.readOffsetIndex(chunk) == null) {
          throw new IOException("the footer points at an offset index that is not there");
        }
      } catch (IOException | RuntimeException e) {
        throw KilnException.io("cannot read the offset index of parquet file " + file + " (row group " + rowGroup
            + ", column " + c.name + "; truncated or corrupt file?): " + e, e);
      }
    }
  }

  private Verdict decide(ParquetFileReader reader, List<ParquetColumn> projected) {
    String where = "parquet file " + file + " (row group " + rowGroup;
    if (!filters.isEmpty()
        && DictionaryPruner.provesNoMatch(block(), columns, filters, reader.getDictionaryReader(rowGroup), where)) {
      metrics.rowGroupSkippedByDictionary();
      return Verdict.SKIP;
    }
    PageIndexPruner.Selection selected = filters.isEmpty() ? null
        : new PageIndexPruner(reader, block(), where + ")").select(columns, filters, projected);
    if (selected == null) {
      metrics.rowGroupRead();
      return new Verdict(false, null);
    }
    if (selected.rows().rowCount() == 0) {
      metrics.rowGroupSkippedByColumnIndex();
      return Verdict.SKIP;
    }
    metrics.rowGroupRead();
    metrics.pagesSkipped(selected.pagesSkipped());
    return new Verdict(false, selected.rows());
  }
}
