package io.kiln.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

/**
 * Strings hash alike whether read from memory or from a byte array (group tables merge and joins
 * match on stored hashes of both), and packed short strings keep their length apart.
 */
class BytesHashTest {
  @Test
  void offHeapAndHeapHashAndPackAgreeForEveryLengthAndAlignment() {
    SplittableRandom random = new SplittableRandom(11);
    try (BufferAllocator allocator = new RootAllocator(); ArrowBuf buf = allocator.buffer(64)) {
      for (int length = 0; length <= 40; length++) {
        for (int offset = 0; offset < 8; offset++) {
          byte[] b = new byte[length];
          for (int i = 0; i < length; i++) {
            b[i] = (byte) random.nextInt(256); // high-bit bytes too: packing must not sign-extend
          }
          buf.setBytes(offset, b);
          long address = buf.memoryAddress() + offset;
          assertEquals(Bytes.hash(b), Bytes.hash(address, length), "length " + length + " at offset " + offset);
          assertEquals(KeyHash.ofBytes(b), KeyHash.ofBytes(address, length));
          assertEquals(Bytes.pack(b), Bytes.pack(address, length));
          assertEquals(KeyHash.ofBytes(address, length), KeyHash.ofBytes(Bytes.pack(address, length), address, length));
        }
      }
    }
  }

  @Test
  void packedStringsDifferWhenTheirBytesOrLengthsDo() {
    String[] strings = {"", "\0", "\0\0", "a", "a\0", "\0a", "ab", "ba", "abcdefg", "abcdef\0", "\u00ff", "\u00e9", "\u20ac"};
    Set<Long> packs = new HashSet<>();
    Set<Long> hashes = new HashSet<>();
    for (String s : strings) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      long p = Bytes.pack(b);
      assertNotEquals(Bytes.NOT_PACKED, p, s);
      packs.add(p);
      hashes.add(Bytes.hash(b));
    }
    assertEquals(strings.length, packs.size(), "each string packs differently");
    assertEquals(strings.length, hashes.size(), "and (here) hashes differently");
    assertEquals(Bytes.NOT_PACKED, Bytes.pack("abcdefgh".getBytes(StandardCharsets.UTF_8)));
    assertNotEquals(Bytes.hash("abcdefgh".getBytes(StandardCharsets.UTF_8)), Bytes.hash("abcdefgh\0".getBytes(StandardCharsets.UTF_8)));
  }
}
