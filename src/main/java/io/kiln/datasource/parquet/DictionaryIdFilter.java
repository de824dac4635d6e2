package io.kiln.datasource.parquet;

import io.kiln.catalog.ColumnPredicate;
import io.kiln.data.LikePattern;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Equality, IN and LIKE predicates on a string column, evaluated once per dictionary entry instead
 * of once per row: a row of a dictionary-encoded page matches when its id's entry does. Exact for
 * the rows it keeps (a NULL never equals or is LIKE anything), so the scan may drop the other rows
 * early.
 */
final class DictionaryIdFilter {
  private static final Set<ColumnPredicate.Op> PER_ENTRY = EnumSet.of(ColumnPredicate.Op.EQ, ColumnPredicate.Op.IN,
      ColumnPredicate.Op.LIKE, ColumnPredicate.Op.NOT_LIKE);

  private DictionaryIdFilter() {}

  /** The predicates on column {@code column} that can be decided per entry. */
  static List<ColumnPredicate> predicatesOn(int column, List<ColumnPredicate> filters) {
    List<ColumnPredicate> out = new ArrayList<>();
    for (ColumnPredicate p : filters) {
      if (p.column() == column && decidesPerEntry(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /** Whether {@code p} is a string EQ, IN, LIKE or NOT LIKE, which a string dictionary's entries decide. */
  static boolean decidesPerEntry(ColumnPredicate p) {
    return PER_ENTRY.contains(p.op()) && p.values().stream().allMatch(v -> v instanceof String);
  }

  /** Per dictionary entry: whether it satisfies every predicate (all of them are ANDed). */
  static boolean[] matchingEntries(ColumnDictionary dictionary, List<ColumnPredicate> predicates) {
    boolean[] matches = new boolean[dictionary.size];
    Arrays.fill(matches, true);
    for (ColumnPredicate p : predicates) {
      if (p.op() == ColumnPredicate.Op.LIKE || p.op() == ColumnPredicate.Op.NOT_LIKE) {
        LikePattern pattern = new LikePattern((String) p.value());
        boolean wanted = p.op() == ColumnPredicate.Op.LIKE;
        for (int e = 0; e < dictionary.size; e++) {
          matches[e] &= pattern.matches(dictionary.bytes, dictionary.offsets[e], dictionary.offsets[e + 1]) == wanted;
        }
        continue;
      }
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

  /** Whether some entry satisfies {@code p}, one of {@link #predicatesOn}'s. */
  static boolean anyEntryMatches(ColumnDictionary dictionary, ColumnPredicate p) {
    for (boolean m : matchingEntries(dictionary, List.of(p))) {
      if (m) {
        return true;
      }
    }
    return false;
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
