package io.kiln.physical.expr;

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
    ArrowBuf da = a.getDataBuffer();
    int sa = a.getStartOffset(i);
    int la = a.getEndOffset(i) - sa;
    int n = Math.min(la, c.length);
    for (int k = 0; k < n; k++) {
      int x = da.getByte(sa + k) & 0xff;
      int y = c[k] & 0xff;
      if (x != y) {
        return x - y;
      }
    }
    return la - c.length;
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

  /** The hash of {@code length} bytes at an off-heap address; grouping and joins hash strings with it. */
  public static long hash(long address, int length) {
    long h = 0x9E3779B97F4A7C15L;
    int k = 0;
    for (; k + 8 <= length; k += 8) {
      h = (h ^ MemoryUtil.getLong(address + k)) * 0xBF58476D1CE4E5B9L;
      h ^= h >>> 31;
    }
    for (; k < length; k++) {
      h = (h ^ MemoryUtil.getByte(address + k)) * 0x94D049BB133111EBL;
    }
    return h ^ length;
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
