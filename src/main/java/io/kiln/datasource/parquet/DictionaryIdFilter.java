package io.kiln.datasource.parquet;

import io.kiln.catalog.ColumnPredicate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Equality and IN predicates on a string column, evaluated once per dictionary entry instead of
 * once per row: a row of a dictionary-encoded page matches when its id's entry does. Exact for the
 * rows it keeps (a NULL never equals anything), so the scan may drop the other rows early.
 */
final class DictionaryIdFilter {
  private DictionaryIdFilter() {}

  /** The EQ/IN predicates on column {@code column} whose values are all strings. */
  static List<ColumnPredicate> predicatesOn(int column, List<ColumnPredicate> filters) {
    List<ColumnPredicate> out = new ArrayList<>();
    for (ColumnPredicate p : filters) {
      if (p.column() == column && (p.op() == ColumnPredicate.Op.EQ || p.op() == ColumnPredicate.Op.IN)
          && p.values().stream().allMatch(v -> v instanceof String)) {
        out.add(p);
      }
    }
    return out;
  }

  /** Per dictionary entry: whether it satisfies every predicate (all of them are ANDed). */
  static boolean[] matchingEntries(ColumnDictionary dictionary, List<ColumnPredicate> predicates) {
    boolean[] matches = new boolean[dictionary.size];
    Arrays.fill(matches, true);
    for (ColumnPredicate p : predicates) {
      List<byte[]> wanted = new ArrayList<>();
      for (Object v : p.values()) {
        wanted.add(((String) v).getBytes(StandardCharsets.UTF_8));
      }
      for (int e = 0; e < dictionary.size; e++) {
        matches[e] &= equalsAny(dictionary, e, wanted);
      }
    }
    return matches;
  }

  private static boolean equalsAny(ColumnDictionary d, int entry, List<byte[]> wanted) {
    for (byte[] w : wanted) {
      if (Arrays.equals(d.bytes, d.offsets[entry], d.offsets[entry + 1], w, 0, w.length)) {
        return true;
      }
    }
    return false;
  }
}
