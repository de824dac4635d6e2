package io.kiln.datasource.objectstore;

import java.util.concurrent.Executor;

/**
 * How a store reads ahead of a scan's workers: on which threads the I/O of upcoming morsels runs,
 * and how many morsels of one scan may be fetched and not yet taken by a worker (each holds its
 * column chunk bytes in memory until taken).
 */
public record ReadAhead(Executor executor, int morsels) {
  public ReadAhead {
    if (morsels < 1) {
      throw new IllegalArgumentException("read ahead at least one morsel, not " + morsels);
    }
  }
}
