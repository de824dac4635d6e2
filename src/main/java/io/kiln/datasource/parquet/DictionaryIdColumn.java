package io.kiln.datasource.parquet;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * A column whose every page is dictionary-encoded, read as ids: a batch is read as ids only, and
 * values are materialized for the rows wanted alone. A predicate column is filtered on its ids:
 * the predicates are evaluated once per dictionary entry and rows are selected by looking their
 * ids up. A column whose consumer can use the ids (a GROUP BY) hands them on with the values.
 * NULL rows carry the id {@code size} (one past the last entry), so NULL tests need no special case.
 */
final class DictionaryIdColumn {
  private final PageColumnReader reader;
  private final ColumnDictionary dictionary;
  /** Per id (entries, then NULL): whether the column's predicates accept it; null when it has none here. */
  private final boolean[] accepted;
  private int[] ids = new int[0];
  private final VarCharAppender strings = new VarCharAppender();

  private DictionaryIdColumn(PageColumnReader reader, boolean[] accepted) {
    this.reader = reader;
    this.dictionary = reader.dictionary();
    this.accepted = accepted;
  }

  /**
   * The id filter of distinct column {@code d} read by {@code reader}, with {@code filter}'s tests
   * on it evaluated per entry; null when its dictionary is of a kind it cannot materialize.
   */
  static DictionaryIdColumn create(ParquetColumn column, int d, PageColumnReader reader, DecodedRowFilter filter,
      BufferAllocator allocator) {
    ColumnDictionary dictionary = reader.dictionary();
    if (!materializable(dictionary)) {
      return null;
    }
    int entries = dictionary.size + 1;
    int[] all = new int[entries];
    for (int e = 0; e < entries; e++) {
      all[e] = e;
    }
    boolean[] accepted = new boolean[entries];
    try (ValueVector values = io.kiln.data.Vectors.allocate(column.type, column.name, allocator, entries)) {
      fill(values, dictionary, all, all, entries, new VarCharAppender());
      int[] sel = all.clone();
      int m = filter.selectOn(d, values, sel, entries);
      for (int i = 0; i < m; i++) {
        accepted[sel[i]] = true;
      }
    }
    return new DictionaryIdColumn(reader, accepted);
  }

  /**
   * The column read by {@code reader} as ids, to hand them on with its values; null when its
   * dictionary is of a kind it cannot materialize.
   */
  static DictionaryIdColumn unfiltered(PageColumnReader reader) {
    return materializable(reader.dictionary()) ? new DictionaryIdColumn(reader, null) : null;
  }

  /** Whether {@link #fill} can write the dictionary's entries as values. */
  private static boolean materializable(ColumnDictionary dictionary) {
    return dictionary != null && (dictionary.longs != null || dictionary.doubles != null || dictionary.bytes != null);
  }

  /** Whether predicates decide rows on this column's ids ({@link #narrow}). */
  boolean filters() {
    return accepted != null;
  }

  /**
   * The ids of positions {@code sel[0..m)} (increasing) of the batch, as rows 0..m-1 of the batch
   * made of them. The array read into is handed on with them, compacted in place when rows were
   * dropped; the next batch's ids are read into a new one.
   */
  io.kiln.data.DictionaryIds idsOf(int[] sel, int m) {
    int[] id = ids;
    if (m > 0 && sel[m - 1] != m - 1) {
      for (int i = 0; i < m; i++) {
        id[i] = id[sel[i]]; // sel[i] >= i: nothing is overwritten before it is read
      }
    }
    ids = new int[0];
    return new io.kiln.data.DictionaryIds(id, dictionary, dictionary.size);
  }

  /** Reads the ids of the batch's next {@code n} rows. */
  void readIds(int n) {
    if (ids.length < n) {
      ids = new int[n];
    }
    reader.readIds(ids, n);
  }

  /** Narrows positions {@code sel[0..m)} of the batch to the rows whose ids are accepted; returns how many. */
  int narrow(int[] sel, int m) {
    int[] id = ids;
    boolean[] ok = accepted;
    int k = 0;
    for (int i = 0; i < m; i++) {
      int r = sel[i];
      sel[k] = r;
      k += ok[id[r]] ? 1 : 0;
    }
    return k;
  }

  /** Writes the values of positions {@code sel[0..m)} of the batch into rows 0..m-1 of {@code out}. */
  void materialize(ValueVector out, int[] sel, int m) {
    fill(out, dictionary, ids, sel, m, strings);
  }

  private static void fill(ValueVector out, ColumnDictionary dictionary, int[] ids, int[] sel, int m,
      VarCharAppender strings) {
    int nullId = dictionary.size;
    int nulls = 0;
    for (int i = 0; i < m; i++) {
      nulls += ids[sel[i]] == nullId ? 1 : 0;
    }
    if (nulls == 0) {
      NullSpreader.markPresent(out, 0, m);
    } else {
      ArrowBuf validity = out.getValidityBuffer();
      for (int i = 0; i < m; i++) {
        BitVectorHelper.setValidityBit(validity, i, ids[sel[i]] == nullId ? 0 : 1);
      }
    }
    if (dictionary.bytes != null) {
      VarCharVector v = (VarCharVector) out;
      v.getOffsetBuffer().setInt(0, 0);
      strings.start(v, 0);
      strings.appendEntries(dictionary, ids, sel, m);
      v.setLastSet(m - 1);
    } else {
      ArrowBuf data = ((BaseFixedWidthVector) out).getDataBuffer();
      if (dictionary.longs != null) {
        long[] d = dictionary.longs;
        for (int i = 0; i < m; i++) {
          int e = ids[sel[i]];
          data.setLong((long) i << 3, e == nullId ? 0L : d[e]);
        }
      } else {
        double[] d = dictionary.doubles;
        for (int i = 0; i < m; i++) {
          int e = ids[sel[i]];
          data.setDouble((long) i << 3, e == nullId ? 0.0 : d[e]);
        }
      }
    }
    out.setValueCount(m);
  }
}
