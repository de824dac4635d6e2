package io.kiln.distributed.worker;

import io.kiln.distributed.rpc.ClusterAuth;

import java.nio.file.Path;

/**
 * How a worker starts: the scheduler it joins, where it listens (port 0: any free one), how many
 * tasks it runs at once, how much Arrow memory they may hold together, the folder for its
 * shuffle files (null: a temporary folder, deleted when the worker stops), and the address others
 * reach it at if not where it listens (behind NAT, a proxy or a container's port mapping; null: the
 * same).
 */
public record WorkerOptions(String scheduler, String host, int port, int slots, long memoryLimit, Path workDir,
    long heartbeatMillis, ClusterAuth auth, String advertised, io.kiln.observe.TracingOptions tracing) {
  public WorkerOptions {
    java.util.Objects.requireNonNull(auth, "auth");
    java.util.Objects.requireNonNull(tracing, "tracing");
    if (slots < 1) {
      throw new IllegalArgumentException("a worker needs at least 1 slot, got " + slots);
    }
    if (memoryLimit < 1) {
      throw new IllegalArgumentException("the memory limit must be positive, got " + memoryLimit);
    }
    if (heartbeatMillis < 1) {
      throw new IllegalArgumentException("the heartbeat interval must be positive, got " + heartbeatMillis);
    }
  }

  public static WorkerOptions defaults(String scheduler) {
    return new WorkerOptions(scheduler, "127.0.0.1", 0, Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() / 4 * 3, null, 1_000, ClusterAuth.NONE, null,
        io.kiln.observe.TracingOptions.NONE);
  }

  public WorkerOptions withSlots(int n) {
    return new WorkerOptions(scheduler, host, port, n, memoryLimit, workDir, heartbeatMillis, auth, advertised, tracing);
  }

  public WorkerOptions withMemoryLimit(long bytes) {
    return new WorkerOptions(scheduler, host, port, slots, bytes, workDir, heartbeatMillis, auth, advertised, tracing);
  }

  public WorkerOptions withAddress(String h, int p) {
    return new WorkerOptions(scheduler, h, p, slots, memoryLimit, workDir, heartbeatMillis, auth, advertised, tracing);
  }

  /** The cluster's shared secret: carried on every call, required of every call to this worker. */
  public WorkerOptions withAuth(ClusterAuth a) {
    return new WorkerOptions(scheduler, host, port, slots, memoryLimit, workDir, heartbeatMillis, a, advertised, tracing);
  }

  public WorkerOptions withWorkDir(Path dir) {
    return new WorkerOptions(scheduler, host, port, slots, memoryLimit, dir, heartbeatMillis, auth, advertised, tracing);
  }

  /** Others reach this worker at {@code hostPort}, which forwards to where it listens. */
  public WorkerOptions withAdvertisedAddress(String hostPort) {
    return new WorkerOptions(scheduler, host, port, slots, memoryLimit, workDir, heartbeatMillis, auth, hostPort, tracing);
  }

  /** Where the worker sends its traces. */
  public WorkerOptions withTracing(io.kiln.observe.TracingOptions t) {
    return new WorkerOptions(scheduler, host, port, slots, memoryLimit, workDir, heartbeatMillis, auth, advertised, t);
  }
}
