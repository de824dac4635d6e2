package io.kiln.physical.agg;

import io.kiln.data.Bytes;
import io.kiln.data.KeyHash;
import io.kiln.types.DataType;
import io.kiln.types.PhysicalKind;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Maps grouping-key values to dense group ids (open addressing, linear probing). Each slot keeps its
 * group's hash next to the group id, so a probe compares hashes without touching the group's keys
 * until the hashes agree.
 */
final class GroupTable {
  private final KeyColumn[] keys;
  /**
   * One LONG-kind key: {@link KeyHash#ofLong} is a bijection, so a slot whose hash is equal holds an
   * equal key, unless it is the NULL key's group, whose hash is {@link KeyHash#NULL}.
   */
  private final boolean singleLongKey;
  /**
   * Every key is a string: a key row's short strings and NULLs are matched by comparing their packed
   * longs with the groups' (see {@link #matchesPacked}), with no per-key dispatch.
   */
  private final boolean allStringKeys;
  /** With {@link #singleLongKey}: the NULL key's group, or -1; kept here so a probe need not read the key column. */
  private int nullGroup = -1;
  /**
   * The hash slots, two longs each: slot p's group hash at {@code 2p} and its group id + 1 (0: empty)
   * at {@code 2p + 1}, so a probe touches one cache line, not one in each of two arrays (with a
   * million groups, each line is a cache miss).
   */
  private long[] slots;
  private long[] hashes;
  private int mask;
  private int groups;
  private int capacity;

  GroupTable(List<DataType> keyTypes) {
    // Without keys there is one group (global aggregation): no room for more.
    capacity = keyTypes.isEmpty() ? 1 : 1024;
    keys = new KeyColumn[keyTypes.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = new KeyColumn(keyTypes.get(i), capacity);
    }
    singleLongKey = keys.length == 1 && keyTypes.get(0).kind() != PhysicalKind.DOUBLE
        && keyTypes.get(0).kind() != PhysicalKind.STRING;
    allStringKeys = !keyTypes.isEmpty() && keyTypes.stream().allMatch(t -> t.kind() == PhysicalKind.STRING);
    hashes = new long[capacity];
    slots = new long[capacity * 4];
    mask = capacity * 2 - 1;
  }

  int size() {
    return groups;
  }

  /** How many groups fit before the key columns grow; aggregate states are kept at least this large. */
  int capacity() {
    return capacity;
  }

  private int home(long h) {
    return (int) (h ^ (h >>> 32)) & mask;
  }

  /** Group ids of each row of the key vectors, inserting new groups. */
  void findOrInsert(ValueVector[] keyVectors, int n, int[] out) {
    if (singleLongKey && keyVectors[0] instanceof BigIntVector) {
      BigIntVector v = (BigIntVector) keyVectors[0];
      findOrInsertLongsAt(v.getDataBuffer().memoryAddress(), AggStates.validityOf(v), null, n, out);
      return;
    }
    if (allStringKeys) {
      findOrInsertStrings(keyVectors, n, out);
      return;
    }
    for (int i = 0; i < n; i++) {
      long h = 0;
      for (ValueVector v : keyVectors) {
        h = KeyHash.combine(h, KeyHash.of(v, i));
      }
      out[i] = findOrInsert(h, keyVectors, i);
    }
  }

  /** The group of row {@code row} of the key vectors, inserting it if new: the group the batch methods give it. */
  int findOrInsertRow(ValueVector[] keyVectors, int row) {
    if (singleLongKey && keyVectors[0] instanceof BigIntVector) {
      BigIntVector v = (BigIntVector) keyVectors[0];
      return v.isNull(row) ? findOrInsertNull() : findOrInsertLong(v.get(row));
    }
    long h = 0;
    for (ValueVector v : keyVectors) {
      h = KeyHash.combine(h, KeyHash.of(v, row));
    }
    return findOrInsert(h, keyVectors, row);
  }

