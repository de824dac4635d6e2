package io.kiln.datasource.parquet;

import java.nio.ByteBuffer;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Dictionary ids of one page (a bit-width byte, then the RLE/bit-packed hybrid), decoded in
 * batches and mapped through the chunk's {@link ColumnDictionary}.
 */
final class DictionaryValuesDecoder implements ValuesDecoder {
  private final ColumnDictionary dictionary;
  private final StoredValues values;
  private final RleBitPackedDecoder ids;
  private int[] scratch = new int[0];
  private final VarCharAppender strings = new VarCharAppender();

  /** Decodes ids from {@code in[start, end)}. */
  DictionaryValuesDecoder(ColumnDictionary dictionary, StoredValues values, ByteBuffer in, int start, int end) {
    this.dictionary = dictionary;
    this.values = values;
    if (start >= end) {
      throw values.corrupt("a dictionary-encoded page without data");
    }
    int bitWidth = in.get(start) & 0xff;
    if (bitWidth > 32) {
      throw values.corrupt("dictionary id bit width " + bitWidth);
    }
    this.ids = new RleBitPackedDecoder(in, start + 1, end, bitWidth);
  }

  @Override
  public void read(ValueVector out, int at, int count) {
    if (scratch.length < count) {
      scratch = new int[Math.max(count, 1024)];
    }
    int[] id = scratch;
    readIds(id, 0, count);
    if (dictionary.bytes != null) {
      strings.start((VarCharVector) out, at);
      strings.appendEntries(dictionary, id, null, count);
      return;
    }
    ArrowBuf data = ((BaseFixedWidthVector) out).getDataBuffer();
    long o = (long) at << 3;
    if (dictionary.longs != null) {
      long[] d = dictionary.longs;
      for (int i = 0; i < count; i++) {
        data.setLong(o + ((long) i << 3), d[id[i]]);
      }
    } else {
      double[] d = dictionary.doubles;
      for (int i = 0; i < count; i++) {
        data.setDouble(o + ((long) i << 3), d[id[i]]);
      }
    }
  }

  /** Decodes the next {@code count} ids, unmapped, into {@code out[at .. at+count-1]}. */
  void readIds(int[] out, int at, int count) {
    ids.read(out, at, count);
    int size = dictionary.size;
    for (int i = at; i < at + count; i++) {
      if (out[i] < 0 || out[i] >= size) {
        throw values.corrupt("dictionary id " + out[i] + " but the dictionary has " + size + " entries");
      }
    }
  }

  @Override
  public void skip(int count) {
    ids.skip(count);
  }
}
