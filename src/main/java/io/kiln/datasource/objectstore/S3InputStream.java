package io.kiln.datasource.objectstore;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.io.ParquetFileRange;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Reads an S3 object with ranged GETs. Two paths:
 * <ul>
 *   <li>Vectored reads ({@link #readVectored}): ParquetFileReader hands over all the column chunks a
 *       row group needs at once; nearby ones are merged, large ones split, and the requests run in
 *       parallel on the store's fetch pool. Only those bytes are fetched, never the whole object.
 *   <li>Plain reads: served from one buffered window. A read near the end of the object fetches the
 *       last {@code footerFetchBytes} with one suffix request, so the footer (its 8-byte tail and
 *       the metadata before it) usually costs a single GET; other small reads fetch
 *       {@code readAheadBytes} ahead; large reads are fetched exactly.
 * </ul>
 * Not thread-safe, like every stream; each row group task opens its own.
 */
final class S3InputStream extends SeekableInputStream {
  private final S3Store store;
  private final S3Location location;
  private final long length;
  /** The version listed; every read is made conditional on it. Null if the store gave none. */
  private final String etag;
  private long pos;
  private byte[] window = new byte[0];
  private long windowStart;
  private boolean closed;

  S3InputStream(S3Store store, S3Location location, long length, String etag) {
    this.store = store;
    this.location = location;
    this.length = length;
    this.etag = etag;
  }

  @Override
  public long getPos() {
    return pos;
  }

  @Override
  public void seek(long newPos) throws IOException {
    ensureOpen();
    if (newPos < 0 || newPos > length) {
      throw new EOFException("cannot seek to " + newPos + " in " + location + " of " + length + " bytes");
    }
    pos = newPos;
  }

  @Override
  public int read() throws IOException {
    ensureOpen();
    if (pos >= length) {
      return -1;
    }
    byte[] one = new byte[1];
    fill(one, 0, 1);
    return one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    ensureOpen();
    if (len == 0) {
      return 0;
    }
    if (pos >= length) {
      return -1;
    }
    int n = (int) Math.min(len, length - pos);
    fill(b, off, n);
    return n;
  }

  @Override
  public void readFully(byte[] bytes) throws IOException {
    readFully(bytes, 0, bytes.length);
  }

  @Override
  public void readFully(byte[] bytes, int start, int len) throws IOException {
    ensureOpen();
    requireAvailable(len);
    fill(bytes, start, len);
  }

  @Override
  public int read(ByteBuffer buf) throws IOException {
    ensureOpen();
    if (!buf.hasRemaining()) {
      return 0;
    }
    if (pos >= length) {
      return -1;
    }
    int n = (int) Math.min(buf.remaining(), length - pos);
    copyInto(buf, n);
    return n;
  }

  @Override
  public void readFully(ByteBuffer buf) throws IOException {
    ensureOpen();
    requireAvailable(buf.remaining());
    copyInto(buf, buf.remaining());
  }

  private void copyInto(ByteBuffer buf, int n) throws IOException {
    if (buf.hasArray()) {
      fill(buf.array(), buf.arrayOffset() + buf.position(), n);
      buf.position(buf.position() + n);
    } else {
      byte[] tmp = new byte[n];
      fill(tmp, 0, n);
      buf.put(tmp);
    }
  }

  private void requireAvailable(int len) throws EOFException {
    if (len > length - pos) {
      throw new EOFException("cannot read " + len + " bytes at " + pos + " of " + location + ": it has " + length
          + " bytes");
    }
  }

  /** Copies {@code len} bytes at {@code pos} into {@code dst} and advances; the caller checked they exist. */
  private void fill(byte[] dst, int off, int len) {
    while (len > 0) {
      long windowEnd = windowStart + window.length;
      if (pos >= windowStart && pos < windowEnd) {
        int n = (int) Math.min(len, windowEnd - pos);
        System.arraycopy(window, (int) (pos - windowStart), dst, off, n);
        pos += n;
        off += n;
        len -= n;
      } else if (pos >= length - store.config().footerFetchBytes()) {
        int n = (int) Math.min(store.config().footerFetchBytes(), length);
        byte[] tail = new byte[n];
        store.readSuffix(location, etag, tail, n);
        window = tail;
        windowStart = length - n;
      } else {
        // Stop where the window starts, so only the missing part is fetched (a footer larger than
        // the suffix fetch costs one more request for its beginning, not a second copy of the tail).
        long end = pos + len;
        if (windowStart > pos && windowStart < end && window.length > 0) {
          end = windowStart;
        }
        int want = (int) (end - pos);
        if (want < store.config().readAheadBytes()) {
          int n = (int) Math.min(store.config().readAheadBytes(), length - pos);
          byte[] ahead = new byte[n];
          store.readRange(location, etag, pos, ahead, 0, n);
          window = ahead;
          windowStart = pos;
        } else {
          store.readRange(location, etag, pos, dst, off, want);
          pos += want;
          off += want;
          len -= want;
        }
      }
    }
  }

  /** Heap buffers only: the ranges are fetched into byte arrays and handed out as slices of them. */
  @Override
  public boolean readVectoredAvailable(ByteBufferAllocator allocator) {
    return !allocator.isDirect();
  }

  @Override
  public void readVectored(List<ParquetFileRange> ranges, ByteBufferAllocator allocator) throws IOException {
    ensureOpen();
    Map<RangeCoalescer.Range, ParquetFileRange> wanted = new IdentityHashMap<>();
    List<RangeCoalescer.Range> plain = new ArrayList<>(ranges.size());
    for (ParquetFileRange r : ranges) {
      if (r.getOffset() < 0 || r.getLength() < 0 || r.getOffset() + r.getLength() > length) {
        throw new EOFException("range " + r + " lies outside " + location + " of " + length + " bytes");
      }
      RangeCoalescer.Range range = new RangeCoalescer.Range(r.getOffset(), r.getLength());
      plain.add(range);
      wanted.put(range, r);
    }
    int maxRequest = store.config().maxRequestBytes();
    for (RangeCoalescer.Request request : RangeCoalescer.plan(plain, store.config().coalesceGapBytes(), maxRequest)) {
      byte[] bytes = new byte[request.length()];
      List<CompletableFuture<Void>> parts = new ArrayList<>();
      for (long[] part : request.parts(maxRequest)) {
        parts.add(store.readRangeAsync(location, etag, part[0], bytes, (int) (part[0] - request.start()),
            (int) (part[1] - part[0])));
      }
      CompletableFuture<Void> all = CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]));
      for (RangeCoalescer.Range member : request.members()) {
        int at = (int) (member.offset() - request.start());
        wanted.get(member).setDataReadFuture(all.thenApply(v -> ByteBuffer.wrap(bytes, at, member.length()).slice()));
      }
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("stream for " + location + " is closed");
    }
  }

  @Override
  public void close() {
    closed = true;
    window = new byte[0];
  }

  @Override
  public String toString() {
    return "S3InputStream[" + location + " at " + pos + "]";
  }
}