  /**
   * {@link #findOrInsert(ValueVector[], int, int[])} when every key is a string: each row's keys are
   * packed once, to hash them and to match them as longs (see {@link #matchesPacked}).
   */
  private void findOrInsertStrings(ValueVector[] keyVectors, int n, int[] out) {
    VarCharVector[] strings = new VarCharVector[keyVectors.length];
    for (int k = 0; k < strings.length; k++) {
      strings[k] = (VarCharVector) keyVectors[k];
    }
    long[] packedRow = new long[strings.length];
    for (int i = 0; i < n; i++) {
      long h = 0;
      for (int k = 0; k < strings.length; k++) {
        VarCharVector v = strings[k];
        if (v.isNull(i)) {
          packedRow[k] = Bytes.NULL_PACKED;
          h = KeyHash.combine(h, KeyHash.NULL);
        } else {
          int start = v.getStartOffset(i);
          int length = v.getEndOffset(i) - start;
          long address = v.getDataBuffer().memoryAddress() + start;
          packedRow[k] = Bytes.pack(address, length);
          h = KeyHash.combine(h, KeyHash.ofBytes(packedRow[k], address, length));
        }
      }
      out[i] = findOrInsertStrings(h, packedRow, strings, i);
    }
  }

  private int findOrInsertStrings(long h, long[] packedRow, VarCharVector[] strings, int row) {
    int pos = home(h);
    for (int s; (s = (int) slots[2 * pos + 1]) != 0; pos = (pos + 1) & mask) {
      if (slots[2 * pos] == h && matchesPacked(s - 1, packedRow, strings, row)) {
        return s - 1;
      }
    }
    int g = claim(pos, h);
    for (int k = 0; k < keys.length; k++) {
      keys[k].set(g, strings[k], row);
    }
    return g;
  }

  /** {@link #matchesPacked(int, KeyRow)} for a row of string vectors whose keys are packed in {@code packedRow}. */
  private boolean matchesPacked(int g, long[] packedRow, VarCharVector[] strings, int row) {
    for (int k = 0; k < keys.length; k++) {
      long p = packedRow[k];
      if (p == Bytes.NOT_PACKED ? !keys[k].matches(g, strings[k], row) : keys[k].packed(g) != p) {
        return false;
      }
    }
    return true;
  }

  private int findOrInsert(long h, ValueVector[] keyVectors, int row) {
    int pos = home(h);
    for (int s; (s = (int) slots[2 * pos + 1]) != 0; pos = (pos + 1) & mask) {
      if (slots[2 * pos] == h && matches(s - 1, keyVectors, row)) {
        return s - 1;
      }
    }
    int g = claim(pos, h);
    for (int k = 0; k < keys.length; k++) {
      keys[k].set(g, keyVectors[k], row);
    }
    noteNullGroup(g);
    return g;
  }

  /** The group id of one key row with hash {@code h}, inserting a new group if it is not there. */
  int findOrInsert(long h, KeyRow row) {
    int pos = home(h);
    for (int s; (s = (int) slots[2 * pos + 1]) != 0; pos = (pos + 1) & mask) {
      if (slots[2 * pos] == h && (allStringKeys ? matchesPacked(s - 1, row) : matches(s - 1, row))) {
        return s - 1;
      }
    }
    int g = claim(pos, h);
    for (int k = 0; k < keys.length; k++) {
      keys[k].set(g, row, k);
    }
    noteNullGroup(g);
    return g;
  }

  /** Remembers a new group that is the single LONG-kind key's NULL. */
  private void noteNullGroup(int g) {
    if (singleLongKey && keys[0].isNull(g)) {
      nullGroup = g;
    }
  }

  /** The group of a non-null value of the only key, which is of a LONG kind (see {@link #singleLongKey}). */
  int findOrInsertLong(long v) {
    long h = KeyHash.ofLong(v);
    int pos = home(h);
    for (int s; (s = (int) slots[2 * pos + 1]) != 0; pos = (pos + 1) & mask) {
      if (slots[2 * pos] == h && s - 1 != nullGroup) {
        return s - 1;
      }
    }
    int g = claim(pos, h);
    keys[0].setLong(g, v);
    return g;
  }

  /** Group ids of a batch of values of the only key, which is of a LONG kind; {@code nulls} may be null. */
  void findOrInsertLongs(long[] values, boolean[] nulls, int n, int[] out) {
    for (int r = 0; r < n; r++) {
      out[r] = nulls != null && nulls[r] ? findOrInsertNull() : findOrInsertLong(values[r]);
    }
  }

