package io.kiln.distributed.client;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.kiln.catalog.ScanTask;
import io.kiln.data.Batch;
import io.kiln.distributed.proto.ClusterProtos;
import io.kiln.distributed.proto.QueriesGrpc;
import io.kiln.distributed.rpc.RemoteErrors;
import io.kiln.distributed.rpc.ClusterAuth;
import io.kiln.distributed.rpc.Rpc;
import io.kiln.distributed.rpc.SchedulerEndpoints;
import io.kiln.distributed.shuffle.FetchFailedException;
import io.kiln.distributed.shuffle.ShuffleClients;
import io.kiln.distributed.shuffle.ShuffleInputSource;
import io.kiln.distributed.shuffle.ShuffleLocation;
import io.kiln.error.KilnException;
import io.kiln.exec.ExecContext;
import io.kiln.physical.Batches;
import io.kiln.physical.plan.PhysicalNode;
import io.kiln.physical.plan.PlanProto;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;

/**
 * A session's link to a cluster: submits a plan made for the cluster's slots, waits for it, and
 * fetches its result's rows over Flight from the worker that holds them. The query's files on the
 * workers are released once the rows are read, or when the query fails or is cancelled. Given the
 * addresses of several schedulers, it follows the one that leads: a query submitted before a
 * failover is awaited at the new leader, which took it over.
 */
public final class ClusterClient implements AutoCloseable {
  private static final long POLL_MILLIS = 500;
  /** Times a query's result may be lost (its worker dying) and made again before the query fails. */
  private static final int MAX_RESULT_LOSSES = 4;

  private final SchedulerEndpoints schedulers;
  private final BufferAllocator allocator;
  private final ShuffleClients shuffle;

  public ClusterClient(String address, BufferAllocator allocator, ClusterAuth auth) {
    this(address, allocator, auth, io.kiln.observe.Tracing.OFF);
  }

  /** A client whose calls to the scheduler and fetches of results join the caller's trace when tracing is on. */
  public ClusterClient(String address, BufferAllocator allocator, ClusterAuth auth, io.kiln.observe.Tracing tracing) {
    this.schedulers = new SchedulerEndpoints(address, auth, tracing);
    this.allocator = allocator.newChildAllocator("cluster results", 0, allocator.getLimit());
    this.shuffle = new ShuffleClients(this.allocator, auth, tracing);
  }

  /** The latest status of each query running now, for progress. */
  private final java.util.Map<String, ClusterProtos.QueryStatus> running = new java.util.concurrent.ConcurrentHashMap<>();

  /** The latest status the scheduler gave of each of this client's queries that run now. */
  public java.util.Collection<ClusterProtos.QueryStatus> runningQueries() {
    return java.util.List.copyOf(running.values());
  }

  /** Retries of calls to the scheduler so far, by gRPC method. */
  public java.util.Map<String, Long> retries() {
    return schedulers.retries();
  }

  /** The scheduler's address, or the addresses of the schedulers. */
  public String address() {
    return schedulers.addresses();
  }

  private static QueriesGrpc.QueriesBlockingStub queries(ManagedChannel channel, long deadlineMillis) {
    return QueriesGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
  }

  /** The workers and slots the scheduler has now. */
  public ClusterProtos.ClusterInfoResponse info() {
    return schedulers.call(QueriesGrpc.getClusterInfoMethod(), "asking the scheduler for its workers", ch -> queries(ch, Rpc.DEFAULT_DEADLINE_MILLIS)
        .clusterInfo(ClusterProtos.ClusterInfoRequest.getDefaultInstance()));
  }

  /**
   * Runs {@code plan} (a plan for the cluster, with its exchanges) and returns its rows, allocated
   * from {@code into}; the caller closes them. A cancel of {@code ctx} cancels the query.
   */
  /** A query's rows (the caller closes them) and its stages with their rows, bytes and time. */
  public record Ran(List<Batch> batches, String stages) {}

