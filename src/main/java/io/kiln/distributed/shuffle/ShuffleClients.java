package io.kiln.distributed.shuffle;

import io.kiln.distributed.rpc.ClusterAuth;
import io.kiln.distributed.rpc.Rpc;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightGrpcUtils;
import org.apache.arrow.memory.BufferAllocator;

/**
 * One Flight client per worker that serves shuffle output, shared by the tasks that read from it.
 * Fetched batches are allocated from {@code allocator} and then handed to the reading task's
 * allocator, so the two must share a root.
 */
public final class ShuffleClients implements AutoCloseable {
  private final BufferAllocator allocator;
  private final Map<String, FlightClient> clients = new ConcurrentHashMap<>();
  private volatile boolean closed;
  /** Bytes of the batches fetched through these clients, for metrics. */
  private final java.util.concurrent.atomic.LongAdder fetchedBytes = new java.util.concurrent.atomic.LongAdder();

  private final ClusterAuth auth;
  private final io.kiln.observe.Tracing tracing;

  public ShuffleClients(BufferAllocator allocator, ClusterAuth auth) {
    this(allocator, auth, io.kiln.observe.Tracing.OFF);
  }

  /** Clients whose fetches get spans and carry the fetching task's trace context when tracing is on. */
  public ShuffleClients(BufferAllocator allocator, ClusterAuth auth, io.kiln.observe.Tracing tracing) {
    this.allocator = allocator;
    this.auth = auth;
    this.tracing = tracing;
  }

  public long fetchedBytes() {
    return fetchedBytes.sum();
  }

  void fetched(long bytes) {
    fetchedBytes.add(bytes);
  }

  FlightClient client(String host, int port) {
    if (closed) {
      throw new IllegalStateException("the shuffle clients are closed");
    }
    // closing a client made this way shuts its channel down too
    return clients.computeIfAbsent(host + ":" + port,
        k -> FlightGrpcUtils.createFlightClient(allocator, Rpc.channel(host, port, auth, tracing)));
  }

  @Override
  public void close() {
    closed = true;
    List<Exception> errors = new ArrayList<>();
    for (FlightClient c : clients.values()) {
      try {
        c.close();
      } catch (Exception e) {
        errors.add(e);
      }
    }
    clients.clear();
    if (!errors.isEmpty()) {
      IllegalStateException e = new IllegalStateException("cannot close the shuffle clients", errors.get(0));
      errors.stream().skip(1).forEach(e::addSuppressed);
      throw e;
    }
  }
}