  /**
   * Group ids of a batch of values of the only key, which is of a LONG kind, read from an Arrow
   * buffer: value r is at row {@code sel == null ? r : sel[r]}; a validity of 0 means no NULLs.
   */
  void findOrInsertLongsAt(long data, long validity, int[] sel, int n, int[] out) {
    for (int r = 0; r < n; r++) {
      int row = sel == null ? r : sel[r];
      out[r] = AggStates.isNull(validity, row) ? findOrInsertNull() : findOrInsertLong(AggStates.longAt(data, row));
    }
  }

  /** The group of the NULL value of the only key. */
  int findOrInsertNull() {
    if (nullGroup >= 0) {
      return nullGroup;
    }
    long h = KeyHash.NULL;
    int pos = home(h);
    while (slots[2 * pos + 1] != 0) {
      pos = (pos + 1) & mask;
    }
    int g = claim(pos, h);
    keys[0].setNull(g);
    nullGroup = g;
    return g;
  }

  private boolean matches(int g, KeyRow row) {
    for (int k = 0; k < keys.length; k++) {
      if (!keys[k].matches(g, row, k)) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@link #matches(int, KeyRow)} when every key is a string: a key whose packed long is known
   * (short or NULL) is equal iff the group's packed long is; only a long string compares bytes.
   */
  private boolean matchesPacked(int g, KeyRow row) {
    for (int k = 0; k < keys.length; k++) {
      long p = row.packed[k];
      if (p == Bytes.NOT_PACKED ? !keys[k].matches(g, row, k) : keys[k].packed(g) != p) {
        return false;
      }
    }
    return true;
  }

  private boolean matches(int g, ValueVector[] keyVectors, int row) {
    for (int k = 0; k < keys.length; k++) {
      if (!keys[k].matches(g, keyVectors[k], row)) {
        return false;
      }
    }
    return true;
  }

  /** The group id in this table of group {@code g} of another table with the same key types. */
  int findOrInsert(GroupTable other, int g) {
    long h = other.hashes[g];
    int pos = home(h);
    for (int s; (s = (int) slots[2 * pos + 1]) != 0; pos = (pos + 1) & mask) {
      if (slots[2 * pos] == h && sameKeys(s - 1, other, g)) {
        return s - 1;
      }
    }
    int mine = claim(pos, h);
    for (int k = 0; k < keys.length; k++) {
      keys[k].copyFrom(other.keys[k], g, mine);
    }
    noteNullGroup(mine);
    return mine;
  }

  private boolean sameKeys(int mine, GroupTable other, int g) {
    for (int k = 0; k < keys.length; k++) {
      if (!keys[k].sameAs(other.keys[k], g, mine)) {
        return false;
      }
    }
    return true;
  }

  /** A group with no key columns (global aggregation): the single group 0. */
  int insertEmptyKey() {
    if (groups == 0) {
      newGroup(0);
    }
    return 0;
  }

  /** Puts a new group with hash {@code h} into the empty slot {@code pos}; its keys are the caller's to set. */
  private int claim(int pos, long h) {
    int g = newGroup(h);
    slots[2 * pos] = h;
    slots[2 * pos + 1] = g + 1;
    if (groups * 2 > mask + 1) {
      rehash();
    }
    return g;
  }

  private int newGroup(long h) {
    if (groups == capacity) {
      capacity *= 2;
      hashes = Arrays.copyOf(hashes, capacity);
      for (KeyColumn k : keys) {
        k.grow(capacity);
      }
    }
    hashes[groups] = h;
    return groups++;
  }

  private void rehash() {
    slots = new long[slots.length * 2];
    mask = slots.length / 2 - 1;
    for (int g = 0; g < groups; g++) {
      long h = hashes[g];
      int pos = home(h);
      while (slots[2 * pos + 1] != 0) {
        pos = (pos + 1) & mask;
      }
      slots[2 * pos] = h;
      slots[2 * pos + 1] = g + 1;
    }
  }

  ValueVector keyVector(int k, BufferAllocator allocator) {
    return keys[k].toVector(groups, allocator);
  }

  /** Approximate heap bytes, for memory accounting. */
  long estimatedBytes() {
    return (long) capacity * (8 + 9L * keys.length) + slots.length * 8L;
  }

  /** At least {@link #estimatedBytes} once the table has room for {@code groups} groups (hash slots at their largest). */
  long estimatedBytes(int groups) {
    return (long) groups * (8 + 9L * keys.length) + groups * 64L;
  }
}
