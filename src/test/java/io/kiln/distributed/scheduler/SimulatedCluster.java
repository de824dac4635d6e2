package io.kiln.distributed.scheduler;

import io.kiln.distributed.proto.ClusterProtos;
import io.kiln.error.KilnException;
import io.kiln.util.DaemonThreads;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The real {@link KilnScheduler} with {@link SimulatedWorker}s in this process: the workers
 * register, heartbeat and report through the scheduler's own entry points, and the scheduler
 * launches tasks on them through its {@link WorkerClient} seam. Its gRPC server still listens
 * on a free loopback port; nothing calls it.
 */
final class SimulatedCluster implements AutoCloseable {
  /** As io.kiln.distributed.client.ClusterClient waits for a query: each answer is a status with its explain text. */
  static final long POLL_MILLIS = 500;

  private final KilnScheduler scheduler;
  private final Map<String, SimulatedWorker> workers = new ConcurrentHashMap<>();
  private final ScheduledExecutorService taskThreads;
  private final ScheduledExecutorService heartbeats;
  private final SimulationLog log = new SimulationLog();

  /**
   * {@code workers} workers of {@code slotsPerWorker} slots, whose tasks end {@code taskDelayMicros}
   * after they start, on {@code taskThreads} threads shared by all (the machine's cores, not the
   * workers', bound how many reports are made at once).
   */
  SimulatedCluster(int workers, int slotsPerWorker, long taskDelayMicros, int taskThreads, SimulatedFaults faults,
      boolean checkInputs) {
    this(SchedulerOptions.defaults(), workers, slotsPerWorker, taskDelayMicros, taskThreads, faults, checkInputs);
  }

  /** The same, with a scheduler of {@code options} (its heartbeat interval is the workers'). */
  SimulatedCluster(SchedulerOptions options, int workers, int slotsPerWorker, long taskDelayMicros, int taskThreads,
      SimulatedFaults faults, boolean checkInputs) {
    this.scheduler = KilnScheduler.start(options.withAddress("127.0.0.1", 0),
        (id, host, port) -> this.workers.get(id));
    this.taskThreads = Executors.newScheduledThreadPool(taskThreads, DaemonThreads.named("sim-task"));
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("sim-heartbeat"));
    SimulatedWorker.Shared shared = new SimulatedWorker.Shared(scheduler, this.taskThreads, taskDelayMicros, faults,
        log, checkInputs);
    for (int i = 0; i < workers; i++) {
      SimulatedWorker w = new SimulatedWorker(i, slotsPerWorker, shared);
      this.workers.put(w.id(), w);
      w.register();
    }
    heartbeats.scheduleWithFixedDelay(() -> this.workers.values().forEach(SimulatedWorker::heartbeat),
        options.heartbeatMillis(), options.heartbeatMillis(), TimeUnit.MILLISECONDS);
  }

  KilnScheduler scheduler() {
    return scheduler;
  }

  SimulationLog log() {
    return log;
  }

  String submit(ClusterProtos.SubmitRequest request) {
    return scheduler.submit(request);
  }

  /**
   * Waits for the query to end, up to {@code timeoutMillis}, asking every {@link #POLL_MILLIS} as a
   * client does; its final status.
   */
  ClusterProtos.QueryStatus await(String queryId, long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      ClusterProtos.QueryStatus s = scheduler.await(queryId, POLL_MILLIS);
      if (s.getState() != ClusterProtos.QueryState.QUERY_STATE_RUNNING) {
        return s;
      }
      if (System.nanoTime() > deadline) {
        throw KilnException.cluster("simulated query " + queryId + " still runs after " + timeoutMillis + " ms:\n"
            + s.getExplain());
      }
    }
  }

  /** Worker {@code id} dies: no more heartbeats, reports or launches; what it ran is lost with it. */
  void kill(String id) {
    workers.get(id).kill();
  }

  /** The client has read the result: the scheduler forgets the query. */
  void closeQuery(String queryId) {
    scheduler.close(queryId);
  }

  @Override
  public void close() {
    heartbeats.shutdownNow();
    scheduler.close();
    taskThreads.shutdownNow();
  }

}
