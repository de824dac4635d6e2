package io.kiln.distributed.scheduler;

import java.util.concurrent.atomic.AtomicLong;

/** A registered worker as the scheduler sees it: where it is, its slots, when it was last heard of. */
final class WorkerHandle {
  private static final AtomicLong JOINED = new AtomicLong();

  final String id;
  final String host;
  final int port;
  final int slots;
  final WorkerClient client;
  /** Orders workers with equally many free slots. */
  final long joinOrder = JOINED.incrementAndGet();
  /** Guarded by the scheduler's lock; changed only through {@link FreeSlots}, which orders workers by it. */
  int busy;
  long lastSeenNanos;
  /** Arrow memory it reported holding at its last heartbeat. */
  long memoryBytes;
  /** When its last task ended (or it joined): with no task running, it has been idle since. */
  long idleSinceNanos = System.nanoTime();
  /**
   * The task attempts launched on this handle and not yet reported: a report frees a slot only if
   * its attempt is here, so a late report of an attempt launched on the worker's previous handle
   * (before it was declared lost and registered again) frees none of this one's.
   */
  final java.util.Map<String, QueryRun.Task> launched = new java.util.HashMap<>();
  /**
   * Of those, the ones the worker accepted (its LaunchTask answer came back), each with how many
   * heartbeats since did not list it as running: only an accepted attempt can be missed.
   */
  final java.util.Map<String, Integer> unlisted = new java.util.HashMap<>();
  /** It is leaving: no new tasks; it goes once nothing it runs or holds is needed. */
  boolean draining;

  WorkerHandle(String id, String host, int port, int slots, WorkerClient client) {
    this.id = id;
    this.host = host;
    this.port = port;
    this.slots = slots;
    this.client = client;
    this.lastSeenNanos = System.nanoTime();
  }

  static String attempt(String query, int stage, int task, int attempt) {
    return query + "/" + stage + "/" + task + "/" + attempt;
  }

  int free() {
    return slots - busy;
  }

  String address() {
    return host + ":" + port;
  }
}
