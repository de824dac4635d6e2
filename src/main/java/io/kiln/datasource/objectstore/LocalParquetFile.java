package io.kiln.datasource.objectstore;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A local file as parquet's {@link InputFile}, read through a {@link FileChannel}. Parquet's own
 * {@code LocalInputFile} reads {@code read(byte[], int, int)} one byte per system call (it does
 * not override {@link java.io.InputStream}'s loop over {@code read()}), which is the call its
 * filtered row-group reads make for every page: a scan skipping pages by their column index read
 * at a few MB/s.
 */
final class LocalParquetFile implements InputFile {
  private final Path path;

  LocalParquetFile(Path path) {
    this.path = path;
  }

  @Override
  public long getLength() throws IOException {
    return Files.size(path);
  }

  @Override
  public SeekableInputStream newStream() throws IOException {
    return new Stream(FileChannel.open(path, StandardOpenOption.READ));
  }

  @Override
  public String toString() {
    return path.toString();
  }

  private static final class Stream extends SeekableInputStream {
    private final FileChannel channel;

    Stream(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public int read() throws IOException {
      ByteBuffer one = ByteBuffer.allocate(1);
      return channel.read(one) <= 0 ? -1 : one.get(0) & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return len == 0 ? 0 : channel.read(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = Math.max(0, Math.min(n, channel.size() - channel.position()));
      channel.position(channel.position() + skipped);
      return skipped;
    }

    @Override
    public long getPos() throws IOException {
      return channel.position();
    }

    @Override
    public void seek(long newPos) throws IOException {
      channel.position(newPos);
    }

    @Override
    public void readFully(byte[] bytes) throws IOException {
      readFully(ByteBuffer.wrap(bytes));
    }

    @Override
    public void readFully(byte[] bytes, int start, int len) throws IOException {
      readFully(ByteBuffer.wrap(bytes, start, len));
    }

    @Override
    public int read(ByteBuffer buf) throws IOException {
      return channel.read(buf);
    }

    @Override
    public void readFully(ByteBuffer buf) throws IOException {
      while (buf.hasRemaining()) {
        if (channel.read(buf) < 0) {
          throw new EOFException("reached the end of the file with " + buf.remaining() + " bytes still to read");
        }
      }
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
