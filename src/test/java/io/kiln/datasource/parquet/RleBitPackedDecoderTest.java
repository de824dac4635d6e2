package io.kiln.datasource.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hybrid decoder against parquet's own encoder, for every bit width: bit-packed groups read
 * from any position (reads of odd lengths start mid-group and mid-byte), repeated runs between
 * them, skips, and a last run cut short at the end of the data.
 */
class RleBitPackedDecoderTest {
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 16, 17, 24, 31, 32})
  void decodesWhatParquetEncodedReadInPiecesOfAnyLength(int bitWidth) throws Exception {
    SplittableRandom random = new SplittableRandom(bitWidth);
    int n = 20_011;
    int[] expected = new int[n];
    long bound = bitWidth == 32 ? 1L << 32 : 1L << bitWidth;
    for (int i = 0; i < n; i++) {
      // stretches of one value become repeated runs; the rest is bit-packed
      boolean repeat = i > 0 && (i / 500) % 3 == 1;
      expected[i] = repeat ? expected[i - 1] : (int) random.nextLong(bound);
    }
    ByteBuffer encoded;
    try (RunLengthBitPackingHybridEncoder encoder =
        new RunLengthBitPackingHybridEncoder(bitWidth, 1024, 1 << 20, new HeapByteBufferAllocator())) {
      for (int v : expected) {
        encoder.writeInt(v);
      }
      encoded = encoder.toBytes().toByteBuffer();
    }
    int start = encoded.position();
    int end = encoded.limit();

    int[] actual = new int[n];
    RleBitPackedDecoder decoder = new RleBitPackedDecoder(encoded, start, end, bitWidth);
    int at = 0;
    while (at < n) {
      int k = Math.min(n - at, 1 + random.nextInt(70));
      decoder.read(actual, at, k);
      at += k;
    }
    assertArrayEquals(expected, actual, "bit width " + bitWidth);

    int[] skipped = new int[n];
    int[] want = new int[n];
    decoder = new RleBitPackedDecoder(encoded, start, end, bitWidth);
    at = 0;
    int kept = 0;
    while (at < n) {
      int k = Math.min(n - at, 1 + random.nextInt(40));
      if (random.nextBoolean()) {
        decoder.skip(k);
      } else {
        decoder.read(skipped, kept, k);
        System.arraycopy(expected, at, want, kept, k);
        kept += k;
      }
      at += k;
    }
    assertArrayEquals(want, skipped, "bit width " + bitWidth + " with skips");
  }
}
