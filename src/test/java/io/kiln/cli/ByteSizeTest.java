package io.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ByteSizeTest {
  @Test
  void parsesSuffixesAsPowersOf1024() {
    assertEquals(1000L, ByteSize.parse("1000"));
    assertEquals(64L << 10, ByteSize.parse("64k"));
    assertEquals(512L << 20, ByteSize.parse("512M"));
    assertEquals(4L << 30, ByteSize.parse("4g"));
    assertEquals(4L << 30, ByteSize.parse("4GB"));
    assertEquals(4L << 30, ByteSize.parse("4GiB"));
    assertEquals(2L << 40, ByteSize.parse("2t"));
    assertEquals(100L, ByteSize.parse("100b"));
  }

  @Test
  void rejectsNonsenseZeroAndOverflow() {
    for (String bad : new String[] {"", "g", "4x", "1.5g", "-1g", "0", "0g", "8388608t", "99999999999999999999"}) {
      assertThrows(TypeConversionException.class, () -> ByteSize.parse(bad), bad);
    }
  }
}
