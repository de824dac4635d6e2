package io.kiln.datasource.parquet;

import io.kiln.catalog.ColumnPredicate;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;

/**
 * Drops the rows of a batch whose string columns fail EQ/IN predicates, decided on dictionary ids
 * (see {@link DictionaryIdFilter}) while the columns are decoded. Only chunks whose every data
 * page is dictionary-encoded take part, so each kept row is exactly one the predicates accept.
 */
final class DictionaryRowFilter {
  private final List<PageColumnReader> readers;
  private int[] kept = new int[0];

  private DictionaryRowFilter(List<PageColumnReader> readers) {
    this.readers = readers;
  }

  /** A filter over the readers of {@code distinct} columns that qualify, or null if none does. */
  static DictionaryRowFilter create(BlockMetaData block, List<ParquetColumn> columns, List<ColumnPredicate> filters,
      List<ParquetColumn> distinct, ColumnValues[] decoders) {
    List<PageColumnReader> readers = new ArrayList<>();
    for (int d = 0; d < decoders.length; d++) {
      if (!(decoders[d] instanceof PageColumnReader)) {
        continue;
      }
      PageColumnReader reader = (PageColumnReader) decoders[d];
      ColumnDictionary dictionary = reader.dictionary();
      ColumnChunkMetaData chunk = RowGroupPruner.find(block, distinct.get(d));
      if (dictionary == null || dictionary.bytes == null || chunk == null
          || !DictionaryPruner.onlyDictionaryPages(chunk)) {
        continue;
      }
      List<ColumnPredicate> predicates = DictionaryIdFilter.predicatesOn(columns.indexOf(distinct.get(d)), filters);
      if (!predicates.isEmpty()) {
        reader.matchDictionaryEntries(DictionaryIdFilter.matchingEntries(dictionary, predicates));
        readers.add(reader);
      }
    }
    return readers.isEmpty() ? null : new DictionaryRowFilter(readers);
  }

  /** Whether {@code decoder} is one whose dictionary ids this filter decides on. */
  boolean reads(ColumnValues decoder) {
    return readers.contains(decoder);
  }

  /** After the batch's {@code n} rows were read: how many match; {@link #rows} lists them. */
  int select(int n) {
    if (kept.length < n) {
      kept = new int[n];
    }
    boolean[] first = readers.get(0).rowMatches();
    int m = 0;
    for (int i = 0; i < n; i++) {
      kept[m] = i;
      m += first[i] ? 1 : 0;
    }
    for (int r = 1; r < readers.size(); r++) {
      boolean[] more = readers.get(r).rowMatches();
      int k = 0;
      for (int i = 0; i < m; i++) {
        kept[k] = kept[i];
        k += more[kept[i]] ? 1 : 0;
      }
      m = k;
    }
    return m;
  }

  int[] rows() {
    return kept;
  }
}
