package io.kiln.physical.expr;

import org.apache.arrow.memory.ArrowBuf;
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
    ArrowBuf d = a.getDataBuffer();
    int s = a.getStartOffset(i);
    int e = a.getEndOffset(i);
    long h = 0x9E3779B97F4A7C15L;
    int k = s;
    for (; k + 8 <= e; k += 8) {
      h = (h ^ d.getLong(k)) * 0xBF58476D1CE4E5B9L;
      h ^= h >>> 31;
    }
    for (; k < e; k++) {
      h = (h ^ d.getByte(k)) * 0x94D049BB133111EBL;
    }
    return h ^ (e - s);
  }
}
