package io.kiln.physical.spill;

import io.kiln.data.Batch;
import io.kiln.exec.SpillSpace;
import io.kiln.physical.Batches;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Rows spilled into {@link #PARTITIONS} files by the hash of their keys, so that equal keys
 * written at any time by any thread meet in one file, and one partition at a time fits in memory.
 * Each level (a partition that spilled again) splits on other bits of the hash.
 */
public final class PartitionedSpill implements AutoCloseable {
  public static final int PARTITIONS = 16;
  /** The deepest level whose partition bits are still inside the hash. */
  public static final int MAX_LEVEL = 14;

  private final SpillFile[] files = new SpillFile[PARTITIONS];
  private final int level;

  /** {@code owner}: the spilling operator, as errors name it. */
  public PartitionedSpill(SpillSpace space, String owner, int level) {
    if (level > MAX_LEVEL) {
      throw new IllegalArgumentException(owner + " spilled " + level + " levels deep");
    }
    this.level = level;
    for (int p = 0; p < PARTITIONS; p++) {
      files[p] = new SpillFile(space, owner);
    }
  }

  public int level() {
    return level;
  }

  /**
   * The partition of a key hash. The hash is mixed first, so keys an exchange sent to one
   * partition (or a hash table to one bucket range) still spread over these.
   */
  public int partition(long hash) {
    long mixed = hash * 0x9E3779B97F4A7C15L;
    return (int) (mixed >>> (60 - 4 * level)) & (PARTITIONS - 1);
  }

  /**
   * Appends each of the first {@code rows.rowCount()} rows (the batch stays the caller's) to the
   * file of its key hash's partition; returns the bytes written. Threads may write at once.
   */
  public long write(Batch rows, long[] hashes) {
    int[] partOf = new int[rows.rowCount()];
    for (int r = 0; r < partOf.length; r++) {
      partOf[r] = partition(hashes[r]);
    }
    long[] bytes = {0};
    Batches.split(rows, partOf, PARTITIONS, rows.column(0).getAllocator(), (p, part) -> {
      try (part) {
        bytes[0] += files[p].write(part);
      }
    });
    return bytes[0];
  }

  /** Rows written to partition {@code part} so far. */
  public long rows(int part) {
    return files[part].rows();
  }

  /** Ends every file: what was written can now be read. */
  public void finishWriting() {
    for (SpillFile f : files) {
      f.finishWriting();
    }
  }

  /** Hands each batch of partition {@code part}, in the order written, to {@code each}, which owns it. */
  public void read(int part, BufferAllocator allocator, Consumer<Batch> each) {
    files[part].read(allocator, each);
  }

  /** Deletes partition {@code part}'s file, once nothing reads it again. */
  public void delete(int part) {
    files[part].delete();
  }

  @Override
  public void close() {
    for (SpillFile f : files) {
      f.close();
    }
  }
}
