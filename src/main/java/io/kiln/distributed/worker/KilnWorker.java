package io.kiln.distributed.worker;

import io.kiln.observe.Tracing;
import io.opentelemetry.context.Context;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kiln.codegen.CompiledPipelines;
import io.kiln.distributed.KilnVersion;
import io.kiln.distributed.TableDefinitions;
import io.kiln.distributed.proto.ClusterProtos;
import io.kiln.distributed.proto.SchedulerGrpc;
import io.kiln.distributed.proto.WorkerGrpc;
import io.kiln.distributed.rpc.Backoff;
import io.kiln.distributed.rpc.CarriedError;
import io.kiln.distributed.rpc.Rpc;
import io.kiln.distributed.rpc.SchedulerEndpoints;
import io.kiln.distributed.shuffle.ShuffleClients;
import io.kiln.distributed.shuffle.ShuffleFiles;
import io.kiln.distributed.shuffle.ShuffleService;
import io.kiln.error.KilnException;
import io.kiln.exec.ExactRounding;
import io.kiln.physical.PipelineBodies;
import io.kiln.util.DaemonThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.AllocationListener;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process's engine: registers with the scheduler, runs the tasks it is given in its
 * slots (each task's memory a child of the worker's limit), serves its shuffle files over Arrow
 * Flight on the same port as its Worker service, and heartbeats from a thread of its own so a
 * busy worker is never taken for a dead one.
 */
