package io.kiln.physical;

import io.kiln.data.Batch;
import java.util.List;

/** An exchange's partitions between the pipeline that fills them and the one that reads them (once). */
final class PartitionSlot implements AutoCloseable {
  private List<List<Batch>> partitions;

  synchronized void set(List<List<Batch>> result) {
    if (partitions != null) {
      throw new IllegalStateException("an exchange's partitions were set twice");
    }
    partitions = result;
  }

  /** The partitions; the reader owns their batches. */
  synchronized List<List<Batch>> take() {
    if (partitions == null) {
      throw new IllegalStateException("an exchange's partitions were read before they were filled");
    }
    List<List<Batch>> out = partitions;
    partitions = List.of();
    return out;
  }

  @Override
  public synchronized void close() {
    if (partitions != null) {
      for (List<Batch> part : partitions) {
        Batches.closeAll(part);
      }
      partitions = List.of();
    }
  }
}
