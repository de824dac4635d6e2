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
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A map task's output: deals the task's rows to its stage's output partitions and appends each
 * share, as an Arrow IPC record-batch message, to the task's one data file, noting its offset in
 * the partition's list. The task's threads write as they go (one lock), so nothing waits in
 * memory. {@link #finish} writes the {@link ShuffleIndex} and moves both files into place; a task
 * that fails leaves nothing behind.
 */
public final class ShuffleSink implements Sink {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ShuffleSink.class);

  private final Partitioner partitioner;
  private final Path data;
  private final Path index;
  private final Path pendingData;
  private final Path pendingIndex;
  private final WriteChannel out;
  private final List<List<Long>> offsets = new ArrayList<>();
  private final long[] rows;
  private final long[] bytes;
  private Schema schema;
  private boolean done;

  public ShuffleSink(ShuffleFiles files, String queryId, int stage, int task, int attempt, Partitioner partitioner) {
    this.partitioner = partitioner;
    this.data = files.dataFile(queryId, stage, task, attempt);
    this.index = files.indexFile(queryId, stage, task, attempt);
    this.pendingData = ShuffleFiles.pending(data);
    this.pendingIndex = ShuffleFiles.pending(index);
    int partitions = partitioner.partitions();
    this.rows = new long[partitions];
    this.bytes = new long[partitions];
    for (int p = 0; p < partitions; p++) {
      offsets.add(new ArrayList<>());
    }
    try {
      Files.createDirectories(data.getParent());
      this.out = new WriteChannel(Channels.newChannel(
          new BufferedOutputStream(Files.newOutputStream(pendingData), 1 << 16)));
    } catch (IOException e) {
      throw KilnException.io("cannot create the shuffle file " + pendingData + ": " + e, e);
    }
  }

  private synchronized void write(int partition, Batch batch) throws IOException {
    Schema s = schemaOf(batch);
    List<FieldVector> vectors = new ArrayList<>(batch.columnCount());
    for (ValueVector v : batch.columns()) {
      vectors.add((FieldVector) v);
    }
    VectorSchemaRoot view = new VectorSchemaRoot(s.getFields(), vectors, batch.rowCount());
    try (ArrowRecordBatch record = new VectorUnloader(view).getRecordBatch()) {
      ArrowBlock block = MessageSerializer.serialize(out, record);
      offsets.get(partition).add(block.getOffset());
      bytes[partition] += block.getMetadataLength() + block.getBodyLength();
    }
    rows[partition] += batch.rowCount();
  }

  /** The output's schema, from its first batch (written at the file's start); later batches must match. */
  private Schema schemaOf(Batch batch) throws IOException {
    if (schema == null) {
      List<Field> fields = new ArrayList<>();
      for (ValueVector v : batch.columns()) {
        fields.add(((FieldVector) v).getField());
      }
      schema = new Schema(fields);
      MessageSerializer.serialize(out, schema);
    }
    if (schema.getFields().size() != batch.columnCount()) {
      throw KilnException.execution("a batch of " + batch.columnCount() + " columns for a shuffle output of "
          + schema.getFields().size());
    }
    for (int c = 0; c < batch.columnCount(); c++) {
      if (!schema.getFields().get(c).getType().equals(batch.column(c).getField().getType())) {
        throw KilnException.execution("column " + c + " of a shuffle output is " + schema.getFields().get(c).getType()
            + " but a batch has " + batch.column(c).getField().getType());
      }
    }
    return schema;
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
          write(p, b);
        } catch (IOException e) {
          throw KilnException.io("cannot write shuffle file " + pendingData + ": " + e, e);
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
    // locals write to the file as they go
  }

  /** Closes the data file, writes the index and publishes both; call once the task's pipelines are done. */
  public synchronized MapOutput finish() {
    long[][] offs = new long[offsets.size()][];
    for (int p = 0; p < offs.length; p++) {
      offs[p] = offsets.get(p).stream().mapToLong(Long::longValue).toArray();
    }
    try {
      out.close();
      Files.move(pendingData, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      new ShuffleIndex(offs, rows, bytes).write(pendingIndex);
      Files.move(pendingIndex, index, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw KilnException.io("cannot finish the shuffle output " + data + ": " + e, e);
    }
    done = true;
    return new MapOutput(rows.clone(), bytes.clone());
  }

  @Override
  public String describe() {
    return "Shuffle write " + partitioner.describe();
  }

  @Override
  public synchronized void close() {
    if (done) {
      return;
    }
    done = true;
    try {
      try {
        out.close();
      } catch (IOException unflushed) {
        // a full disk fails the last flush too: the file is being thrown away, so it goes all the same
        LOG.warn("closing the unfinished shuffle output {} failed: {}", pendingData, unflushed.toString());
      }
      Files.deleteIfExists(pendingData);
      Files.deleteIfExists(data);
      Files.deleteIfExists(pendingIndex);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the unfinished shuffle output " + pendingData, e);
    }
  }
}
