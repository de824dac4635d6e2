package io.kiln.distributed.shuffle;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where each partition's batches lie in a map task's data file: per partition, the offsets of its
 * Arrow IPC record-batch messages, in the order they were written, and its rows and bytes. The data
 * file begins with the schema message (when there is any row at all).
 */
public record ShuffleIndex(long[][] offsets, long[] rows, long[] bytes) {
  private static final long MAGIC = 0x4b494c4e53485831L; // "KILNSHX1"

  public int partitions() {
    return offsets.length;
  }

  void write(Path file) throws IOException {
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeLong(MAGIC);
      out.writeInt(offsets.length);
      for (int p = 0; p < offsets.length; p++) {
        out.writeLong(rows[p]);
        out.writeLong(bytes[p]);
        out.writeInt(offsets[p].length);
        for (long o : offsets[p]) {
          out.writeLong(o);
        }
      }
    }
  }

  static ShuffleIndex read(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (in.readLong() != MAGIC) {
        throw new IOException(file + " is not a Kiln shuffle index");
      }
      int partitions = in.readInt();
      long[][] offsets = new long[partitions][];
      long[] rows = new long[partitions];
      long[] bytes = new long[partitions];
      for (int p = 0; p < partitions; p++) {
        rows[p] = in.readLong();
        bytes[p] = in.readLong();
        offsets[p] = new long[in.readInt()];
        for (int i = 0; i < offsets[p].length; i++) {
          offsets[p][i] = in.readLong();
        }
      }
      return new ShuffleIndex(offsets, rows, bytes);
    }
  }

  @Override
  public String toString() {
    return "ShuffleIndex[rows " + Arrays.toString(rows) + "]";
  }
}
