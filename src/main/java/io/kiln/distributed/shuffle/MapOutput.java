package io.kiln.distributed.shuffle;

import java.util.Arrays;

/** What one map task wrote: rows and bytes per output partition. */
public record MapOutput(long[] partitionRows, long[] partitionBytes) {
  public int partitions() {
    return partitionRows.length;
  }

  public long totalRows() {
    return Arrays.stream(partitionRows).sum();
  }

  public long totalBytes() {
    return Arrays.stream(partitionBytes).sum();
  }
}
