package io.kiln.physical.agg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.kiln.types.DataType;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The group table's single-long-key path must agree with its general path, including NULL and rehashing. */
class GroupTableTest {
  /** The long whose hash is the NULL hash: equal hashes must not make it NULL's group. */
  static long valueHashingLikeNull() {
    long x = io.kiln.data.KeyHash.NULL;
    BigInteger two64 = BigInteger.ONE.shiftLeft(64);
    x ^= x >>> 33;
    x *= BigInteger.valueOf(0xc4ceb9fe1a85ec53L).mod(two64).modInverse(two64).longValue();
    x ^= x >>> 33;
    x *= BigInteger.valueOf(0xff51afd7ed558ccdL).mod(two64).modInverse(two64).longValue();
    x ^= x >>> 33;
    return x;
  }

  @Test
  void nullAndTheValueThatHashesLikeNullAreDifferentGroups() {
    long v = valueHashingLikeNull();
    assertEquals(io.kiln.data.KeyHash.NULL, io.kiln.data.KeyHash.ofLong(v));
    GroupTable t = new GroupTable(List.of(DataType.BIGINT));
    int ofNull = t.findOrInsertNull();
    int ofValue = t.findOrInsertLong(v);
    assertNotEquals(ofNull, ofValue);
    assertEquals(ofValue, t.findOrInsertLong(v));
    assertEquals(ofNull, t.findOrInsertNull());
    assertEquals(2, t.size());

    GroupTable other = new GroupTable(List.of(DataType.BIGINT));
    int valueFirst = other.findOrInsertLong(v);
    int nullSecond = other.findOrInsertNull();
    assertNotEquals(valueFirst, nullSecond);
    assertEquals(ofNull, t.findOrInsert(other, nullSecond), "merging keeps NULL apart from its look-alike");
    assertEquals(ofValue, t.findOrInsert(other, valueFirst));
    assertEquals(2, t.size());
  }

  @Test
  void longKeysGetOneDenseIdEachThroughRehashes() {
    GroupTable t = new GroupTable(List.of(DataType.BIGINT));
    Map<Long, Integer> expected = new HashMap<>();
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 200_000; i++) {
      long key = random.nextLong(50_000) - 25_000;
      int g = t.findOrInsertLong(key);
      Integer before = expected.putIfAbsent(key, g);
      assertEquals(before == null ? g : before, g, "key " + key);
    }
    assertEquals(expected.size(), t.size());
    assertEquals(expected.size() - 1, expected.values().stream().mapToInt(Integer::intValue).max().getAsInt());
  }

  /** The batched lookup gives each row the group a lookup of its own would, across stretches and rehashes. */
  @Test
  void batchesOfLongKeysGetTheGroupsOfSingleLookups() {
    GroupTable batched = new GroupTable(List.of(DataType.BIGINT));
    GroupTable single = new GroupTable(List.of(DataType.BIGINT));
    SplittableRandom random = new SplittableRandom(11);
    long lookalike = valueHashingLikeNull();
    for (int batch = 0; batch < 40; batch++) {
      int n = 1 + random.nextInt(3000);
      long[] values = new long[n];
      boolean[] nulls = new boolean[n];
      int[] out = new int[n];
      for (int r = 0; r < n; r++) {
        values[r] = random.nextInt(10) == 0 ? lookalike : random.nextLong(20_000);
        nulls[r] = random.nextInt(50) == 0;
      }
      boolean withNulls = batch % 2 == 0;
      batched.findOrInsertLongs(values, withNulls ? nulls : null, n, out);
      for (int r = 0; r < n; r++) {
        int expected = withNulls && nulls[r] ? single.findOrInsertNull() : single.findOrInsertLong(values[r]);
        assertEquals(expected, out[r], "batch " + batch + ", row " + r);
      }
    }
    assertEquals(single.size(), batched.size());
  }

  /** The NULL group a table gets by merging is the one its own NULL rows find. */
  @Test
  void mergedNullGroupIsFoundAgain() {
    GroupTable from = new GroupTable(List.of(DataType.BIGINT));
    from.findOrInsertLong(valueHashingLikeNull());
    int nullThere = from.findOrInsertNull();
    GroupTable merged = new GroupTable(List.of(DataType.BIGINT));
    int g = merged.findOrInsert(from, nullThere);
    assertEquals(g, merged.findOrInsertNull());
    assertNotEquals(g, merged.findOrInsertLong(valueHashingLikeNull()));
    assertEquals(2, merged.size());
  }
}
