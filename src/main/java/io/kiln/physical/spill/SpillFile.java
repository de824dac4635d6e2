package io.kiln.physical.spill;

import io.kiln.data.Batch;
import io.kiln.error.KilnException;
import io.kiln.exec.SpillSpace;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.util.TransferPair;

/**
 * Batches of one schema written to a file of the query's {@link SpillSpace} in Arrow's IPC stream
 * format, then read back in the order written. Several threads may append; reading starts once
 * {@link #finishWriting} has been called. The file goes when the query's spill space closes.
 */
public final class SpillFile implements AutoCloseable {
  private final SpillSpace space;
  private final String owner;
  private Path path;
  private FileChannel channel;
  private VectorSchemaRoot root;
  private ArrowStreamWriter writer;
  private long rows;
  private boolean finished;

  /** {@code owner}: the spilling operator, as errors name it. */
  public SpillFile(SpillSpace space, String owner) {
    this.space = space;
    this.owner = owner;
  }

  /** Appends the batch's rows (the batch stays the caller's); returns the bytes written. */
  public synchronized long write(Batch batch) {
    if (finished) {
      throw new IllegalStateException(owner + " wrote to its spill file after finishing it");
    }
    if (batch.rowCount() == 0) {
      return 0;
    }
    List<FieldVector> vectors = new ArrayList<>(batch.columnCount());
    for (ValueVector v : batch.columns()) {
      vectors.add((FieldVector) v);
    }
    VectorSchemaRoot source = new VectorSchemaRoot(vectors);
    source.setRowCount(batch.rowCount());
    try {
      if (writer == null) {
        path = space.newFile(owner);
        channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        root = VectorSchemaRoot.create(source.getSchema(), batch.column(0).getAllocator());
        writer = new ArrowStreamWriter(root, null, channel);
        writer.start();
      }
      long before = channel.position();
      try (ArrowRecordBatch data = new VectorUnloader(source).getRecordBatch()) {
        new VectorLoader(root).load(data);
        writer.writeBatch();
      } finally {
        if (root != null) {
          root.clear(); // the written batch's buffers are not kept for as long as the file is open
        }
      }
      long written = channel.position() - before;
      space.wrote(written);
      rows += batch.rowCount();
      return written;
    } catch (IOException e) {
      throw failed("spilling to", e);
    }
  }

  /** Ends the stream; what was written can now be read. */
  public synchronized void finishWriting() {
    if (finished) {
      return;
    }
    finished = true;
    if (writer == null) {
      return;
    }
    try {
      writer.end();
    } catch (IOException e) {
      throw failed("spilling to", e);
    } finally {
      closeWriting();
    }
  }

  /** Rows written so far. */
  public synchronized long rows() {
    return rows;
  }

  /** Hands each batch written, in order, to {@code each}, which owns it. */
  public void read(BufferAllocator allocator, Consumer<Batch> each) {
    try (Reader reader = reader(allocator)) {
      for (Batch b = reader.next(); b != null; b = reader.next()) {
        each.accept(b);
      }
    }
  }

  /** Reads the batches written back one at a time, in order. */
  public Reader reader(BufferAllocator allocator) {
    Path file;
    synchronized (this) {
      if (!finished) {
        throw new IllegalStateException(owner + " read its spill file before finishing it");
      }
      file = path;
    }
    return new Reader(file, allocator);
  }

  /** The batches of a finished spill file, one at a time. */
  public final class Reader implements AutoCloseable {
    private final BufferAllocator allocator;
    private final ArrowStreamReader reader;

    private Reader(Path file, BufferAllocator allocator) {
      this.allocator = allocator;
      if (file == null) {
        reader = null; // nothing was written
        return;
      }
      FileChannel in = null;
      try {
        in = FileChannel.open(file, StandardOpenOption.READ);
        reader = new ArrowStreamReader(in, allocator);
      } catch (IOException e) {
        closeQuietlyAfter(in, e);
        throw failed("reading back", e);
      }
    }

    /** The next batch, which the caller owns, or null after the last. */
    public Batch next() {
      if (reader == null) {
        return null;
      }
      try {
        if (!reader.loadNextBatch()) {
          return null;
        }
        VectorSchemaRoot read = reader.getVectorSchemaRoot();
        ValueVector[] columns = new ValueVector[read.getFieldVectors().size()];
        for (int c = 0; c < columns.length; c++) {
          TransferPair moved = read.getVector(c).getTransferPair(allocator);
          moved.transfer();
          columns[c] = moved.getTo();
        }
        return new Batch(columns, read.getRowCount());
      } catch (IOException e) {
        throw failed("reading back", e);
      }
    }

    @Override
    public void close() {
      if (reader != null) {
        try {
          reader.close(); // and its channel
        } catch (IOException e) {
          throw failed("closing", e);
        }
      }
    }
  }

  private static void closeQuietlyAfter(FileChannel in, IOException cause) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        cause.addSuppressed(e);
      }
    }
  }

  private KilnException failed(String doing, IOException e) {
    return new KilnException(KilnException.Kind.RESOURCE, owner + ": " + doing + " its spill file " + path
        + " failed: " + e.getMessage(), e);
  }

  /** Closes the file without writing more to it (the stream's end, if due, was written by {@link #finishWriting}). */
  private void closeWriting() {
    writer = null;
    try {
      if (root != null) {
        root.close();
      }
    } finally {
      root = null;
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException e) {
          throw failed("closing", e);
        } finally {
          channel = null;
        }
      }
    }
  }

  /** Releases the file's buffers and handle; deleting it is left to the spill space (it may be read again). */
  @Override
  public synchronized void close() {
    finished = true;
    closeWriting();
  }

  /** Deletes the file now rather than at the query's end, once nothing will read it again. */
  public synchronized void delete() {
    close();
    if (path != null) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        throw failed("deleting", e);
      }
    }
  }
}
