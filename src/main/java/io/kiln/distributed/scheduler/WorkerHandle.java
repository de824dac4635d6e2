package io.kiln.distributed.scheduler;

import io.grpc.ManagedChannel;
import io.kiln.distributed.proto.WorkerGrpc;
import io.kiln.distributed.rpc.ClusterAuth;
import io.kiln.distributed.rpc.Rpc;

/** A registered worker as the scheduler sees it: where it is, its slots, when it was last heard of. */
final class WorkerHandle {
  final String id;
  final String host;
  final int port;
  final int slots;
  final ManagedChannel channel;
  final WorkerGrpc.WorkerBlockingStub stub;
  /** Guarded by the scheduler's lock. */
  int busy;
  long lastSeenNanos;

  WorkerHandle(String id, String host, int port, int slots, ClusterAuth auth) {
    this.id = id;
    this.host = host;
    this.port = port;
    this.slots = slots;
    this.channel = Rpc.channel(host, port, auth);
    this.stub = WorkerGrpc.newBlockingStub(channel);
    this.lastSeenNanos = System.nanoTime();
  }

  int free() {
    return slots - busy;
  }

  String address() {
    return host + ":" + port;
  }
}
