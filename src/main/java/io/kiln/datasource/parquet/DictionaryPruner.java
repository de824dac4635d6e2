package io.kiln.datasource.parquet;

import io.kiln.catalog.ColumnPredicate;
import io.kiln.types.DataType;
import io.kiln.types.PhysicalKind;
import io.kiln.types.Timestamps;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.EncodingStats;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.DictionaryPageReadStore;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;

/**
 * Skips a row group when an equality, IN or LIKE predicate matches no value of the column
 * chunk's dictionary and every data page of the chunk is dictionary-encoded (so the dictionary
 * lists every value). Min/max statistics cannot do this for values inside the range, e.g. a
 * string in the middle of the alphabet. Answers "maybe" whenever it cannot be sure.
 */
final class DictionaryPruner {
  /** Encodings that may appear in a chunk whose data pages are all dictionary ids (plus levels). */
  private static final Set<Encoding> DICTIONARY_ONLY =
      EnumSet.of(Encoding.PLAIN_DICTIONARY, Encoding.RLE_DICTIONARY, Encoding.RLE, Encoding.BIT_PACKED);

  private DictionaryPruner() {}

  /** Whether some EQ/IN/LIKE predicate has no matching entry in its column's dictionary. */
  static boolean provesNoMatch(BlockMetaData block, List<ParquetColumn> columns, List<ColumnPredicate> filters,
      DictionaryPageReadStore dictionaries, String where) {
    for (ColumnPredicate p : filters) {
      boolean equality = p.op() == ColumnPredicate.Op.EQ || p.op() == ColumnPredicate.Op.IN;
      if ((!equality && !DictionaryIdFilter.decidesPerEntry(p)) || p.column() < 0 || p.column() >= columns.size()) {
        continue;
      }
      ParquetColumn c = columns.get(p.column());
      ColumnChunkMetaData chunk = RowGroupPruner.find(block, c);
      if (chunk == null || !onlyDictionaryPages(chunk)) {
        continue;
      }
      DictionaryPage page = dictionaries.readDictionaryPage(c.descriptor);
      if (page == null) {
        continue;
      }
      String at = where + ", column " + c.name + ")";
      ColumnDictionary dict = ColumnDictionary.decode(c, page, new StoredValues(c, at));
      if (dict.bytes != null) {
        // strings: decided entry by entry, as the scan's dictionary-id filter decides them
        if (DictionaryIdFilter.decidesPerEntry(p) && !DictionaryIdFilter.anyEntryMatches(dict, p)) {
          return true;
        }
        continue;
      }
      if (!equality) {
        continue;
      }
      if (!anyMightMatch(dict, c.type, p.values())) {
        return true;
      }
    }
    return false;
  }

  /** Whether every data page of the chunk is dictionary ids (so the dictionary lists every value). */
  static boolean onlyDictionaryPages(ColumnChunkMetaData chunk) {
    EncodingStats stats = chunk.getEncodingStats();
    if (stats != null) {
      return stats.hasDictionaryPages() && !stats.hasNonDictionaryEncodedPages();
    }
    // Without encoding stats, a PLAIN in the list may be a fallback data page: be conservative.
    return DICTIONARY_ONLY.containsAll(chunk.getEncodings());
  }

  /** Whether {@code value} may equal an entry of a numeric dictionary; true when it cannot be compared exactly. */
  /** Whether some entry of the dictionary may equal one of {@code values}. */
  private static boolean anyMightMatch(ColumnDictionary dict, DataType type, List<Object> values) {
    if (values.size() > 8 && type.kind() != PhysicalKind.DOUBLE) {
      // Long lists (a join's keys pushed down as a runtime filter): each entry looked up once.
      long[] wanted = new long[values.size()];
      for (int i = 0; i < wanted.length; i++) {
        Long w = values.get(i) == null ? null : internalLong(type, values.get(i));
        if (w == null) {
          return values.get(i) != null; // a value with no exact long: cannot rule it out
        }
        wanted[i] = w;
      }
      java.util.Arrays.sort(wanted);
      for (long d : dict.longs) {
        if (java.util.Arrays.binarySearch(wanted, d) >= 0) {
          return true;
        }
      }
      return false;
    }
    for (Object v : values) {
      if (v != null && mightContain(dict, type, v)) {
        return true;
      }
    }
    return false;
  }

  private static boolean mightContain(ColumnDictionary dict, DataType type, Object value) {
    if (type.kind() == PhysicalKind.DOUBLE) {
      if (!(value instanceof Number)) {
        return true;
      }
      double wanted = ((Number) value).doubleValue();
      if (Double.isNaN(wanted)) {
        return true;
      }
      for (double d : dict.doubles) {
        if (d == wanted) {
          return true;
        }
      }
      return false;
    }
    Long wanted = internalLong(type, value);
    if (wanted == null) {
      return true;
    }
    for (long d : dict.longs) {
      if (d == wanted) {
        return true;
      }
    }
    return false;
  }

  /** A predicate value in Kiln's internal long encoding of {@code type}, or null if not exact. */
  private static Long internalLong(DataType type, Object v) {
    switch (type.id()) {
      case DATE:
        return v instanceof LocalDate ? ((LocalDate) v).toEpochDay() : null;
      case TIMESTAMP:
        return v instanceof LocalDateTime ? Timestamps.toMicros((LocalDateTime) v) : null;
      default:
        break;
    }
    BigDecimal exact = io.kiln.catalog.ColumnPredicate.exactNumber(v);
    if (exact == null) {
      return null;
    }
    int scale = type.id() == DataType.Id.DECIMAL ? type.scale() : 0;
    try {
      return exact.setScale(scale).unscaledValue().longValueExact();
    } catch (ArithmeticException e) {
      return null; // more fractional digits than the column holds, or beyond 64 bits
    }
  }
}
