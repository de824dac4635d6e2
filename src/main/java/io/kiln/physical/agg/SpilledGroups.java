package io.kiln.physical.agg;

import io.kiln.data.Batch;
import io.kiln.data.KeyHash;
import io.kiln.exec.SpillSpace;
import io.kiln.physical.spill.PartitionedSpill;
import java.util.Arrays;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ValueVector;

/**
 * The groups an aggregation's local spilled: rows of keys then states (as a PARTIAL aggregation
 * outputs them), split by key hash into {@link #PARTITIONS} files, so that equal keys from any
 * number of spills meet in one partition, and one partition at a time is merged in memory.
 */
final class SpilledGroups implements AutoCloseable {
  static final int PARTITIONS = PartitionedSpill.PARTITIONS;
  static final int MAX_LEVEL = PartitionedSpill.MAX_LEVEL;

  private final PartitionedSpill files;

  SpilledGroups(SpillSpace space, String owner, int level) {
    this.files = new PartitionedSpill(space, owner, level);
  }

  /**
   * Appends the rows of {@code states} (whose first {@code keyCount} columns are the keys) to their
   * partitions' files; returns the bytes written.
   */
  long write(Batch states, int keyCount) {
    int n = states.rowCount();
    long[] hashes = new long[n];
    KeyHash.rows(Arrays.copyOf(states.columns(), keyCount, ValueVector[].class), 0, n, hashes);
    return files.write(states, hashes);
  }

  int level() {
    return files.level();
  }

  void finishWriting() {
    files.finishWriting();
  }

  /** Hands each spilled batch of partition {@code part} to {@code each}, which owns it. */
  void read(int part, BufferAllocator allocator, Consumer<Batch> each) {
    files.read(part, allocator, each);
  }

  /** Deletes partition {@code part}'s file, once merged. */
  void delete(int part) {
    files.delete(part);
  }

  @Override
  public void close() {
    files.close();
  }
}
