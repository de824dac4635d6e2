package io.kiln.datasource.parquet;

import java.nio.ByteBuffer;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * DELTA_LENGTH_BYTE_ARRAY (all lengths delta-packed, then all the bytes) and DELTA_BYTE_ARRAY
 * (each string as the length of the prefix it shares with the previous one plus a suffix stored as
 * DELTA_LENGTH_BYTE_ARRAY) string pages.
 */
final class DeltaStringDecoder implements ValuesDecoder {
  private final StoredValues values;
  private final byte[] page;
  private final int limit;
  /** DELTA_BYTE_ARRAY only: shared prefix lengths; null for DELTA_LENGTH_BYTE_ARRAY. */
  private final long[] prefixes;
  private final long[] lengths;
  /** Where the next suffix's bytes start. */
  private int pos;
  private int next;
  /** DELTA_BYTE_ARRAY: the previous value, which the next one's prefix comes from. */
  private byte[] previous = new byte[0];
  private int previousLength;
  private final VarCharAppender strings = new VarCharAppender();

  DeltaStringDecoder(StoredValues values, boolean withPrefixes, int valueCount, ByteBuffer in, int start, int end) {
    this.values = values;
    this.page = DeltaBinaryPacked.padded(in, start, end);
    this.limit = end - start;
    int at = 0;
    if (withPrefixes) {
      DeltaBinaryPacked.Run p = DeltaBinaryPacked.decode(page, at, limit, valueCount, values);
      prefixes = p.values;
      at = p.end;
    } else {
      prefixes = null;
    }
    DeltaBinaryPacked.Run l = DeltaBinaryPacked.decode(page, at, limit, valueCount, values);
    lengths = l.values;
    pos = l.end;
    if (prefixes != null && prefixes.length != lengths.length) {
      throw values.corrupt("DELTA_BYTE_ARRAY page with " + prefixes.length + " prefixes and " + lengths.length
          + " suffixes");
    }
  }

  @Override
  public void read(ValueVector out, int at, int count) {
    need(count);
    strings.start((VarCharVector) out, at);
    if (prefixes == null) {
      for (int i = 0; i < count; i++) {
        int len = suffixLength(next + i);
        strings.append(page, pos, len);
        pos += len;
      }
    } else {
      for (int i = 0; i < count; i++) {
        assemble(next + i);
        strings.append(previous, 0, previousLength);
      }
    }
    next += count;
  }

  @Override
  public void skip(int count) {
    need(count);
    for (int i = 0; i < count; i++) {
      if (prefixes == null) {
        pos += suffixLength(next + i);
      } else {
        assemble(next + i); // the values after the skipped ones build on them
      }
    }
    next += count;
  }

  /** Makes {@code previous} the value at {@code i}: its shared prefix, then its suffix. */
  private void assemble(int i) {
    long prefix = prefixes[i];
    if (prefix < 0 || prefix > previousLength) {
      throw values.corrupt("DELTA_BYTE_ARRAY prefix of " + prefix + " bytes after a value of " + previousLength);
    }
    int suffix = suffixLength(i);
    int length = (int) prefix + suffix;
    if (previous.length < length) {
      previous = java.util.Arrays.copyOf(previous, Math.max(length, previous.length * 2));
    }
    System.arraycopy(page, pos, previous, (int) prefix, suffix);
    pos += suffix;
    previousLength = length;
  }

  private int suffixLength(int i) {
    long len = lengths[i];
    if (len < 0 || pos + len > limit) {
      throw values.corrupt("string of " + len + " bytes past the end of the page");
    }
    return (int) len;
  }

  private void need(int count) {
    if (next + count > lengths.length) {
      throw values.corrupt("delta string page holds " + lengths.length + " values, " + (next + count) + " wanted");
    }
  }
}
