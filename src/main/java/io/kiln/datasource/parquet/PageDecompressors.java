package io.kiln.datasource.parquet;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Page decompression for the codecs real writers use, straight from the compressed page into one
 * byte array of the page's uncompressed size. parquet-hadoop's default goes through Hadoop codec
 * streams with pooled buffers and extra copies; these call the libraries directly. None needs a
 * native install: snappy-java and zstd-jni carry their native code in their jars, aircompressor is
 * pure Java, GZIP is the JDK's. Other codecs (BROTLI, LZO, Hadoop-framed LZ4) go to parquet-hadoop's
 * factory, which fails with a clear message if the codec is not available.
 */
final class PageDecompressors implements CompressionCodecFactory {
  static final PageDecompressors INSTANCE = new PageDecompressors();

  private final CodecFactory fallback = new CodecFactory(new PlainParquetConfiguration(), 0);

  private PageDecompressors() {}

  private static final BytesInputDecompressor UNCOMPRESSED = new BytesInputDecompressor() {
    @Override
    public BytesInput decompress(BytesInput bytes, int uncompressedSize) {
      return bytes;
    }

    @Override
    public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize) {
      ByteBuffer in = input.duplicate();
      in.limit(in.position() + compressedSize);
      output.put(in);
    }

    @Override
    public void release() {}
  };

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    throw new UnsupportedOperationException("Kiln only reads Parquet");
  }

  /**
   * Compressed bytes this thread has handed to a decompressor. parquet-hadoop decompresses a page
   * (here: wraps it, see {@link LazyPage}) inside {@code PageReader.readPage} on the caller's thread,
   * and the page it returns reports its decompressed size only; a reader learns the stored size
   * from the difference before and after that call.
   */
  private static final ThreadLocal<long[]> COMPRESSED_BYTES = ThreadLocal.withInitial(() -> new long[1]);

  /** A running total: see {@link #COMPRESSED_BYTES}. */
  static long compressedBytesOnThisThread() {
    return COMPRESSED_BYTES.get()[0];
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    BytesInputDecompressor d = decompressor(codec);
    return new BytesInputDecompressor() {
      @Override
      public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
        COMPRESSED_BYTES.get()[0] += bytes.size();
        return d.decompress(bytes, uncompressedSize);
      }

      @Override
      public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
          throws IOException {
        COMPRESSED_BYTES.get()[0] += compressedSize;
        d.decompress(input, compressedSize, output, uncompressedSize);
      }

      @Override
      public void release() {
        d.release();
      }
    };
  }

  private BytesInputDecompressor decompressor(CompressionCodecName codec) {
    switch (codec) {
      case UNCOMPRESSED:
        return UNCOMPRESSED;
      case SNAPPY:
        return (Decompressor) (in, inOff, inLen, out) -> {
          int n = Snappy.uncompress(in, inOff, inLen, out, 0);
          check(n, out.length, codec);
        };
      case ZSTD:
        return (Decompressor) (in, inOff, inLen, out) -> {
          long n = Zstd.decompressByteArray(out, 0, out.length, in, inOff, inLen);
          if (Zstd.isError(n)) {
            throw new IOException("ZSTD: " + Zstd.getErrorName(n));
          }
          check(n, out.length, codec);
        };
      case LZ4_RAW:
        return (Decompressor) (in, inOff, inLen, out) -> {
          int n = new io.airlift.compress.lz4.Lz4Decompressor().decompress(in, inOff, inLen, out, 0, out.length);
          check(n, out.length, codec);
        };
      case GZIP:
        return (Decompressor) (in, inOff, inLen, out) -> {
          try (InputStream s = new GZIPInputStream(new ByteArrayInputStream(in, inOff, inLen), 8192)) {
            int n = s.readNBytes(out, 0, out.length);
            check(n, out.length, codec);
          }
        };
      default:
        return fallback.getDecompressor(codec);
    }
  }

  private static void check(long produced, int expected, CompressionCodecName codec) throws IOException {
    if (produced != expected) {
      throw new IOException(codec + " page decompressed to " + produced + " bytes, its header says " + expected);
    }
  }

  @Override
  public void release() {
    // Stateless: nothing pooled (the fallback factory keeps its own pool for the whole process).
  }

  /** Decompresses one page held in a byte array into a new array of the uncompressed size. */
  @FunctionalInterface
  private interface Decompressor extends BytesInputDecompressor {
    void decompress(byte[] in, int inOff, int inLen, byte[] out) throws IOException;

    /**
     * Decompresses when the page's bytes are first read, not when parquet-hadoop hands the page
     * over: a page the scan skips whole (no selected row in it) is never decompressed.
     */
    @Override
    default BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
      return BytesInput.from(new LazyPage(this, bytes, uncompressedSize), uncompressedSize);
    }

    /** Decompresses {@code bytes} into all of {@code out}. */
    default void decompressInto(BytesInput bytes, byte[] out) throws IOException {
      ByteBuffer in = bytes.toByteBuffer();
      try {
        if (in.hasArray()) {
          decompress(in.array(), in.arrayOffset() + in.position(), in.remaining(), out);
        } else {
          byte[] copy = new byte[in.remaining()];
          in.duplicate().get(copy);
          decompress(copy, 0, copy.length, out);
        }
      } catch (RuntimeException e) {
        // The libraries report malformed input with their own unchecked exceptions.
        throw new IOException("corrupt compressed page: " + e, e);
      }
    }

    @Override
    default void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
        throws IOException {
      byte[] in = new byte[compressedSize];
      input.duplicate().get(in);
      byte[] out = new byte[uncompressedSize];
      decompress(in, 0, compressedSize, out);
      output.put(out);
    }

    @Override
    default void release() {}
  }

  /**
   * A compressed page's uncompressed bytes as a stream that decompresses on its first read.
   * parquet-hadoop reads the whole page at once into an array of the uncompressed size; that read
   * decompresses straight into the caller's array, so deferring costs no copy.
   */
  private static final class LazyPage extends InputStream {
    private final Decompressor codec;
    private final BytesInput compressed;
    private final int size;
    /** The page, once decompressed for a read that did not take all of it at once. */
    private byte[] page;
    private int position;

    LazyPage(Decompressor codec, BytesInput compressed, int size) {
      this.codec = codec;
      this.compressed = compressed;
      this.size = size;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (page == null && position == 0 && off == 0 && len == size && b.length == size) {
        codec.decompressInto(compressed, b);
        position = size;
        return size;
      }
      if (page == null) {
        page = new byte[size];
        codec.decompressInto(compressed, page);
      }
      if (position >= size) {
        return len == 0 ? 0 : -1;
      }
      int n = Math.min(len, size - position);
      System.arraycopy(page, position, b, off, n);
      position += n;
      return n;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == 1 ? one[0] & 0xFF : -1;
    }
  }
}
