package io.kiln.distributed.scheduler;

import io.grpc.ManagedChannel;
import io.kiln.distributed.proto.ClusterProtos;
import io.kiln.distributed.proto.WorkerGrpc;
import io.kiln.distributed.rpc.ClusterAuth;
import io.kiln.distributed.rpc.Rpc;
import java.util.concurrent.TimeUnit;

/** A worker's Worker service over gRPC, every call with the default deadline and the cluster's token. */
final class GrpcWorkerClient implements WorkerClient {
  private final ManagedChannel channel;
  private final WorkerGrpc.WorkerBlockingStub stub;

  GrpcWorkerClient(String host, int port, ClusterAuth auth, io.kiln.observe.Tracing tracing) {
    this.channel = Rpc.channel(host, port, auth, tracing);
    this.stub = WorkerGrpc.newBlockingStub(channel);
  }

  @Override
  public void launchTask(ClusterProtos.TaskDefinition task) {
    stub.withDeadlineAfter(Rpc.DEFAULT_DEADLINE_MILLIS, TimeUnit.MILLISECONDS).launchTask(task);
  }

  @Override
  public void endQuery(String queryId, long leaderEpoch) {
    stub.withDeadlineAfter(Rpc.DEFAULT_DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
        .endQuery(ClusterProtos.EndQueryRequest.newBuilder().setQueryId(queryId).setLeaderEpoch(leaderEpoch).build());
  }

  @Override
  public void close() {
    Rpc.shutdown(channel);
  }
}
