package io.kiln.datasource.parquet;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Parquet's RLE/bit-packed hybrid encoding (definition levels, dictionary ids, RLE booleans),
 * decoded many values at a time into an {@code int[]}. Parquet's own decoder returns one value per
 * call; decoding whole runs into an array lets callers work in tight loops.
 *
 * <p>The stream is a sequence of runs, each introduced by a ULEB128 header: an even header is a
 * repeated run ({@code header >>> 1} copies of one value stored in {@code ceil(bitWidth / 8)}
 * bytes), an odd header a bit-packed run of {@code (header >>> 1) * 8} values, LSB first.
 */
final class RleBitPackedDecoder {
  private final ByteBuffer in;
  private final int bitWidth;
  private final int mask;
  private int pos;
  private final int limit;

  /** Values left in the current run, its kind, and for repeated runs the value. */
  private int runLeft;
  private boolean packed;
  private int repeated;
  /** Bit position of the next packed value, counted from the start of {@code in}. */
  private long packedBit;

  /** Decodes {@code in[start, end)} (absolute indexes; {@code in} is not modified). */
  RleBitPackedDecoder(ByteBuffer in, int start, int end, int bitWidth) {
    if (bitWidth < 0 || bitWidth > 32) {
      throw new IllegalArgumentException("bit width " + bitWidth + " is out of range 0..32");
    }
    this.in = in.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    this.pos = start;
    this.limit = end;
    this.bitWidth = bitWidth;
    this.mask = bitWidth == 32 ? -1 : (1 << bitWidth) - 1;
  }

  /** Reads the next {@code n} values into {@code out[off..off+n)}. */
  void read(int[] out, int off, int n) {
    if (bitWidth == 0) {
      java.util.Arrays.fill(out, off, off + n, 0); // width 0: every value is 0 and no bytes are stored
      return;
    }
    int done = 0;
    while (done < n) {
      if (runLeft == 0) {
        nextRun();
      }
      int k = Math.min(runLeft, n - done);
      if (packed) {
        unpack(out, off + done, k);
      } else {
        java.util.Arrays.fill(out, off + done, off + done + k, repeated);
      }
      runLeft -= k;
      done += k;
    }
  }

  /** Moves past the next {@code n} values. */
  void skip(int n) {
    if (bitWidth == 0) {
      return;
    }
    int done = 0;
    while (done < n) {
      if (runLeft == 0) {
        nextRun();
      }
      int k = Math.min(runLeft, n - done);
      if (packed) {
        if (packedBit + (long) k * bitWidth > (long) limit * 8) {
          throw new IllegalStateException("bit-packed run extends past the end of the encoded data");
        }
        packedBit += (long) k * bitWidth;
      }
      runLeft -= k;
      done += k;
    }
  }

  private void nextRun() {
    int header = readUleb128();
    if ((header & 1) == 0) {
      packed = false;
      runLeft = header >>> 1;
      int bytes = (bitWidth + 7) >>> 3;
      if (pos + bytes > limit) {
        throw new IllegalStateException("RLE run value past the end of the encoded data");
      }
      int v = 0;
      for (int i = 0; i < bytes; i++) {
        v |= (in.get(pos + i) & 0xff) << (8 * i);
      }
      pos += bytes;
      repeated = v;
    } else {
      packed = true;
      int groups = header >>> 1;
      runLeft = groups * 8;
      packedBit = (long) pos * 8;
      long bytes = (long) groups * bitWidth;
      // Writers may end the last packed run early (the page's value count says where), so only the
      // bytes actually present are required; reading past them is caught in unpack.
      pos = (int) Math.min(limit, pos + bytes);
    }
    if (runLeft == 0) {
      throw new IllegalStateException("empty RLE/bit-packed run (corrupt data?)");
    }
  }

  private int readUleb128() {
    int value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (pos >= limit) {
        throw new IllegalStateException("RLE/bit-packed data ends before the values it should hold");
      }
      int b = in.get(pos++) & 0xff;
      value |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IllegalStateException("malformed RLE run header");
  }

  private void unpack(int[] out, int off, int k) {
    long bit = packedBit;
    long endBit = (long) limit * 8;
    if (bit + (long) k * bitWidth > endBit) {
      throw new IllegalStateException("bit-packed run extends past the end of the encoded data");
    }
    // Fast path: read 8 bytes at a time while a whole long fits before the end.
    long fastEnd = ((long) limit - 8) * 8;
    int i = 0;
    if (bitWidth <= 8) {
      // A run packs groups of 8 values into bitWidth bytes from a byte boundary, so one long holds a group.
      for (; i < k && (bit & 7) != 0 && bit <= fastEnd; i++, bit += bitWidth) {
        out[off + i] = (int) (in.getLong((int) (bit >>> 3)) >>> (bit & 7)) & mask;
      }
      for (; i + 8 <= k && bit <= fastEnd; i += 8, bit += 8L * bitWidth) {
        long word = in.getLong((int) (bit >>> 3));
        int o = off + i;
        int w = bitWidth;
        out[o] = (int) word & mask;
        out[o + 1] = (int) (word >>> w) & mask;
        out[o + 2] = (int) (word >>> 2 * w) & mask;
        out[o + 3] = (int) (word >>> 3 * w) & mask;
        out[o + 4] = (int) (word >>> 4 * w) & mask;
        out[o + 5] = (int) (word >>> 5 * w) & mask;
        out[o + 6] = (int) (word >>> 6 * w) & mask;
        out[o + 7] = (int) (word >>> 7 * w) & mask;
      }
    }
    for (; i < k && bit <= fastEnd; i++, bit += bitWidth) {
      int byteAt = (int) (bit >>> 3);
      long word = in.getLong(byteAt);
      out[off + i] = (int) (word >>> (bit & 7)) & mask;
    }
    for (; i < k; i++, bit += bitWidth) {
      out[off + i] = slowValue(bit);
    }
    packedBit = bit;
  }

  private int slowValue(long bit) {
    long v = 0;
    int byteAt = (int) (bit >>> 3);
    int shift = (int) (bit & 7);
    int needed = (shift + bitWidth + 7) >>> 3;
    for (int b = 0; b < needed; b++) {
      v |= (long) (in.get(byteAt + b) & 0xff) << (8 * b);
    }
    return (int) (v >>> shift) & mask;
  }
}
