package io.kiln.distributed.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kiln.distributed.proto.ClusterProtos;
import io.kiln.distributed.proto.QueriesGrpc;
import io.kiln.error.KilnException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Calls to a scheduler over loopback: passing failures are retried and counted by method, others are not. */
class SchedulerEndpointsTest {
  @Test
  void passingFailuresAreRetriedAndCountedByMethod() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Server server = Rpc.server("127.0.0.1", 0, ClusterAuth.NONE).addService(new QueriesGrpc.QueriesImplBase() {
      @Override
      public void clusterInfo(ClusterProtos.ClusterInfoRequest request,
          StreamObserver<ClusterProtos.ClusterInfoResponse> out) {
        if (calls.incrementAndGet() <= 2) {
          out.onError(Status.UNAVAILABLE.withDescription("not yet").asRuntimeException());
          return;
        }
        out.onNext(ClusterProtos.ClusterInfoResponse.getDefaultInstance());
        out.onCompleted();
      }

      @Override
      public void cancel(ClusterProtos.CancelRequest request, StreamObserver<ClusterProtos.QueryStatus> out) {
        out.onError(Status.NOT_FOUND.withDescription("no query " + request.getQueryId()).asRuntimeException());
      }
    }).build().start();
    try (SchedulerEndpoints schedulers = new SchedulerEndpoints("127.0.0.1:" + server.getPort(), ClusterAuth.NONE)) {
      schedulers.call(QueriesGrpc.getClusterInfoMethod(), "asking for workers",
          ch -> QueriesGrpc.newBlockingStub(ch).clusterInfo(ClusterProtos.ClusterInfoRequest.getDefaultInstance()));
      assertEquals(3, calls.get());
      assertThrows(KilnException.class, () -> schedulers.call(QueriesGrpc.getCancelMethod(), "cancelling q1",
          ch -> QueriesGrpc.newBlockingStub(ch).cancel(ClusterProtos.CancelRequest.newBuilder().setQueryId("q1").build())));
      assertEquals(Map.of("ClusterInfo", 2L, "Cancel", 0L), schedulers.retries());
    } finally {
      server.shutdownNow();
      server.awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
