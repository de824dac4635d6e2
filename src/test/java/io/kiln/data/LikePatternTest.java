package io.kiln.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

/**
 * LIKE on bytes at an off-heap address (the search tests eight starts per load) and in an array,
 * against a regex over the same strings: pieces that start at every offset around 8-byte words,
 * first bytes that repeat ("aab" in "aaab"), pieces at the very end of a string, near misses, and
 * strings that end where the buffer ends.
 */
class LikePatternTest {
  private static final String[] PATTERNS = {"%ab%", "%aab%", "%abcabcab%", "%a%b%", "%special%requests%", "x%ab%",
      "%ab%y", "%b", "a%", "%\u00e9a%", "%%", "%", "ab", "%aaaaaaaaa%"};

  @Test
  void matchesLikeARegexAtEveryOffset() {
    SplittableRandom random = new SplittableRandom(11);
    String[] alphabet = {"a", "b", "c", "x", "y", "\u00e9", "special", "requests", " "};
    try (RootAllocator allocator = new RootAllocator()) {
      for (String like : PATTERNS) {
        LikePattern pattern = new LikePattern(like);
        Pattern regex = Pattern.compile(like.replace("%", ".*"), Pattern.DOTALL);
        for (int n = 0; n < 3000; n++) {
          StringBuilder s = new StringBuilder();
          int length = random.nextInt(40);
          for (int j = 0; j < length; j++) {
            s.append(alphabet[random.nextInt(alphabet.length)]);
          }
          byte[] bytes = s.toString().getBytes(StandardCharsets.UTF_8);
          boolean expected = regex.matcher(s).matches();
          assertEquals(expected, pattern.matches(bytes, 0, bytes.length), like + " on '" + s + "' in an array");
          // at the end of its buffer, so a load past the string would read past the buffer
          try (ArrowBuf buf = allocator.buffer(Math.max(1, bytes.length))) {
            long at = buf.memoryAddress() + buf.capacity() - bytes.length;
            org.apache.arrow.memory.util.MemoryUtil.copyToMemory(bytes, 0, at, bytes.length);
            assertEquals(expected, pattern.matchesAt(at, bytes.length), like + " on '" + s + "' off heap");
          }
        }
      }
    }
  }
}
