package io.kiln.distributed.scheduler;

/** A registered worker as the scheduler sees it: where it is, its slots, when it was last heard of. */
final class WorkerHandle {
  final String id;
  final String host;
  final int port;
  final int slots;
  final WorkerClient client;
  /** Guarded by the scheduler's lock. */
  int busy;
  long lastSeenNanos;

  WorkerHandle(String id, String host, int port, int slots, WorkerClient client) {
    this.id = id;
    this.host = host;
    this.port = port;
    this.slots = slots;
    this.client = client;
    this.lastSeenNanos = System.nanoTime();
  }

  int free() {
    return slots - busy;
  }

  String address() {
    return host + ":" + port;
  }
}
