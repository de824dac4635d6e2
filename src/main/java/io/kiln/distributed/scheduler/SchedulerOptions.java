package io.kiln.distributed.scheduler;

import io.kiln.distributed.ha.HaOptions;
import io.kiln.distributed.rpc.ClusterAuth;

/**
 * How a scheduler runs: where it listens (port 0: any free one); how often workers heartbeat and
 * how long a silent one lives before it is declared lost; how many attempts a task gets for
 * failures that may pass (a lost worker, no memory); how many times a finished stage may lose
 * outputs and run again; which build sides are broadcast; who may call it; and, for a scheduler
 * with standbys, the ZooKeeper it is elected in (null: it runs alone).
 */
public record SchedulerOptions(String host, int port, long heartbeatMillis, long workerTimeoutMillis,
    int maxTaskAttempts, int maxStageAttempts, long broadcastMaxRows, ClusterAuth auth, HaOptions ha,
    io.kiln.observe.TracingOptions tracing) {
  public SchedulerOptions {
    java.util.Objects.requireNonNull(auth, "auth");
    java.util.Objects.requireNonNull(tracing, "tracing");
    if (heartbeatMillis < 1 || workerTimeoutMillis <= heartbeatMillis) {
      throw new IllegalArgumentException("a worker must be allowed more than one heartbeat interval ("
          + heartbeatMillis + " ms) before it is lost, got " + workerTimeoutMillis + " ms");
    }
    if (maxTaskAttempts < 1 || maxStageAttempts < 1) {
      throw new IllegalArgumentException("tasks and stages need at least 1 attempt, got " + maxTaskAttempts + " and "
          + maxStageAttempts);
    }
  }

  public static final int DEFAULT_PORT = 50050;

  public static SchedulerOptions defaults() {
    return new SchedulerOptions("127.0.0.1", DEFAULT_PORT, 1_000, 10_000, 4, 4, 1_000_000, ClusterAuth.NONE, null,
        io.kiln.observe.TracingOptions.NONE);
  }

  public SchedulerOptions withAddress(String h, int p) {
    return new SchedulerOptions(h, p, heartbeatMillis, workerTimeoutMillis, maxTaskAttempts, maxStageAttempts,
        broadcastMaxRows, auth, ha, tracing);
  }

  /** Calls to the scheduler must carry this cluster's token, and its calls to workers carry it. */
  public SchedulerOptions withAuth(ClusterAuth a) {
    return new SchedulerOptions(host, port, heartbeatMillis, workerTimeoutMillis, maxTaskAttempts, maxStageAttempts,
        broadcastMaxRows, a, ha, tracing);
  }

  /** Workers heartbeat every {@code heartbeat} ms and are declared lost after {@code timeout} ms of silence. */
  public SchedulerOptions withLiveness(long heartbeat, long timeout) {
    return new SchedulerOptions(host, port, heartbeat, timeout, maxTaskAttempts, maxStageAttempts, broadcastMaxRows,
        auth, ha, tracing);
  }

  /** Attempts a task gets for failures that may pass, and times a finished stage may lose outputs and run again. */
  public SchedulerOptions withAttempts(int task, int stage) {
    return new SchedulerOptions(host, port, heartbeatMillis, workerTimeoutMillis, task, stage, broadcastMaxRows, auth, ha, tracing);
  }

  /** Elected in ZooKeeper among schedulers of the same cluster name: one leads, the others stand by. */
  public SchedulerOptions withHighAvailability(HaOptions h) {
    return new SchedulerOptions(host, port, heartbeatMillis, workerTimeoutMillis, maxTaskAttempts, maxStageAttempts,
        broadcastMaxRows, auth, h, tracing);
  }

  /** Where the scheduler (and the workers of a local cluster) send their traces. */
  public SchedulerOptions withTracing(io.kiln.observe.TracingOptions t) {
    return new SchedulerOptions(host, port, heartbeatMillis, workerTimeoutMillis, maxTaskAttempts, maxStageAttempts,
        broadcastMaxRows, auth, ha, t);
  }
}
