package io.kiln.data;

/**
 * Extra information a scan may attach to one column of a {@link Batch}: each row's id in the
 * dictionary its value was decoded from. Row r's id is {@code ids[r]}, in {@code [0, size)}, or
 * {@code size} when the row is NULL. Two columns' ids index the same entries exactly when their
 * {@code dictionary} is the same object (a Parquet column chunk's decoded dictionary page).
 *
 * <p>The values in the column stay decoded and are what the column means; the ids only let a
 * consumer that reads the column as the scan produced it (a group-by, see
 * {@code io.kiln.physical.agg.DictionaryGroups}) work per dictionary entry instead of per value.
 * Only the batch the scan made carries them, and a filter's compaction of it ({@code
 * io.kiln.physical.Batches#gatherKeepingIds}): an operator that makes a new batch otherwise
 * (computing or joining rows) does not carry them over.
 */
public record DictionaryIds(int[] ids, Object dictionary, int size) {
  public DictionaryIds {
    if (ids == null || dictionary == null || size < 0) {
      throw new IllegalArgumentException("dictionary ids need ids, a dictionary and a size >= 0");
    }
  }

  /** The ids of rows {@code rows[0..count)} (a row of -1 is NULL), as rows 0..count-1 of a gathered batch. */
  public DictionaryIds gather(int[] rows, int count) {
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = rows[i] < 0 ? size : ids[rows[i]];
    }
    return new DictionaryIds(out, dictionary, size);
  }
}
