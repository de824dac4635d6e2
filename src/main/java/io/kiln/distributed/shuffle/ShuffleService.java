package io.kiln.distributed.shuffle;

import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.kiln.error.KilnException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightGrpcUtils;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.auth.ServerAuthHandler;
import org.apache.arrow.flight.grpc.ServerBackpressureThresholdInterceptor;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageMetadataResult;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Serves a worker's map outputs over Arrow Flight: DoGet with a {@link ShuffleLocation#ticket}
 * streams that partition's batches from the task's data file, one at a time, where its index says
 * they are. It waits while the reader's window is full, so
 * a slow reader does not make the worker buffer a whole partition in memory.
 */
public final class ShuffleService extends NoOpFlightProducer {
  /** How long a stream may wait for a reader that takes nothing before it gives up. */
  private static final long STALLED_READER_NANOS = TimeUnit.MINUTES.toNanos(5);

  private final ShuffleFiles files;
  private final BufferAllocator allocator;

  public ShuffleService(ShuffleFiles files, BufferAllocator allocator) {
    this.files = files;
    this.allocator = allocator;
  }

  /** The Flight service to add to a worker's gRPC server, with Flight's own backpressure threshold. */
  public static ServerServiceDefinition bind(ShuffleService service, BufferAllocator allocator,
      ExecutorService executor) {
    return ServerInterceptors.intercept(
        FlightGrpcUtils.createFlightService(allocator, service, ServerAuthHandler.NO_OP, executor),
        new ServerBackpressureThresholdInterceptor(FlightServer.DEFAULT_BACKPRESSURE_THRESHOLD));
  }

  @Override
  public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
    ShuffleLocation.PartitionRef ref;
    try {
      ref = ShuffleLocation.parseTicket(ticket.getBytes());
    } catch (KilnException e) {
      listener.error(CallStatus.INVALID_ARGUMENT.withDescription(e.getMessage()).toRuntimeException());
      return;
    }
    Path indexFile = files.finishedIndex(ref);
    if (indexFile == null) {
      listener.error(CallStatus.NOT_FOUND.withDescription("this worker has no shuffle output for " + ref)
          .toRuntimeException());
      return;
    }
    Path dataFile = files.dataFile(ref.queryId(), ref.stage(), ref.task(), ref.attempt());
    try {
      ShuffleIndex index = ShuffleIndex.read(indexFile);
      if (ref.partition() >= index.partitions()) {
        listener.error(CallStatus.INVALID_ARGUMENT.withDescription(ref + " asks for a partition the output of "
            + index.partitions() + " partitions does not have").toRuntimeException());
        return;
      }
      long[] offsets = index.offsets()[ref.partition()];
      try (FileChannel channel = FileChannel.open(dataFile, StandardOpenOption.READ);
          VectorSchemaRoot root = VectorSchemaRoot.create(
              offsets.length == 0 ? new Schema(List.of()) : MessageSerializer.deserializeSchema(
                  new ReadChannel(channel.position(0))), allocator)) {
        listener.start(root);
        VectorLoader loader = new VectorLoader(root);
        for (long offset : offsets) {
          if (!awaitReady(context, listener)) {
            return;
          }
          try (ArrowRecordBatch batch = readBatch(new ReadChannel(channel.position(offset)), offset)) {
            loader.load(batch);
          }
          listener.putNext();
        }
        listener.completed();
      }
    } catch (Exception e) {
      listener.error(CallStatus.INTERNAL.withDescription("cannot serve " + ref + " from " + dataFile + ": " + e)
          .withCause(e).toRuntimeException());
    }
  }

  /**
   * The record batch message at the channel's position. A batch without columns (only a row count)
   * has an empty body, which Arrow's own reader of a channel turns into a null buffer and fails on.
   */
  private ArrowRecordBatch readBatch(ReadChannel in, long offset) throws IOException {
    MessageMetadataResult message = MessageSerializer.readMessage(in);
    if (message == null || message.getMessage().headerType() != MessageHeader.RecordBatch) {
      throw new IOException("no record batch at offset " + offset);
    }
    long length = message.getMessageBodyLength();
    ArrowBuf body = length == 0 ? allocator.getEmpty() : MessageSerializer.readMessageBody(in, length, allocator);
    return MessageSerializer.deserializeRecordBatch(message, body); // releases the body
  }

  /** Waits until the reader can take more; false if it went away or stalled (the stream is then ended). */
  private static boolean awaitReady(CallContext context, ServerStreamListener listener) {
    long start = System.nanoTime();
    long pause = 50_000;
    while (!listener.isReady()) {
      if (context.isCancelled() || listener.isCancelled()) {
        return false;
      }
      if (System.nanoTime() - start > STALLED_READER_NANOS) {
        listener.error(CallStatus.TIMED_OUT.withDescription("the reader took nothing for "
            + TimeUnit.NANOSECONDS.toSeconds(STALLED_READER_NANOS) + " s").toRuntimeException());
        return false;
      }
      LockSupport.parkNanos(pause);
      pause = Math.min(pause * 2, 10_000_000);
    }
    return true;
  }
}
