package io.kiln.physical.agg;

import io.kiln.physical.expr.KeyHash;
import io.kiln.types.DataType;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ValueVector;

/** Maps grouping-key values to dense group ids (open addressing, linear probing). */
final class GroupTable {
  private final KeyColumn[] keys;
  private int[] slots;
  private long[] hashes;
  private int mask;
  private int groups;
  private int capacity;

  GroupTable(List<DataType> keyTypes) {
    capacity = 1024;
    keys = new KeyColumn[keyTypes.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = new KeyColumn(keyTypes.get(i), capacity);
    }
    hashes = new long[capacity];
    slots = new int[capacity * 2];
    mask = slots.length - 1;
  }

  int size() {
    return groups;
  }

  /** Group ids of each row of the key vectors, inserting new groups. */
  void findOrInsert(ValueVector[] keyVectors, int n, int[] out) {
    for (int i = 0; i < n; i++) {
      long h = 0;
      for (ValueVector v : keyVectors) {
        h = KeyHash.combine(h, KeyHash.of(v, i));
      }
      out[i] = findOrInsert(h, keyVectors, i);
    }
  }

  private int findOrInsert(long h, ValueVector[] keyVectors, int row) {
    int pos = (int) (h ^ (h >>> 32)) & mask;
    while (true) {
      int s = slots[pos];
      if (s == 0) {
        int g = newGroup(h);
        for (int k = 0; k < keys.length; k++) {
          keys[k].set(g, keyVectors[k], row);
        }
        slots[pos] = g + 1;
        if (groups * 2 > slots.length) {
          rehash();
        }
        return g;
      }
      int g = s - 1;
      if (hashes[g] == h && matches(g, keyVectors, row)) {
        return g;
      }
      pos = (pos + 1) & mask;
    }
  }

  /** The group id of one key row with hash {@code h}, inserting a new group if it is not there. */
  int findOrInsert(long h, KeyRow row) {
    int pos = (int) (h ^ (h >>> 32)) & mask;
    while (true) {
      int s = slots[pos];
      if (s == 0) {
        int g = newGroup(h);
        for (int k = 0; k < keys.length; k++) {
          keys[k].set(g, row, k);
        }
        slots[pos] = g + 1;
        if (groups * 2 > slots.length) {
          rehash();
        }
        return g;
      }
      int g = s - 1;
      if (hashes[g] == h && matches(g, row)) {
        return g;
      }
      pos = (pos + 1) & mask;
    }
  }

  private boolean matches(int g, KeyRow row) {
    for (int k = 0; k < keys.length; k++) {
      if (!keys[k].matches(g, row, k)) {
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
    int pos = (int) (h ^ (h >>> 32)) & mask;
    while (true) {
      int s = slots[pos];
      if (s == 0) {
        int mine = newGroup(h);
        for (int k = 0; k < keys.length; k++) {
          keys[k].copyFrom(other.keys[k], g, mine);
        }
        slots[pos] = mine + 1;
        if (groups * 2 > slots.length) {
          rehash();
        }
        return mine;
      }
      int mine = s - 1;
      if (hashes[mine] == h && sameKeys(mine, other, g)) {
        return mine;
      }
      pos = (pos + 1) & mask;
    }
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
    slots = new int[slots.length * 2];
    mask = slots.length - 1;
    for (int g = 0; g < groups; g++) {
      long h = hashes[g];
      int pos = (int) (h ^ (h >>> 32)) & mask;
      while (slots[pos] != 0) {
        pos = (pos + 1) & mask;
      }
      slots[pos] = g + 1;
    }
  }

  ValueVector keyVector(int k, BufferAllocator allocator) {
    return keys[k].toVector(groups, allocator);
  }

  /** Approximate heap bytes, for memory accounting. */
  long estimatedBytes() {
    return (long) capacity * (8 + 9L * keys.length) + slots.length * 4L;
  }
}
