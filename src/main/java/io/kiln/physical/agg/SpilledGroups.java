package io.kiln.physical.agg;

import io.kiln.data.Batch;
import io.kiln.data.KeyHash;
import io.kiln.exec.SpillSpace;
import io.kiln.physical.Batches;
import io.kiln.physical.spill.SpillFile;
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
  static final int PARTITIONS = 16;
  /** Each level of spilling (a partition that spilled again while merged) splits on other bits of the hash. */
  static final int MAX_LEVEL = 14;

  private final SpillFile[] files = new SpillFile[PARTITIONS];
  private final int level;

  SpilledGroups(SpillSpace space, String owner, int level) {
    if (level > MAX_LEVEL) {
      throw new IllegalArgumentException(owner + " spilled " + level + " levels deep");
    }
    this.level = level;
    for (int p = 0; p < PARTITIONS; p++) {
      files[p] = new SpillFile(space, owner);
    }
  }

  /**
   * Appends the rows of {@code states} (whose first {@code keyCount} columns are the keys) to their
   * partitions' files; returns the bytes written.
   */
  long write(Batch states, int keyCount) {
    int n = states.rowCount();
    long[] hashes = new long[n];
    KeyHash.rows(Arrays.copyOf(states.columns(), keyCount, ValueVector[].class), 0, n, hashes);
    int[] counts = new int[PARTITIONS];
    int[] partOf = new int[n];
    for (int r = 0; r < n; r++) {
      partOf[r] = partition(hashes[r]);
      counts[partOf[r]]++;
    }
    int[][] rows = new int[PARTITIONS][];
    for (int p = 0; p < PARTITIONS; p++) {
      rows[p] = new int[counts[p]];
      counts[p] = 0;
    }
    for (int r = 0; r < n; r++) {
      rows[partOf[r]][counts[partOf[r]]++] = r;
    }
    long bytes = 0;
    for (int p = 0; p < PARTITIONS; p++) {
      if (counts[p] == 0) {
        continue;
      }
      try (Batch part = Batches.gather(states, rows[p], counts[p], states.column(0).getAllocator())) {
        bytes += files[p].write(part);
      }
    }
    return bytes;
  }

  /** The key hash is mixed, so keys an exchange sent to one partition still spread over these. */
  private int partition(long hash) {
    long mixed = hash * 0x9E3779B97F4A7C15L;
    return (int) (mixed >>> (60 - 4 * level)) & (PARTITIONS - 1);
  }

  int level() {
    return level;
  }

  void finishWriting() {
    for (SpillFile f : files) {
      f.finishWriting();
    }
  }

  /** Hands each spilled batch of partition {@code part} to {@code each}, which owns it. */
  void read(int part, BufferAllocator allocator, Consumer<Batch> each) {
    files[part].read(allocator, each);
  }

  /** Deletes partition {@code part}'s file, once merged. */
  void delete(int part) {
    files[part].delete();
  }

  @Override
  public void close() {
    for (SpillFile f : files) {
      f.close();
    }
  }
}