  public Ran run(String sql, PhysicalNode.Result plan, List<ClusterProtos.TableDefinition> tables,
      ClusterProtos.ExecutionMode mode, ClusterProtos.CodegenSettings codegen, ExecContext ctx) {
    ClusterProtos.SubmitRequest.Builder submit = ClusterProtos.SubmitRequest.newBuilder().setSql(sql).setMode(mode)
        .setUser(System.getProperty("user.name", "")).setPlan(PlanProto.toProto(plan)).addAllTables(tables);
    if (codegen != null) {
      submit.setCodegen(codegen);
    }
    ClusterProtos.SubmitRequest request = submit.build();
    // Retried only where the submit surely did not arrive (refused by a standby, no connection):
    // one that timed out may have started the query, and a second submit would run it twice.
    String id = schedulers.call(QueriesGrpc.getSubmitMethod(), "submitting a query", ch -> {
      try {
        return queries(ch, Rpc.DEFAULT_DEADLINE_MILLIS * 3).submit(request).getQueryId();
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == io.grpc.Status.Code.DEADLINE_EXCEEDED) {
          throw RemoteErrors.ofCall("submitting a query", schedulers.current(), e);
        }
        throw e;
      }
    });
    try {
      for (int lost = 0; ; lost++) {
        ClusterProtos.QueryStatus status = awaitEnd(id, ctx);
        switch (status.getState()) {
          case QUERY_STATE_SUCCEEDED:
            try {
              return new Ran(fetch(id, status.getResultList(), ctx), status.getExplain());
            } catch (FetchFailedException e) {
              // the worker holding part of the result died: the scheduler makes that part again
              if (lost >= MAX_RESULT_LOSSES) {
                throw e;
              }
              resultLost(id, e);
            }
            break;
          case QUERY_STATE_CANCELLED:
            throw status.hasError() ? RemoteErrors.fromProto(status.getError())
                : KilnException.cancelled("query " + id + " was cancelled");
          default:
            throw RemoteErrors.fromProto(status.getError());
        }
      }
    } finally {
      running.remove(id);
      closeQuietly(id);
    }
  }

  private void resultLost(String id, FetchFailedException e) {
    ClusterProtos.ResultLostRequest request = ClusterProtos.ResultLostRequest.newBuilder().setQueryId(id)
        .setTask(e.location().task()).setAttempt(e.location().attempt()).setReason(e.getMessage()).build();
    schedulers.call(QueriesGrpc.getResultLostMethod(), "reporting a lost result of query " + id,
        ch -> queries(ch, Rpc.DEFAULT_DEADLINE_MILLIS).resultLost(request));
  }

  private ClusterProtos.QueryStatus awaitEnd(String id, ExecContext ctx) {
    while (true) {
      if (ctx.isCancelled()) {
        try {
          schedulers.call(QueriesGrpc.getCancelMethod(), "cancelling query " + id, ch -> queries(ch, Rpc.DEFAULT_DEADLINE_MILLIS)
              .cancel(ClusterProtos.CancelRequest.newBuilder().setQueryId(id).build()));
        } catch (RuntimeException e) {
          KilnException cancelled = KilnException.cancelled("query " + id + " was cancelled");
          cancelled.addSuppressed(e);
          throw cancelled;
        }
        throw KilnException.cancelled("query " + id + " was cancelled");
      }
      ClusterProtos.QueryStatus status = schedulers.call(QueriesGrpc.getAwaitMethod(), "waiting for query " + id,
          ch -> queries(ch, POLL_MILLIS + Rpc.DEFAULT_DEADLINE_MILLIS)
              .await(ClusterProtos.WaitRequest.newBuilder().setQueryId(id).setWaitMillis(POLL_MILLIS).build()));
      if (status.getState() != ClusterProtos.QueryState.QUERY_STATE_RUNNING) {
        running.remove(id);
        return status;
      }
      running.put(id, status);
    }
  }

  private List<Batch> fetch(String id, List<ClusterProtos.MapOutputLocation> result, ExecContext ctx) {
    List<ShuffleLocation> maps = new ArrayList<>();
    for (ClusterProtos.MapOutputLocation m : result) {
      maps.add(new ShuffleLocation(m.getHost(), m.getPort(), id, m.getStageId(), m.getMapTask(), m.getAttempt()));
    }
    List<Batch> rows = new ArrayList<>();
    try {
      for (ScanTask task : new ShuffleInputSource(shuffle, maps, 0, -1, "result of query " + id).tasks(ctx)) {
        try (task) {
          task.run(ctx.allocator(), rows::add, ctx::isCancelled);
        }
      }
    } catch (RuntimeException e) {
      Batches.closeAll(rows);
      throw e;
    }
    return rows;
  }

  private void closeQuietly(String id) {
    try {
      schedulers.call(QueriesGrpc.getCloseMethod(), "closing query " + id, ch -> queries(ch, Rpc.DEFAULT_DEADLINE_MILLIS)
          .close(ClusterProtos.CloseRequest.newBuilder().setQueryId(id).build()));
    } catch (RuntimeException e) {
      // The scheduler forgets finished queries after a while and deletes their files then.
      org.slf4j.LoggerFactory.getLogger(ClusterClient.class).warn("could not close query {} at {}: {}", id,
          schedulers.current(), e.toString());
    }
  }

  @Override
  public void close() {
    shuffle.close();
    schedulers.close();
    allocator.close();
  }
}
