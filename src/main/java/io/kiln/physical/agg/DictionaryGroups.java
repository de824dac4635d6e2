package io.kiln.physical.agg;

import io.kiln.data.Batch;
import io.kiln.data.DictionaryIds;
import java.util.Arrays;
import org.apache.arrow.vector.ValueVector;

/**
 * Finds rows' groups through their keys' dictionary ids, for batches whose every grouping key is
 * a column carrying {@link DictionaryIds}. The keys' ids combine into one id (mixed radix, each
 * key's NULL id included), and an array maps combined ids to groups, filled as ids first occur:
 * the first row with an id is looked up, or inserted, by value in the {@link GroupTable} (so
 * groups stay the same whichever way rows find them, and merge by value as ever); every later row
 * with that id costs an array load instead of hashing and comparing its keys.
 *
 * <p>The array belongs to one combination of dictionaries, by identity: a batch whose key columns
 * index other dictionaries (another row group, or slice of one) starts it afresh.
 */
final class DictionaryGroups {
  /** Combinations of at most this many ids are mapped (a 256 KB array); larger ones group by value. */
  static final int MAX_IDS = 1 << 16;

  /** The dictionaries (and their sizes) the array is for, per key. */
  private Object[] dictionaries = new Object[0];
  private int[] radix = new int[0];
  /** Per combined id, its group or -1 when no row with it was seen yet. */
  private int[] groups = new int[0];
  private final ValueVector[] keyVectors;
  private final int[][] ids;

  DictionaryGroups(int keys) {
    keyVectors = new ValueVector[keys];
    ids = new int[keys][];
  }

  /**
   * Whether the rows of {@code in} can find their groups by {@link #groups}: each key column
   * (column {@code keyColumns[k]} of the batch) carries dictionary ids and their combinations are
   * at most {@link #MAX_IDS}. Starts the map afresh when the dictionaries are not the last ones.
   */
  boolean prepare(Batch in, int[] keyColumns) {
    long combinations = 1;
    boolean same = dictionaries.length == keyColumns.length;
    for (int k = 0; k < keyColumns.length; k++) {
      DictionaryIds d = in.dictionaryIds(keyColumns[k]);
      if (d == null) {
        return false;
      }
      combinations *= d.size() + 1L;
      if (combinations > MAX_IDS) {
        return false;
      }
      same = same && dictionaries[k] == d.dictionary();
    }
    if (!same) {
      dictionaries = new Object[keyColumns.length];
      radix = new int[keyColumns.length];
      for (int k = 0; k < keyColumns.length; k++) {
        DictionaryIds d = in.dictionaryIds(keyColumns[k]);
        dictionaries[k] = d.dictionary();
        radix[k] = d.size() + 1;
      }
      if (groups.length < combinations) {
        groups = new int[(int) combinations];
      }
      Arrays.fill(groups, 0, (int) combinations, -1);
    }
    return true;
  }

  /**
   * The groups of {@code n} rows of a batch {@link #prepare} accepted into {@code out}: row r is
   * the batch's row {@code sel == null ? r : sel[r]}. New groups are inserted into {@code table}.
   */
  void groups(Batch in, int[] keyColumns, int[] sel, int n, int[] out, GroupTable table) {
    for (int k = 0; k < keyColumns.length; k++) {
      keyVectors[k] = in.column(keyColumns[k]);
      ids[k] = in.dictionaryIds(keyColumns[k]).ids();
    }
    int[] map = groups;
    if (keyColumns.length == 1) {
      int[] a = ids[0];
      for (int r = 0; r < n; r++) {
        int row = sel == null ? r : sel[r];
        int id = a[row];
        int g = map[id];
        out[r] = g >= 0 ? g : firstOf(id, row, table);
      }
    } else if (keyColumns.length == 2) {
      int[] a = ids[0];
      int[] b = ids[1];
      int rb = radix[1];
      for (int r = 0; r < n; r++) {
        int row = sel == null ? r : sel[r];
        int id = a[row] * rb + b[row];
        int g = map[id];
        out[r] = g >= 0 ? g : firstOf(id, row, table);
      }
    } else {
      for (int r = 0; r < n; r++) {
        int row = sel == null ? r : sel[r];
        int id = 0;
        for (int k = 0; k < ids.length; k++) {
          id = id * radix[k] + ids[k][row];
        }
        int g = map[id];
        out[r] = g >= 0 ? g : firstOf(id, row, table);
      }
    }
    Arrays.fill(keyVectors, null);
    Arrays.fill(ids, null);
  }

  /** The group of the first row seen with combined id {@code id}, found by its key values. */
  private int firstOf(int id, int row, GroupTable table) {
    int g = table.findOrInsertRow(keyVectors, row);
    groups[id] = g;
    return g;
  }
}
