package io.kiln.distributed.shuffle;

import io.kiln.data.Batch;
import io.kiln.error.KilnException;
import io.kiln.exec.ExecContext;
import io.kiln.physical.Sink;
import io.kiln.physical.sink.Partitioner;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A map task's output: deals the task's rows to its stage's output partitions and appends each
 * partition's share to that partition's Arrow IPC stream file. The task's threads write straight
 * to the files (one lock per partition), so nothing waits in memory. {@link #finish} closes the
 * files and moves them into place; a task that fails leaves nothing behind.
 */
public final class ShuffleSink implements Sink {
  private final Partitioner partitioner;
  private final Path pending;
  private final Path finished;
  private final PartitionFile[] files;
  private volatile Schema schema;
  private boolean done;

  public ShuffleSink(ShuffleFiles shuffleFiles, String queryId, int stage, int task, int attempt,
      Partitioner partitioner) {
    this.partitioner = partitioner;
    this.pending = shuffleFiles.pendingDir(queryId, stage, task, attempt);
    this.finished = shuffleFiles.taskDir(queryId, stage, task, attempt);
    this.files = new PartitionFile[partitioner.partitions()];
    try {
      ShuffleFiles.deleteTree(pending);
      Files.createDirectories(pending);
      for (int p = 0; p < files.length; p++) {
        files[p] = new PartitionFile(ShuffleFiles.partitionFile(pending, p));
      }
    } catch (IOException e) {
      close();
      throw KilnException.io("cannot create the shuffle files of query " + queryId + " stage " + stage + " task "
          + task + " in " + pending, e);
    }
  }

  /** One partition's stream file; writes are serialized by its lock. */
  private static final class PartitionFile {
    final Path path;
    final WriteChannel out;
    boolean schemaWritten;
    long rows;

    PartitionFile(Path path) throws IOException {
      this.path = path;
      this.out = new WriteChannel(Channels.newChannel(new BufferedOutputStream(Files.newOutputStream(path), 1 << 16)));
    }

    synchronized void write(Schema schema, Batch batch) throws IOException {
      writeSchema(schema);
      List<FieldVector> vectors = new ArrayList<>(batch.columnCount());
      for (ValueVector v : batch.columns()) {
        vectors.add((FieldVector) v);
      }
      VectorSchemaRoot view = new VectorSchemaRoot(schema.getFields(), vectors, batch.rowCount());
      try (ArrowRecordBatch record = new VectorUnloader(view).getRecordBatch()) {
        MessageSerializer.serialize(out, record);
      }
      rows += batch.rowCount();
    }

    synchronized void writeSchema(Schema schema) throws IOException {
      if (!schemaWritten) {
        MessageSerializer.serialize(out, schema);
        schemaWritten = true;
      }
    }

    synchronized void finish(Schema schema) throws IOException {
      writeSchema(schema);
      ArrowStreamWriter.writeEndOfStream(out, IpcOption.DEFAULT);
      out.close();
    }

    void closeQuietly(List<Throwable> errors) {
      try {
        out.close();
      } catch (IOException | RuntimeException e) {
        errors.add(e);
      }
    }
  }

  private Schema schemaOf(Batch batch) {
    Schema s = schema;
    if (s == null) {
      List<Field> fields = new ArrayList<>();
      for (ValueVector v : batch.columns()) {
        fields.add(((FieldVector) v).getField());
      }
      synchronized (this) {
        if (schema == null) {
          schema = new Schema(fields);
        }
        s = schema;
      }
    }
    if (s.getFields().size() != batch.columnCount()) {
      throw KilnException.execution("a batch of " + batch.columnCount() + " columns for a shuffle output of "
          + s.getFields().size());
    }
    for (int c = 0; c < batch.columnCount(); c++) {
      if (!s.getFields().get(c).getType().equals(batch.column(c).getField().getType())) {
        throw KilnException.execution("column " + c + " of a shuffle output is " + s.getFields().get(c).getType()
            + " but a batch has " + batch.column(c).getField().getType());
      }
    }
    return s;
  }

  private final class WriterLocal implements Local {
    final ExecContext ctx;

    WriterLocal(ExecContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void push(Batch batch) {
      partitioner.split(batch, ctx.allocator(), (p, share) -> {
        try (Batch b = share) {
          files[p].write(schemaOf(b), b);
        } catch (IOException e) {
          throw KilnException.io("cannot write shuffle file " + files[p].path, e);
        }
      });
    }

    @Override
    public void close() {}
  }

  @Override
  public Local newLocal(ExecContext ctx) {
    return new WriterLocal(ctx);
  }

  @Override
  public void merge(Local local) {
    // locals write to the files as they go
  }

  /** Closes the files and publishes them; call once the task's pipelines are done. */
  public MapOutput finish() {
    Schema s = schema == null ? new Schema(List.of()) : schema;
    long[] rows = new long[files.length];
    long[] bytes = new long[files.length];
    try {
      for (int p = 0; p < files.length; p++) {
        files[p].finish(s);
        rows[p] = files[p].rows;
        bytes[p] = Files.size(files[p].path);
      }
      ShuffleFiles.deleteTree(finished);
      Files.move(pending, finished, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw KilnException.io("cannot finish the shuffle files in " + pending, e);
    }
    done = true;
    return new MapOutput(rows, bytes);
  }

  @Override
  public String describe() {
    return "Shuffle write " + partitioner.describe();
  }

  @Override
  public void close() {
    if (done) {
      return;
    }
    List<Throwable> errors = new ArrayList<>();
    for (PartitionFile f : files) {
      if (f != null) {
        f.closeQuietly(errors);
      }
    }
    try {
      ShuffleFiles.deleteTree(pending);
    } catch (UncheckedIOException e) {
      errors.add(e);
    }
    if (!errors.isEmpty()) {
      RuntimeException e = new UncheckedIOException("cannot remove the unfinished shuffle files in " + pending,
          new IOException(errors.get(0)));
      errors.stream().skip(1).forEach(e::addSuppressed);
      throw e;
    }
  }
}
