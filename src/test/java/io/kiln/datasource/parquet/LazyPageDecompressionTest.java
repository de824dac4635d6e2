package io.kiln.datasource.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputDecompressor;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/**
 * Pages are decompressed when their bytes are first read, so a page the scan skips whole costs no
 * decompression: a corrupt page is only reported if read, and a page read whole or in pieces
 * decompresses to the same bytes.
 */
class LazyPageDecompressionTest {
  private static final byte[] PAGE = "a page of values, values, values, values and more values"
      .repeat(50).getBytes(StandardCharsets.UTF_8);

  @Test
  void aPageNeverReadIsNeverDecompressed() throws IOException {
    BytesInputDecompressor snappy = PageDecompressors.INSTANCE.getDecompressor(CompressionCodecName.SNAPPY);
    BytesInput garbage = BytesInput.from(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    BytesInput page = snappy.decompress(garbage, 100); // would fail if it decompressed now
    assertEquals(100, page.size());
    assertThrows(IOException.class, page::toByteArray); // reading it does decompress, and fails
  }

  @Test
  void readWholeOrInPiecesItDecompressesToThePage() throws IOException {
    BytesInputDecompressor snappy = PageDecompressors.INSTANCE.getDecompressor(CompressionCodecName.SNAPPY);
    byte[] compressed = Snappy.compress(PAGE);
    assertArrayEquals(PAGE, snappy.decompress(BytesInput.from(compressed), PAGE.length).toByteArray());
    assertArrayEquals(PAGE, snappy.decompress(BytesInput.from(compressed), PAGE.length).toByteBuffer().array());
    try (InputStream in = snappy.decompress(BytesInput.from(compressed), PAGE.length).toInputStream()) {
      byte[] pieces = new byte[PAGE.length];
      int first = in.read();
      pieces[0] = (byte) first;
      int at = 1;
      while (at < pieces.length) {
        int n = in.read(pieces, at, Math.min(7, pieces.length - at));
        assertTrue(n > 0);
        at += n;
      }
      assertArrayEquals(PAGE, pieces);
    }
  }
}
