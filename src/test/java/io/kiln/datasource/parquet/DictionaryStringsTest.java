package io.kiln.datasource.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;

/**
 * Dictionary entries appended to a VarCharVector: entries of every length around the 8- and
 * 16-byte copies (including the last entry, whose copy reads into the dictionary's padding),
 * NULL ids, selections, appends after earlier rows, and a data buffer that has to grow.
 */
class DictionaryStringsTest {
  @Test
  void appendsEachEntryWhole() {
    byte[][] entries = new byte[41][];
    String[] text = new String[41];
    for (int len = 0; len <= 40; len++) {
      StringBuilder s = new StringBuilder();
      for (int j = 0; j < len; j++) {
        s.append((char) ('a' + (len * 7 + j) % 26));
      }
      text[len] = s.toString();
      entries[len] = text[len].getBytes(StandardCharsets.UTF_8);
    }
    ColumnDictionary dictionary = ColumnDictionary.ofStrings(entries);
    int nullId = dictionary.size;
    SplittableRandom random = new SplittableRandom(3);
    int rows = 5_000;
    int[] ids = new int[rows];
    for (int i = 0; i < rows; i++) {
      ids[i] = random.nextInt(10) == 0 ? nullId : random.nextInt(entries.length);
    }
    ids[rows - 1] = entries.length - 1; // the last entry, at the end of the dictionary's bytes
    int[] sel = new int[rows];
    int m = 0;
    for (int i = 0; i < rows; i += 1 + random.nextInt(3)) {
      sel[m++] = i;
    }
    try (RootAllocator allocator = new RootAllocator(); VarCharVector v = new VarCharVector("s", allocator)) {
      v.allocateNew(16, 1000 + 5_000 + 5_000); // room for the rows, not for their bytes: the appender grows it
      VarCharAppender appender = new VarCharAppender();
      appender.start(v, 0);
      appender.appendEntries(dictionary, ids, null, 1000);
      appender.appendEntries(dictionary, ids, sel, m);
      appender.appendEntries(dictionary, ids, null, rows); // a second append after rows already written
      int total = 1000 + m + rows;
      for (int r = 0; r < total; r++) {
        v.setIndexDefined(r); // the appender's callers set validity
      }
      v.setLastSet(total - 1);
      v.setValueCount(total);
      for (int r = 0; r < total; r++) {
        int id = r < 1000 ? ids[r] : r < 1000 + m ? ids[sel[r - 1000]] : ids[r - 1000 - m];
        String want = id == nullId ? "" : text[id];
        assertArrayEquals(want.getBytes(StandardCharsets.UTF_8), v.get(r), "row " + r + " (id " + id + ")");
      }
      assertEquals(total, v.getValueCount());
    }
  }
}
