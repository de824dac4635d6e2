package io.kiln.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A compiled LIKE pattern. Patterns made of literal pieces and % (nearly all in practice) match on
 * UTF-8 bytes by finding the pieces in order; patterns with _ fall back to a regex on the string.
 */
public final class LikePattern {
  private final byte[][] pieces;
  private final boolean anchoredStart;
  private final boolean anchoredEnd;
  private final Pattern regex;

  private final String prefix;

  public LikePattern(String pattern) {
    int wildcard = 0;
    while (wildcard < pattern.length() && pattern.charAt(wildcard) != '%' && pattern.charAt(wildcard) != '_') {
      wildcard++;
    }
    prefix = pattern.substring(0, wildcard);
    if (pattern.indexOf('_') >= 0) {
      StringBuilder re = new StringBuilder();
      for (char ch : pattern.toCharArray()) {
        if (ch == '%') {
          re.append(".*");
        } else if (ch == '_') {
          re.append('.');
        } else {
          re.append(Pattern.quote(String.valueOf(ch)));
        }
      }
      regex = Pattern.compile(re.toString(), Pattern.DOTALL);
      pieces = null;
      anchoredStart = false;
      anchoredEnd = false;
      return;
    }
    regex = null;
    anchoredStart = !pattern.startsWith("%");
    anchoredEnd = !pattern.endsWith("%");
    List<byte[]> list = new ArrayList<>();
    for (String piece : pattern.split("%", -1)) {
      list.add(piece.getBytes(StandardCharsets.UTF_8));
    }
    pieces = list.toArray(new byte[0][]);
  }

  /** The literal text every match starts with: "PROMO" for 'PROMO%', "" for '%BRASS'. */
  public String prefix() {
    return prefix;
  }

  public boolean matches(byte[] data, int start, int end) {
    if (regex != null) {
      return regex.matcher(new String(data, start, end - start, StandardCharsets.UTF_8)).matches();
    }
    if (pieces.length == 1) {
      return end - start == pieces[0].length && regionEquals(data, start, pieces[0]);
    }
    int pos = start;
    int last = pieces.length - 1;
    for (int p = 0; p <= last; p++) {
      byte[] piece = pieces[p];
      if (p == 0 && anchoredStart) {
        if (end - pos < piece.length || !regionEquals(data, pos, piece)) {
          return false;
        }
        pos += piece.length;
      } else if (p == last && anchoredEnd) {
        int at = end - piece.length;
        return at >= pos && regionEquals(data, at, piece);
      } else if (piece.length > 0) {
        int found = indexOf(data, pos, end, piece);
        if (found < 0) {
          return false;
        }
        pos = found + piece.length;
      }
    }
    return true;
  }

  /** The same test on UTF-8 bytes at an off-heap address (an Arrow varchar slot), without copying. */
  public boolean matchesAt(long address, int length) {
    if (regex != null || pieces.length > 8) {
      byte[] copy = new byte[length];
      org.apache.arrow.memory.util.MemoryUtil.copyFromMemory(address, copy, 0, length);
      return matches(copy, 0, length);
    }
    long end = address + length;
    if (pieces.length == 1) {
      return length == pieces[0].length && regionEqualsAt(address, pieces[0]);
    }
    long pos = address;
    int last = pieces.length - 1;
    for (int p = 0; p <= last; p++) {
      byte[] piece = pieces[p];
      if (p == 0 && anchoredStart) {
        if (end - pos < piece.length || !regionEqualsAt(pos, piece)) {
          return false;
        }
        pos += piece.length;
      } else if (p == last && anchoredEnd) {
        long at = end - piece.length;
        return at >= pos && regionEqualsAt(at, piece);
      } else if (piece.length > 0) {
        long found = indexOfAt(pos, end, piece);
        if (found < 0) {
          return false;
        }
        pos = found + piece.length;
      }
    }
    return true;
  }

  private static boolean regionEqualsAt(long at, byte[] piece) {
    for (int i = 0; i < piece.length; i++) {
      if (org.apache.arrow.memory.util.MemoryUtil.getByte(at + i) != piece[i]) {
        return false;
      }
    }
    return true;
  }

  private static long indexOfAt(long from, long end, byte[] piece) {
    byte first = piece[0];
    for (long i = from; i + piece.length <= end; i++) {
      if (org.apache.arrow.memory.util.MemoryUtil.getByte(i) == first && regionEqualsAt(i, piece)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean regionEquals(byte[] data, int at, byte[] piece) {
    for (int i = 0; i < piece.length; i++) {
      if (data[at + i] != piece[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] data, int from, int end, byte[] piece) {
    outer:
    for (int i = from; i + piece.length <= end; i++) {
      for (int j = 0; j < piece.length; j++) {
        if (data[i + j] != piece[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
