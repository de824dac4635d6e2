package io.kiln.codegen.runtime;

import java.nio.charset.StandardCharsets;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * String operations of generated code on UTF-8 bytes, either a slice of an Arrow buffer (address
 * and length) or a byte array. Byte order equals code point order in UTF-8, as in the interpreter.
 */
public final class Strs {
  private Strs() {}

  public static int compare(long a, int la, byte[] b) {
    return io.kiln.data.Bytes.compare(a, la, b);
  }

  public static int compare(long a, int la, long b, int lb) {
    int n = Math.min(la, lb);
    for (int i = 0; i < n; i++) {
      int c = (MemoryUtil.getByte(a + i) & 0xff) - (MemoryUtil.getByte(b + i) & 0xff);
      if (c != 0) {
        return c;
      }
    }
    return la - lb;
  }

  public static int compare(byte[] a, byte[] b) {
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i++) {
      int c = (a[i] & 0xff) - (b[i] & 0xff);
      if (c != 0) {
        return c;
      }
    }
    return a.length - b.length;
  }

  /** Whether the string at {@code a} equals row {@code row} of a varchar vector (by its buffers' addresses). */
  public static boolean equalsAt(long a, int la, long data, long offsets, int row) {
    int start = MemoryUtil.getInt(offsets + ((long) row << 2));
    int lb = MemoryUtil.getInt(offsets + ((long) row << 2) + 4) - start;
    if (la != lb) {
      return false;
    }
    long b = data + start;
    int i = 0;
    for (; i + 8 <= la; i += 8) {
      if (MemoryUtil.getLong(a + i) != MemoryUtil.getLong(b + i)) {
        return false;
      }
    }
    for (; i < la; i++) {
      if (MemoryUtil.getByte(a + i) != MemoryUtil.getByte(b + i)) {
        return false;
      }
    }
    return true;
  }

  public static boolean equalsAt(byte[] a, long data, long offsets, int row) {
    int start = MemoryUtil.getInt(offsets + ((long) row << 2));
    int lb = MemoryUtil.getInt(offsets + ((long) row << 2) + 4) - start;
    return io.kiln.data.Bytes.equals(data + start, lb, a);
  }

  public static byte[] bytes(long a, int length) {
    byte[] b = new byte[length];
    MemoryUtil.copyFromMemory(a, b, 0, length);
    return b;
  }

  public static String string(long a, int length) {
    return new String(bytes(a, length), StandardCharsets.UTF_8);
  }

  public static String string(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
