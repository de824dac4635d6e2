package io.kiln.data;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.VarCharVector;

/** Byte-level string comparison and hashing on varchar buffers, without building Strings. */
public final class Bytes {
  private Bytes() {}

  /** Unsigned lexicographic comparison (UTF-8 byte order is code point order). */
  public static int compare(VarCharVector a, int i, VarCharVector b, int j) {
    ArrowBuf da = a.getDataBuffer();
    ArrowBuf db = b.getDataBuffer();
    int sa = a.getStartOffset(i);
    int la = a.getEndOffset(i) - sa;
    int sb = b.getStartOffset(j);
    int lb = b.getEndOffset(j) - sb;
    int n = Math.min(la, lb);
    for (int k = 0; k < n; k++) {
      int x = da.getByte(sa + k) & 0xff;
      int y = db.getByte(sb + k) & 0xff;
      if (x != y) {
        return x - y;
      }
    }
    return la - lb;
  }

  public static int compare(VarCharVector a, int i, byte[] c) {
    int sa = a.getStartOffset(i);
    return compare(a.getDataBuffer().memoryAddress() + sa, a.getEndOffset(i) - sa, c);
  }

  /** {@link #compare(VarCharVector, int, byte[])} of {@code length} bytes at an off-heap address. */
  public static int compare(long address, int length, byte[] b) {
    int n = Math.min(length, b.length);
    for (int i = 0; i < n; i++) {
      int c = (MemoryUtil.getByte(address + i) & 0xff) - (b[i] & 0xff);
      if (c != 0) {
        return c;
      }
    }
    return length - b.length;
  }

  public static boolean equals(VarCharVector a, int i, VarCharVector b, int j) {
    int la = a.getEndOffset(i) - a.getStartOffset(i);
    int lb = b.getEndOffset(j) - b.getStartOffset(j);
    return la == lb && compare(a, i, b, j) == 0;
  }

  public static long hash(VarCharVector a, int i) {
    int s = a.getStartOffset(i);
    return hash(a.getDataBuffer().memoryAddress() + s, a.getEndOffset(i) - s);
  }

  /** Strings of at most this many bytes pack into one long together with their length (see {@link #pack}). */
  public static final int PACKED_MAX = 7;

  /**
   * What {@link #pack} returns for a string longer than {@link #PACKED_MAX}: its top byte is 0xFF,
   * while a packed string's top byte is its length (0 to 7), so it equals no packed string.
   */
  public static final long NOT_PACKED = 0xFF00000000000000L;

  /**
   * Where a packed string is expected, the NULL string: top byte 0xFE, so it equals neither a
   * packed string nor {@link #NOT_PACKED}; a key row of short strings and NULLs then matches a group
   * by its longs alone.
   */
  public static final long NULL_PACKED = 0xFE00000000000000L;

  private static final long SEED = 0x9E3779B97F4A7C15L;
  private static final long WORD_MIX = 0xBF58476D1CE4E5B9L;

  /**
   * A string of at most 7 bytes as one long: byte i in bits 8i..8i+7, the length in the top byte.
   * With the length in it, strings that differ only by trailing zero bytes ("a", "a\0") or in
   * length ("" and "\0") pack differently, so two packed strings are equal iff their longs are.
   * Longer strings give {@link #NOT_PACKED}. Reads only the string's own bytes (an Arrow buffer may
   * end where mapped memory ends), with at most three loads.
   */
  public static long pack(long address, int length) {
    if (length > PACKED_MAX) {
      return NOT_PACKED;
    }
    long w = 0;
    int k = 0;
    if ((length & 4) != 0) {
      w = MemoryUtil.getInt(address) & 0xffffffffL;
      k = 4;
    }
    if ((length & 2) != 0) {
      w |= (MemoryUtil.getShort(address + k) & 0xffffL) << (8 * k);
      k += 2;
    }
    if ((length & 1) != 0) {
      w |= (MemoryUtil.getByte(address + k) & 0xffL) << (8 * k);
    }
    return w | ((long) length << 56);
  }

  /** {@link #pack(long, int)} of the same bytes on the heap. */
  public static long pack(byte[] b) {
    if (b.length > PACKED_MAX) {
      return NOT_PACKED;
    }
    return wordAt(b, 0, b.length) | ((long) b.length << 56);
  }

  /** The hash of a packed string (not {@link #NOT_PACKED}): one mix of its long. */
  public static long hashPacked(long packed) {
    return KeyHash.ofLong(packed ^ SEED);
  }

  /**
   * The hash of {@code length} bytes at an off-heap address; grouping and joins hash strings with it.
   * A short string hashes as its packed long; a longer one a word at a time, its last partial word
   * read as the 8 bytes that end the string (shifted to drop the bytes already hashed), so no load
   * goes past the string's end.
   */
  public static long hash(long address, int length) {
    if (length <= PACKED_MAX) {
      return hashPacked(pack(address, length));
    }
    long h = SEED;
    int k = 0;
    for (; k + 8 <= length; k += 8) {
      h = mixWord(h, MemoryUtil.getLong(address + k));
    }
    int rest = length - k;
    if (rest > 0) {
      h = mixWord(h, MemoryUtil.getLong(address + length - 8) >>> (64 - 8 * rest));
    }
    return h ^ length;
  }

  /** {@link #hash(long, int)} of the same bytes on the heap (little-endian words, as loads from memory). */
  public static long hash(byte[] b) {
    int length = b.length;
    if (length <= PACKED_MAX) {
      return hashPacked(pack(b));
    }
    long h = SEED;
    int k = 0;
    for (; k + 8 <= length; k += 8) {
      h = mixWord(h, wordAt(b, k, 8));
    }
    int rest = length - k;
    if (rest > 0) {
      h = mixWord(h, wordAt(b, k, rest));
    }
    return h ^ length;
  }

  private static long mixWord(long h, long word) {
    h = (h ^ word) * WORD_MIX;
    return h ^ (h >>> 31);
  }

  /** {@code count} bytes from {@code b[from]} as a little-endian long. */
  private static long wordAt(byte[] b, int from, int count) {
    long w = 0;
    for (int j = count - 1; j >= 0; j--) {
      w = (w << 8) | (b[from + j] & 0xffL);
    }
    return w;
  }

  /** Whether {@code length} bytes at an off-heap address equal {@code b}. */
  public static boolean equals(long address, int length, byte[] b) {
    if (length != b.length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (MemoryUtil.getByte(address + i) != b[i]) {
        return false;
      }
    }
    return true;
  }

}
