package io.kiln.datasource.parquet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Parquet's DELTA_BINARY_PACKED integers, decoded a whole run at a time: a header (block size,
 * miniblocks per block, value count, first value), then blocks of a minimum delta, one bit width
 * per miniblock and the miniblocks' deltas bit-packed little-endian. Arithmetic wraps in 64 bits,
 * which also gives INT32 columns their 32-bit wrapped values once narrowed.
 */
final class DeltaBinaryPacked {
  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  /** Bytes after the input so an 8-byte read of a run's last bits stays inside the array. */
  static final int PADDING = 16;

  private DeltaBinaryPacked() {}

  /** The decoded values and where the run ended in the input (the next encoding's start). */
  static final class Run {
    final long[] values;
    final int end;

    Run(long[] values, int end) {
      this.values = values;
      this.end = end;
    }
  }

  /**
   * Decodes the run starting at {@code in[pos]}; {@code in} holds {@code PADDING} bytes beyond
   * {@code limit}. At most {@code maxValues} values are accepted (the page's count).
   */
  static Run decode(byte[] in, int pos, int limit, int maxValues, StoredValues where) {
    int[] at = {pos};
    int blockSize = (int) unsignedVarint(in, at, limit, where);
    int miniblocks = (int) unsignedVarint(in, at, limit, where);
    long total = unsignedVarint(in, at, limit, where);
    long value = zigzag(unsignedVarint(in, at, limit, where));
    if (blockSize <= 0 || blockSize % 128 != 0 || miniblocks <= 0 || blockSize % miniblocks != 0
        || (blockSize / miniblocks) % 32 != 0) {
      throw where.corrupt("DELTA_BINARY_PACKED header with block size " + blockSize + " and " + miniblocks
          + " miniblocks");
    }
    if (total > maxValues) {
      throw where.corrupt("DELTA_BINARY_PACKED run of " + total + " values in a page of " + maxValues);
    }
    int perMiniblock = blockSize / miniblocks;
    long[] out = new long[(int) total];
    int n = 0;
    if (total > 0) {
      out[n++] = value;
    }
    while (n < total) {
      long minDelta = zigzag(unsignedVarint(in, at, limit, where));
      int widths = at[0];
      if (widths + miniblocks > limit) {
        throw where.corrupt("DELTA_BINARY_PACKED block past the end of the page");
      }
      at[0] += miniblocks;
      for (int m = 0; m < miniblocks && n < total; m++) {
        int width = in[widths + m] & 0xff;
        if (width > 64) {
          throw where.corrupt("DELTA_BINARY_PACKED miniblock of bit width " + width);
        }
        long bitStart = (long) at[0] * 8;
        long bytes = ((long) perMiniblock * width + 7) / 8;
        int take = (int) Math.min(perMiniblock, total - n);
        // the miniblock is stored whole even when only part of it is used
        if (at[0] + ((long) take * width + 7) / 8 > limit) {
          throw where.corrupt("DELTA_BINARY_PACKED miniblock past the end of the page");
        }
        long mask = width == 64 ? -1L : (1L << width) - 1;
        for (int i = 0; i < take; i++) {
          value += minDelta + (bits(in, bitStart + (long) i * width, width) & mask);
          out[n++] = value;
        }
        at[0] += (int) bytes;
      }
    }
    return new Run(out, Math.min(at[0], limit));
  }

  /** {@code width} bits starting at bit {@code bit}, little-endian, in the low bits of the result. */
  private static long bits(byte[] in, long bit, int width) {
    int index = (int) (bit >>> 3);
    int shift = (int) (bit & 7);
    long word = (long) LONG_LE.get(in, index) >>> shift;
    if (shift + width > 64) {
      word |= (long) (in[index + 8] & 0xff) << (64 - shift);
    }
    return word;
  }

  private static long unsignedVarint(byte[] in, int[] at, int limit, StoredValues where) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at[0] >= limit) {
        throw where.corrupt("DELTA_BINARY_PACKED header past the end of the page");
      }
      byte b = in[at[0]++];
      v |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return v;
      }
    }
    throw where.corrupt("DELTA_BINARY_PACKED varint longer than 64 bits");
  }

  private static long zigzag(long v) {
    return (v >>> 1) ^ -(v & 1);
  }

  /** {@code in[start, end)} copied into an array with {@link #PADDING} spare bytes. */
  static byte[] padded(java.nio.ByteBuffer in, int start, int end) {
    byte[] out = new byte[end - start + PADDING];
    java.nio.ByteBuffer region = in.duplicate();
    region.limit(end).position(start);
    region.get(out, 0, end - start);
    return out;
  }
}
