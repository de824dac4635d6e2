package io.kiln.datasource.parquet;

import io.kiln.types.DataType;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

/**
 * Upper bounds on distinct values from footer statistics alone: an integer or date column whose
 * values lie in [min, max] has at most max - min + 1 of them. That separates keys (c_custkey spans
 * all rows) from low-cardinality references (c_nationkey spans 25), which join ordering needs.
 */
final class DistinctEstimates {
  private DistinctEstimates() {}

  static Map<String, Long> of(List<ParquetMetadata> footers, List<ParquetColumn> columns, long rows) {
    Map<String, Long> out = new HashMap<>();
    for (ParquetColumn c : columns) {
      DataType t = c.type;
      if (!(t.isInteger() || t.id() == DataType.Id.DATE)) {
        continue;
      }
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      boolean known = true;
      for (ParquetMetadata f : footers) {
        for (BlockMetaData b : f.getBlocks()) {
          ColumnChunkMetaData chunk = RowGroupPruner.find(b, c);
          Statistics<?> s = chunk == null ? null : chunk.getStatistics();
          if (s == null || s.isEmpty() || !s.hasNonNullValue()
              || !(s.genericGetMin() instanceof Number) || !(s.genericGetMax() instanceof Number)) {
            // Without min/max the bound is unknown, unless the row group holds no values at all.
            boolean noValues = b.getRowCount() == 0 || (s != null && !s.isEmpty() && s.getNumNulls() == b.getRowCount());
            known &= noValues;
            continue;
          }
          min = Math.min(min, ((Number) s.genericGetMin()).longValue());
          max = Math.max(max, ((Number) s.genericGetMax()).longValue());
        }
      }
      if (known && min <= max) {
        long span = max - min + 1;
        out.put(c.name.toLowerCase(Locale.ROOT), Math.max(1, span > 0 ? Math.min(span, rows) : rows));
      }
    }
    return out;
  }
}