public final class KilnWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KilnWorker.class);

  private final WorkerOptions options;
  private final String id;
  private final BufferAllocator root;
  private final Path workDir;
  private final boolean ownsWorkDir;
  private final ShuffleFiles files;
  private final ShuffleClients clients;
  /** Spans for tasks, their pipelines and fetches; the calls this worker makes and takes carry their context. */
  private final Tracing tracing;
  private final BufferAllocator fetchAllocator;
  private final BufferAllocator serveAllocator;
  private final ExecutorService taskThreads;
  private final ExecutorService pipelinePool;
  private final ExecutorService flightThreads;
  private final ScheduledExecutorService heartbeats;
  private volatile boolean draining;
  /** Counted down when the scheduler lets a draining worker go. */
  private final java.util.concurrent.CountDownLatch drained = new java.util.concurrent.CountDownLatch(1);
  private final CompiledPipelines compiled = new CompiledPipelines(true, null, CompiledPipelines.DEFAULT_MIN_ROWS);
  private final Map<String, TaskRun> running = new ConcurrentHashMap<>();
  /** Attempts that ended and whose report is on its way: heartbeats list them with the running ones. */
  private final java.util.Set<String> reporting = ConcurrentHashMap.newKeySet();
  /** Per query: its tables, opened at its first task here and closed when it ends. */
  private final Map<String, TableDefinitions> queryTables = new ConcurrentHashMap<>();
  private final AtomicInteger busySlots = new AtomicInteger();
  private final Server server;
  private final SchedulerEndpoints schedulers;
  /**
   * The newest leader epoch this worker has heard of: launches and ends from an older (deposed)
   * scheduler are refused, and tasks it started are stopped once a newer one is known.
   */
  private volatile long leaderEpoch;
  /** Where the scheduler, other workers and clients reach it. */
  private final String advertisedHost;
  private final int advertisedPort;
  private volatile boolean closed;
  private final io.kiln.observe.KilnMetrics metrics = io.kiln.observe.KilnMetrics.withJvm();
  /** What this worker's scans read: kiln_rows_read_total, kiln_bytes_read_total. */
  private final io.kiln.catalog.ReadTotals reads = new io.kiln.catalog.ReadTotals();
  /** Bytes this worker's tasks spilled (under its work directory), for {@code kiln_spill_bytes_total}. */
  private final java.util.concurrent.atomic.LongAdder spilledBytes = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder shuffleBytesWritten = new java.util.concurrent.atomic.LongAdder();

  private KilnWorker(WorkerOptions options) throws IOException {
    this.options = options;
    this.tracing = Tracing.start(options.tracing(), "kiln-worker");
    this.root = new RootAllocator(AllocationListener.NOOP, options.memoryLimit(), ExactRounding.INSTANCE);
    this.ownsWorkDir = options.workDir() == null;
    this.workDir = ownsWorkDir ? Files.createTempDirectory("kiln-worker-") : Files.createDirectories(options.workDir());
    this.files = new ShuffleFiles(workDir);
    this.fetchAllocator = root.newChildAllocator("shuffle fetch", 0, root.getLimit());
    this.serveAllocator = root.newChildAllocator("shuffle serve", 0, root.getLimit());
    this.clients = new ShuffleClients(fetchAllocator, options.auth(), tracing);
    this.taskThreads = Executors.newFixedThreadPool(options.slots(), DaemonThreads.named("kiln-task"));
    this.pipelinePool = Executors.newFixedThreadPool(options.slots(), DaemonThreads.named("kiln-pipeline"));
    this.flightThreads = Executors.newCachedThreadPool(DaemonThreads.named("kiln-flight"));
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("kiln-heartbeat"));
    this.server = Rpc.server(options.host(), options.port(), options.auth(), tracing)
        .addService(new WorkerService())
        .addService(ShuffleService.bind(new ShuffleService(files, serveAllocator), serveAllocator, flightThreads))
        .build()
        .start();
    if (options.advertised() == null) {
      this.advertisedHost = options.host();
      this.advertisedPort = server.getPort();
    } else {
      InetSocketAddress a = Rpc.address(options.advertised());
      this.advertisedHost = a.getHostString();
      this.advertisedPort = a.getPort();
    }
    this.id = advertisedHost + ":" + advertisedPort + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.schedulers = new SchedulerEndpoints(options.scheduler(), options.auth(), tracing);
    metrics.gauge("kiln_tasks_running", "Task attempts running on this worker.", running::size);
    metrics.gauge("kiln_memory_reserved_bytes", "Arrow memory this worker's tasks and shuffle hold.",
        root::getAllocatedMemory);
    metrics.counter("kiln_shuffle_bytes_written_total", "Bytes of shuffle output this worker's tasks wrote.",
        shuffleBytesWritten::sum);
    metrics.counter("kiln_shuffle_bytes_fetched_total", "Bytes of shuffle input this worker's tasks fetched.",
        clients::fetchedBytes);
    compiled.metrics().exportTo(metrics);
    metrics.exportReads(reads);
    metrics.counter("kiln_spill_bytes_total", "Bytes this worker's tasks spilled to disk because their state outgrew the"
        + " memory limit.", spilledBytes::sum);
    metrics.counter("kiln_rpc_retries_total", "Calls to the scheduler retried after a passing failure, by gRPC method.",
        "method", schedulers::retries);
  }

  /** Starts the worker and registers it; fails with a clear error if the scheduler refuses or cannot be reached. */
  public static KilnWorker start(WorkerOptions options) {
    KilnWorker w;
    try {
      w = new KilnWorker(options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a worker on " + options.host() + ":" + options.port(), e);
    }
    try {
      // the scheduler says how often: it declares workers lost by its own timeout
      long interval = w.register();
      w.heartbeats.scheduleWithFixedDelay(w::heartbeat, interval, interval, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      w.close();
      throw e;
    }
    return w;
  }

  public String id() {
    return id;
  }

  /** This worker's metrics, for its metrics server. */
  public io.kiln.observe.KilnMetrics metrics() {
    return metrics;
  }

  public int port() {
    return server.getPort();
  }

  /** Joins the scheduler; the heartbeat interval it asks for. */
  private long register() {
    ClusterProtos.RegisterWorkerRequest request = ClusterProtos.RegisterWorkerRequest.newBuilder()
        .setWorkerId(id).setHost(advertisedHost).setPort(advertisedPort).setSlots(options.slots())
        .setMemoryLimitBytes(options.memoryLimit()).setVersion(KilnVersion.get()).build();
    ClusterProtos.RegisterWorkerResponse r = schedulers.call(SchedulerGrpc.getRegisterWorkerMethod(), "registering with the scheduler", new Backoff(20, 100, 2_000),
        ch -> SchedulerGrpc.newBlockingStub(ch).withDeadlineAfter(Rpc.DEFAULT_DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
            .registerWorker(request));
    LOG.info("worker {} registered with the scheduler at {} ({} slots, {} bytes, leader epoch {})", id,
        schedulers.current(), options.slots(), options.memoryLimit(), r.getLeaderEpoch());
    followEpoch(r.getLeaderEpoch());
    return r.getHeartbeatIntervalMillis() > 0 ? r.getHeartbeatIntervalMillis() : options.heartbeatMillis();
  }

  /** Runs on its own thread: a long task never delays it. */
  private void heartbeat() {
    if (drained.getCount() == 0) {
      return; // let go: a heartbeat now would only make the scheduler take it back
    }
    try {
      // reporting first: an attempt moves from running to reporting, and must not be missed between the two
      java.util.List<String> attempts = new java.util.ArrayList<>(reporting);
      attempts.addAll(running.keySet());
      ClusterProtos.HeartbeatRequest.Builder beat = ClusterProtos.HeartbeatRequest.newBuilder().setWorkerId(id)
          .setRunningTasks(running.size()).setDraining(draining).addAllRunningAttempts(attempts)
          .setMemoryReservedBytes(root.getAllocatedMemory());
      running.forEach((attempt, run) -> beat.addProgress(ClusterProtos.AttemptProgress.newBuilder()
          .setAttempt(attempt).setRowsRead(run.rowsRead())));
      ClusterProtos.HeartbeatResponse r = schedulers.once(ch -> SchedulerGrpc.newBlockingStub(ch)
          .withDeadlineAfter(Rpc.DEFAULT_DEADLINE_MILLIS, TimeUnit.MILLISECONDS).heartbeat(beat.build()));
      if (r.getDrained() || (draining && !r.getKnown())) {
        LOG.info("worker {} drained: the scheduler at {} needs nothing it holds", id, schedulers.current());
        drained.countDown();
        return;
      }
      if (!r.getKnown()) {
        LOG.warn("the scheduler at {} does not know worker {}: registering again", schedulers.current(), id);
        register();
      }
    } catch (RuntimeException e) {
      // The scheduler may be restarting or failing over: the next beat tries again (the next
      // scheduler, if there are several), and the failure is in the log.
      LOG.warn("heartbeat to the scheduler failed: {}", e.toString());
    }
  }

  /**
   * Leaves the cluster gently: takes no new tasks, finishes those it runs and serves its outputs
   * until the scheduler needs none of them. True if that happened within {@code timeoutMillis}.
   */
  public boolean drain(long timeoutMillis) throws InterruptedException {
    draining = true;
    heartbeats.execute(this::heartbeat); // tell the scheduler now, not at the next beat
    return drained.await(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * A scheduler of epoch {@code epoch} leads. If it is newer than the one this worker followed,
   * the tasks the deposed one started are stopped: the new leader runs again what it needs, and
   * their slots are freed for it.
   */
  private synchronized void followEpoch(long epoch) {
    if (epoch <= leaderEpoch) {
      return;
    }
    leaderEpoch = epoch;
    for (TaskRun r : running.values()) {
      if (r.definition().getLeaderEpoch() < epoch) {
        LOG.info("worker {}: stopping {} started by a deposed scheduler (epoch {} < {})", id, key(r.definition()),
            r.definition().getLeaderEpoch(), epoch);
        r.cancel();
      }
    }
  }

  /** Refuses what a deposed scheduler (one of an older epoch than this worker follows) asks for. */
  private void checkEpoch(long epoch, String what) {
    if (epoch < leaderEpoch) {
      throw KilnException.cluster("worker " + id + " refuses " + what + " from a deposed scheduler: its leader epoch "
          + epoch + " is older than " + leaderEpoch);
    }
    followEpoch(epoch);
  }

  /**
   * Waits (at most 10 s) for a slot held by a task of a deposed scheduler, which was told to stop:
   * the new leader counts the slot free as soon as this worker registers with it.
   */
  private void awaitStoppingTasks(long epoch) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (busySlots.get() >= options.slots() && System.nanoTime() < deadline
        && running.values().stream().anyMatch(r -> r.definition().getLeaderEpoch() < epoch)) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void launch(ClusterProtos.TaskDefinition task) {
    checkEpoch(task.getLeaderEpoch(), "to launch " + key(task));
    awaitStoppingTasks(task.getLeaderEpoch());
    if (draining) {
      throw new KilnException(KilnException.Kind.RESOURCE, "worker " + id + " is draining: it takes no new tasks");
    }
    if (closed) {
      throw KilnException.cluster("worker " + id + " is stopping");
    }
    if (busySlots.incrementAndGet() > options.slots()) {
      busySlots.decrementAndGet();
      throw new KilnException(KilnException.Kind.RESOURCE, "worker " + id + " has no free slot");
    }
    TaskRun run = new TaskRun(task, id, tracing, Context.current());
    String key = key(task);
    running.put(key, run);
    try {
      taskThreads.execute(() -> {
        ClusterProtos.TaskReport report;
        try {
          PipelineBodies bodies = task.getMode() == ClusterProtos.ExecutionMode.EXECUTION_MODE_INTERPRETED
              ? PipelineBodies.INTERPRETED
              : task.hasCodegen() ? compiled.with(!task.getCodegen().getStrict(), task.getCodegen().getMinRows())
              : compiled;
          TableDefinitions tables = queryTables.computeIfAbsent(task.getQueryId(),
              q -> new TableDefinitions(task.getTablesList()));
          report = run.run(root, pipelinePool, options.slots(), bodies, tables, files, clients, reads,
              workDir.resolve("spill"), spilledBytes);
        } catch (RuntimeException | Error e) {
          report = run.failed(e); // never a task without a report: its query would wait for it forever
        } finally {
          reporting.add(key);
          running.remove(key);
          busySlots.decrementAndGet();
        }
        if (report.getState() == ClusterProtos.TaskState.TASK_STATE_SUCCEEDED) {
          shuffleBytesWritten.add(report.getPartitionBytesList().stream().mapToLong(Long::longValue).sum());
        }
        try {
          report(report.toBuilder().setLeaderEpoch(task.getLeaderEpoch()).build());
        } finally {
          reporting.remove(key);
        }
      });
    } catch (RuntimeException e) {
      running.remove(key);
      busySlots.decrementAndGet();
      throw e;
    }
  }

  private void report(ClusterProtos.TaskReport report) {
    try {
      schedulers.call(SchedulerGrpc.getReportTaskMethod(), "reporting a task", ch -> SchedulerGrpc.newBlockingStub(ch)
          .withDeadlineAfter(Rpc.DEFAULT_DEADLINE_MILLIS, TimeUnit.MILLISECONDS).reportTask(report));
    } catch (RuntimeException e) {
      // The scheduler will see the task as lost when it notices; nothing else can be done here.
      LOG.error("could not report query {} stage {} task {} to the scheduler", report.getQueryId(),
          report.getStageId(), report.getTask(), e);
    }
  }

  private void endQuery(String queryId) {
    for (TaskRun r : running.values()) {
      if (r.definition().getQueryId().equals(queryId)) {
        r.cancel();
      }
    }
    TableDefinitions t = queryTables.remove(queryId);
    if (t != null) {
      t.close();
    }
    files.deleteQuery(queryId);
  }

  private static String key(ClusterProtos.TaskDefinition t) {
    return t.getQueryId() + "/" + t.getStageId() + "/" + t.getTask() + "/" + t.getAttempt();
  }

  private final class WorkerService extends WorkerGrpc.WorkerImplBase {
    @Override
    public void launchTask(ClusterProtos.TaskDefinition request,
        StreamObserver<ClusterProtos.LaunchTaskResponse> response) {
      try {
        launch(request);
        response.onNext(ClusterProtos.LaunchTaskResponse.getDefaultInstance());
        response.onCompleted();
      } catch (RuntimeException e) {
        response.onError(CarriedError.toStatus(e));
      }
    }

    @Override
    public void endQuery(ClusterProtos.EndQueryRequest request, StreamObserver<ClusterProtos.EndQueryResponse> response) {
      try {
        ShuffleFiles.checkQueryId(request.getQueryId());
        checkEpoch(request.getLeaderEpoch(), "to end query " + request.getQueryId());
        KilnWorker.this.endQuery(request.getQueryId());
        response.onNext(ClusterProtos.EndQueryResponse.getDefaultInstance());
        response.onCompleted();
      } catch (IllegalArgumentException e) {
        response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      } catch (RuntimeException e) {
        response.onError(CarriedError.toStatus(e));
      }
    }
  }

  /** Blocks until the worker's server stops (the {@code kiln worker} command). */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() {
    closed = true;
    heartbeats.shutdownNow();
    running.values().forEach(TaskRun::cancel);
    server.shutdown();
    taskThreads.shutdown();
    try {
      if (!taskThreads.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("worker {}: tasks still running after 10 s; stopping them", id);
        taskThreads.shutdownNow();
      }
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.shutdownNow();
    pipelinePool.shutdownNow();
    flightThreads.shutdownNow();
    schedulers.close();
    clients.close();
    queryTables.values().forEach(TableDefinitions::close);
    queryTables.clear();
    if (ownsWorkDir) {
      files.deleteAll();
      try {
        Files.deleteIfExists(workDir);
      } catch (IOException e) {
        LOG.warn("cannot delete the work folder {}", workDir, e);
      }
    } else {
      files.deleteAll();
    }
    fetchAllocator.close();
    serveAllocator.close();
    tracing.close();
    root.close(); // fails if a task leaked Arrow memory
  }

}
