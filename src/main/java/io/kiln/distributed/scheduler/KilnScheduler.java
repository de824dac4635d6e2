package io.kiln.distributed.scheduler;

import io.kiln.observe.Tracing;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kiln.distributed.KilnVersion;
import io.kiln.distributed.StageOutputs;
import io.kiln.distributed.ha.DeposedLeaderException;
import io.kiln.distributed.ha.LeaderElection;
import io.kiln.distributed.ha.QueryStore;
import io.kiln.distributed.proto.ClusterProtos;
import io.kiln.distributed.proto.QueriesGrpc;
import io.kiln.distributed.proto.SchedulerGrpc;
import io.kiln.distributed.rpc.CarriedError;
import io.kiln.distributed.rpc.RemoteErrors;
import io.kiln.distributed.rpc.Rpc;
import io.kiln.error.KilnException;
import io.kiln.observe.KilnMetrics;
import io.kiln.physical.plan.PhysicalNode;
import io.kiln.physical.plan.PlanProto;
import io.kiln.physical.plan.proto.PlanProtos;
import io.kiln.util.DaemonThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler: workers register and heartbeat; clients submit plans for the cluster, which it
 * cuts into stages and runs as tasks in the workers' free slots, a stage as soon as the stages it
 * reads have finished. Task failures that may pass (a lost worker, a failed fetch, no memory) are
 * tried again up to a cap, on another worker than the one they failed on when there is one; others
 * fail the query at once with the task's error, its kind and message kept. All state is guarded by
 * one lock; calls to workers are made outside it.
 *
 * <p>With standbys (options with ZooKeeper), schedulers elect a leader; the others refuse every
 * call as UNAVAILABLE, so callers move on to the leader. The leader keeps each running query's
 * request, its stages' splits and finished outputs in ZooKeeper; a standby taking over reloads
 * them, keeps the outputs that are still on live workers (their workers register again, under the
 * same ids) and runs the rest. Its epoch, higher than its predecessor's, fences the old leader:
 * workers refuse its launches and the store its writes.
 */
public final class KilnScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KilnScheduler.class);
  /** How long a finished query's status and result stay for a client that has not closed it. */
  private static final long FINISHED_RETENTION_NANOS = TimeUnit.MINUTES.toNanos(10);

  private final SchedulerOptions options;
  private final WorkerClient.Connector connector;
  private final Object lock = new Object();
  private final Map<String, WorkerHandle> workers = new LinkedHashMap<>();
  private final FreeSlots freeSlots = new FreeSlots();
  private final Map<String, QueryRun> queries = new LinkedHashMap<>();
  /** What the dashboard shows: read through {@link #dashboard()}, told of each query's end. */
  private final ClusterBoard board = new ClusterBoard(lock, workers, queries, this::cancel);
  private final Deque<QueryRun.Task> pending = new ArrayDeque<>();
  private final Server server;
  private final ExecutorService calls = Executors.newCachedThreadPool(DaemonThreads.named("kiln-scheduler-call"));
  private final Thread dispatcher;
  private final java.util.concurrent.ScheduledExecutorService reaper =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("kiln-reaper"));
  private volatile boolean closed;
  /** Finished task outputs lost with their worker (or that could not be fetched) and so made again. */
  private long outputsLost;
  /** Null for a scheduler that runs alone. */
  private final LeaderElection election;
  private final QueryStore store;
  /** Writes to the store in order, off the lock. */
  private final ExecutorService storeWriter = Executors.newSingleThreadExecutor(DaemonThreads.named("kiln-store"));
  /** Whether this scheduler leads (always, when alone): a standby refuses every call. */
  private volatile boolean leading;
  private volatile long epoch;
  private volatile long leadingSinceNanos = System.nanoTime();
  /**
   * After a takeover: the workers holding outputs of the queries taken over, until they register
   * again (and then take their places) or the worker timeout passes (and their outputs are lost).
   */
  private final Map<String, WorkerHandle> remembered = new HashMap<>();
  private long lastReapNanos = System.nanoTime();
  private final KilnMetrics metrics = KilnMetrics.withJvm();
  private final io.kiln.observe.QueryOutcomes queryOutcomes = new io.kiln.observe.QueryOutcomes(metrics);
  private final io.prometheus.metrics.core.metrics.Counter tasksEnded = metrics.counter("kiln_tasks_total",
      "Task attempts reported, by how they ended: succeeded, failed or cancelled.", "status");
  private final io.prometheus.metrics.core.metrics.Histogram taskDuration = metrics.seconds(
      "kiln_task_duration_seconds", "Time a task attempt ran on its worker.");
  private final io.prometheus.metrics.core.metrics.Counter heartbeats = metrics.counter("kiln_heartbeats_total",
      "Heartbeats received from workers.");
  private final java.util.concurrent.atomic.LongAdder shuffleBytesWritten = new java.util.concurrent.atomic.LongAdder();

  /** Spans for queries and their stages; the calls to workers carry their context. */
  private final Tracing tracing;

  private KilnScheduler(SchedulerOptions options, WorkerClient.Connector connector, Tracing tracing) throws IOException {
    this.options = options;
    this.connector = connector;
    this.tracing = tracing;
    this.server = Rpc.server(options.host(), options.port(), options.auth(), tracing)
        .addService(new SchedulerService())
        .addService(new QueriesService())
        .build()
        .start();
    this.dispatcher = new Thread(this::dispatchLoop, "kiln-dispatcher");
    dispatcher.setDaemon(true);
    dispatcher.start();
    registerGauges();
    reaper.scheduleWithFixedDelay(this::reap, options.heartbeatMillis(), options.heartbeatMillis(),
        TimeUnit.MILLISECONDS);
    if (options.ha() == null) {
      this.election = null;
      this.store = null;
      this.leading = true;
    } else {
      LeaderElection e;
      try {
        e = LeaderElection.join(options.ha(), address(), new LeaderElection.Listener() {
          @Override
          public void leading(long epoch) {
            takeOver(epoch);
          }

          @Override
          public void standingBy(String why) {
            standBy(why);
          }
        });
      } catch (RuntimeException ex) {
        closeServer();
        throw ex;
      }
      this.election = e;
      this.store = new QueryStore(e);
    }
  }

  public static KilnScheduler start(SchedulerOptions options) {
    Tracing tracing = Tracing.start(options.tracing(), "kiln-scheduler");
    return start(options, (id, host, port) -> new GrpcWorkerClient(host, port, options.auth(), tracing), tracing);
  }

  /** A scheduler that reaches its workers through {@code connector}: gRPC, or a simulation's workers in this process. */
  static KilnScheduler start(SchedulerOptions options, WorkerClient.Connector connector) {
    return start(options, connector, Tracing.OFF);
  }

  private static KilnScheduler start(SchedulerOptions options, WorkerClient.Connector connector, Tracing tracing) {
    try {
      return new KilnScheduler(options, connector, tracing);
    } catch (IOException e) {
      tracing.close();
      throw new UncheckedIOException("cannot listen on " + options.host() + ":" + options.port()
          + " (is another scheduler running there?)", e);
    } catch (RuntimeException e) {
      tracing.close();
      throw e;
    }
  }

  public int port() {
    return server.getPort();
  }

  public String address() {
    return options.host() + ":" + port();
  }

  /** Its workers and queries for a dashboard to serve (see io.kiln.observe.dashboard.DashboardServer). */
  public io.kiln.observe.DashboardSource dashboard() {
    return board;
  }

  /** This scheduler's metrics, for its metrics server or a host application to scrape. */
  public KilnMetrics metrics() {
    return metrics;
  }

  private void registerGauges() {
    metrics.gauge("kiln_tasks_running", "Task attempts running on workers.", () -> {
      synchronized (lock) {
        return workers.values().stream().mapToInt(w -> w.busy).sum();
      }
    });
    metrics.gauge("kiln_tasks_pending", "Tasks ready to run that wait for a slot.", () -> {
      synchronized (lock) {
        return pending.size();
      }
    });
    metrics.gauge("kiln_workers", "Registered workers, by state: live or draining.", "state", () -> {
      synchronized (lock) {
        long draining = workers.values().stream().filter(w -> w.draining).count();
        return Map.of("live", workers.size() - draining, "draining", draining);
      }
    });
    metrics.counter("kiln_outputs_lost_total", "Finished task outputs lost (with their worker, or unfetchable) and"
        + " made again.", this::outputsLost);
    metrics.counter("kiln_shuffle_bytes_written_total", "Bytes of output written by the tasks that succeeded.",
        shuffleBytesWritten::sum);
    metrics.gauge("kiln_scheduler_leading", "1 while this scheduler leads, 0 while it stands by.",
        () -> leading ? 1 : 0);
    metrics.gauge("kiln_scheduler_epoch", "The leader epoch this scheduler leads under.", () -> epoch);
  }

  /** How many workers have registered and are alive. */
  public int workers() {
    synchronized (lock) {
      return workers.size();
    }
  }

  /** How many finished task outputs were lost (with their worker, or unfetchable) and made again. */
  public long outputsLost() {
    synchronized (lock) {
      return outputsLost;
    }
  }

  /** Finished task outputs of running queries that worker {@code workerId} holds. */
  public int outputsOn(String workerId) {
    int n = 0;
    synchronized (lock) {
      for (QueryRun q : queries.values()) {
        if (!q.running()) {
          continue;
        }
        for (QueryRun.StageRun s : q.stages) {
          for (QueryRun.Task t : s.tasks == null ? List.<QueryRun.Task>of() : s.tasks) {
            if (t.state == QueryRun.TaskState.DONE && t.worker != null && t.worker.id.equals(workerId)) {
              n++;
            }
          }
        }
      }
    }
    return n;
  }

  // ------------------------------------------------------------------ workers
  // register, heartbeat, report, submit, await and close(id) are what the gRPC services call;
  // package-private so a simulation in this process drives the scheduler through the same methods.

  ClusterProtos.RegisterWorkerResponse register(ClusterProtos.RegisterWorkerRequest r) {
    if (!r.getVersion().equals(KilnVersion.get())) {
      throw KilnException.cluster("worker " + r.getWorkerId() + " runs Kiln " + r.getVersion()
          + " but the scheduler runs " + KilnVersion.get() + "; every process of a cluster must run the same build");
    }
    if (r.getSlots() < 1) {
      throw KilnException.cluster("worker " + r.getWorkerId() + " offers " + r.getSlots() + " slots");
    }
    WorkerHandle w = new WorkerHandle(r.getWorkerId(), r.getHost(), r.getPort(), r.getSlots(),
        connector.connect(r.getWorkerId(), r.getHost(), r.getPort()));
    WorkerHandle old;
    synchronized (lock) {
      old = workers.put(w.id, w);
      if (old != null) {
        freeSlots.remove(old);
      }
      freeSlots.add(w);
      WorkerHandle before = remembered.remove(w.id);
      if (before != null) {
        takePlace(before, w);
      }
      lock.notifyAll();
    }
    if (old != null) {
      old.client.close();
    }
    LOG.info("worker {} at {} joined with {} slots", w.id, w.address(), w.slots);
    return ClusterProtos.RegisterWorkerResponse.newBuilder().setHeartbeatIntervalMillis(options.heartbeatMillis())
        .setLeaderEpoch(epoch).build();
  }

  /**
   * A worker is alive. A draining one gets no more tasks, and once nothing it runs or holds is
   * needed (no running task, no output a running query still reads, no result a client has not
   * read) it is let go: forgotten here, and told it may stop.
   */
  ClusterProtos.HeartbeatResponse heartbeat(ClusterProtos.HeartbeatRequest r) {
    WorkerHandle gone = null;
    ClusterProtos.HeartbeatResponse.Builder response = ClusterProtos.HeartbeatResponse.newBuilder();
    synchronized (lock) {
      WorkerHandle w = workers.get(r.getWorkerId());
      if (w == null) {
        return response.setKnown(false).build();
      }
      w.lastSeenNanos = System.nanoTime();
      w.memoryBytes = r.getMemoryReservedBytes();
      heartbeats.inc();
      response.setKnown(true);
      reconcile(w, r.getRunningAttemptsList());
      for (ClusterProtos.AttemptProgress p : r.getProgressList()) {
        QueryRun.Task t = w.launched.get(p.getAttempt());
        if (t != null) {
          readSoFar(t, p.getRowsRead());
        }
      }
      if (r.getDraining() && !w.draining) {
        w.draining = true;
        freeSlots.remove(w);
        LOG.info("worker {} at {} is draining: no new tasks", w.id, w.address());
      }
      if (w.draining && w.busy == 0 && !holdsNeededOutputs(w)) {
        workers.remove(w.id);
        gone = w;
        response.setDrained(true);
      }
    }
    if (gone != null) {
      LOG.info("worker {} at {} drained: nothing it holds is needed, it may stop", gone.id, gone.address());
      gone.client.close();
    }
    return response.build();
  }

  /** Under the lock: the task's current attempt has read {@code rows} so far (reports may arrive out of order). */
  private static void readSoFar(QueryRun.Task t, long rows) {
    if (rows > t.rowsRead) {
      t.stage.rowsRead += rows - t.rowsRead;
      t.rowsRead = rows;
    }
  }

  /** Heartbeats in a row that must leave out an attempt before its report is taken for lost. */
  private static final int UNLISTED_BEATS = 3;

  /**
   * Under the lock: attempts the worker accepted that its heartbeats stopped listing ended, and
   * their reports were lost (every retry failed): after a few beats, to let a report in flight
   * arrive (the worker lists an attempt until its report is through), they are tried again, as a
   * lost worker's would be. Only accepted attempts count: one whose launch is still on its way is
   * rightly not listed yet.
   */
  private void reconcile(WorkerHandle w, List<String> running) {
    if (w.unlisted.isEmpty()) {
      return;
    }
    java.util.Set<String> listed = new java.util.HashSet<>(running);
    for (String attempt : new ArrayList<>(w.unlisted.keySet())) {
      if (listed.contains(attempt)) {
        w.unlisted.put(attempt, 0);
        continue;
      }
      int beats = w.unlisted.merge(attempt, 1, Integer::sum);
      if (beats < UNLISTED_BEATS) {
        continue;
      }
      QueryRun.Task t = w.launched.remove(attempt);
      w.unlisted.remove(attempt);
      if (t == null) {
        continue;
      }
      freeSlots.release(w);
      LOG.warn("worker {} no longer runs {} attempt {} and its report never came: trying it again", w.id,
          t.describe(), t.attempt);
      if (t.worker == w && t.state == QueryRun.TaskState.RUNNING && attempt.endsWith("/" + t.attempt)
          && t.stage.query.running()) {
        retryOrFail(t, "attempt " + t.attempt + " on worker " + w.id + " ended without a report reaching the scheduler",
            null);
      }
    }
  }

  /** Under the lock: whether {@code w} holds an output a running query still reads, or an unread result. */
  private boolean holdsNeededOutputs(WorkerHandle w) {
    for (QueryRun q : queries.values()) {
      if (q.running() && !q.neededOutputsOn(w).isEmpty()) {
        return true;
      }
      if (q.state == ClusterProtos.QueryState.QUERY_STATE_SUCCEEDED
          && q.last().tasks.stream().anyMatch(t -> t.worker == w)) {
        return true;
      }
    }
    return false;
  }

  /** Declares silent workers lost and forgets long-finished queries. */
  private void reap() {
    List<WorkerHandle> lost = new ArrayList<>();
    List<QueryRun> forgotten = new ArrayList<>();
    long now = System.nanoTime();
    synchronized (lock) {
      long sinceLast = now - lastReapNanos;
      lastReapNanos = now;
      if (!leading) {
        return;
      }
      if (sinceLast > TimeUnit.MILLISECONDS.toNanos(options.workerTimeoutMillis())) {
        // This process was paused (a long GC, SIGSTOP), not the workers: they get a fresh timeout.
        LOG.warn("the scheduler itself did not run for {} ms: its workers get a fresh timeout", sinceLast / 1_000_000);
        workers.values().forEach(w -> w.lastSeenNanos = now);
        return;
      }
      if (!remembered.isEmpty()
          && now - leadingSinceNanos > TimeUnit.MILLISECONDS.toNanos(options.workerTimeoutMillis())) {
        for (WorkerHandle w : remembered.values()) {
          LOG.warn("worker {} at {} did not register with the new leader within {} ms: its outputs are lost", w.id,
              w.address(), options.workerTimeoutMillis());
          workerLost(w);
        }
        remembered.clear();
      }
      for (WorkerHandle w : workers.values()) {
        if (now - w.lastSeenNanos > TimeUnit.MILLISECONDS.toNanos(options.workerTimeoutMillis())) {
          lost.add(w);
        }
      }
      for (WorkerHandle w : lost) {
        workers.remove(w.id);
        freeSlots.remove(w);
        workerLost(w);
      }
      for (QueryRun q : queries.values()) {
        if (!q.running() && now - q.endNanos > FINISHED_RETENTION_NANOS) {
          forgotten.add(q);
        }
      }
      forgotten.forEach(q -> queries.remove(q.id));
      forgotten.forEach(q -> forget(q.id));
      lock.notifyAll();
    }
    for (WorkerHandle w : lost) {
      LOG.warn("worker {} at {} sent no heartbeat for {} ms: declared lost", w.id, w.address(),
          options.workerTimeoutMillis());
      w.client.close();
    }
    for (QueryRun q : forgotten) {
      endOnWorkers(q);
    }
  }

  /**
   * Under the lock: the lost worker's running tasks go back to the queue, and the outputs it held
   * that later stages still need are made again: only those map tasks run again (lineage), and the
   * stages reading them wait for them.
   */
  private void workerLost(WorkerHandle w) {
    String reason = "worker " + w.id + " at " + w.address() + " was lost";
    for (QueryRun q : queries.values()) {
      for (QueryRun.StageRun s : q.stages) {
        if (!q.running()) {
          break;
        }
        if (s.tasks == null) {
          continue;
        }
        for (QueryRun.Task t : s.tasks) {
          if (t.worker == w && t.state == QueryRun.TaskState.RUNNING && q.running()) {
            retryOrFail(t, "attempt " + t.attempt + " was on " + reason, null);
          }
        }
      }
      for (QueryRun.Task t : q.running() ? q.neededOutputsOn(w) : List.<QueryRun.Task>of()) {
        if (q.running() && t.state == QueryRun.TaskState.DONE) {
          outputLost(t, reason);
        }
      }
    }
  }

  /**
   * Whether {@code w} is a worker that registered and has not been lost since (nor registered
   * again), or one a new leader expects back.
   */
  private boolean live(WorkerHandle w) {
    return w != null && (workers.get(w.id) == w || remembered.get(w.id) == w);
  }

  /** Under the lock: a worker a new leader expected has registered: it holds the outputs it held. */
  private void takePlace(WorkerHandle before, WorkerHandle now) {
    for (QueryRun q : queries.values()) {
      for (QueryRun.StageRun s : q.stages) {
        for (QueryRun.Task t : s.tasks == null ? List.<QueryRun.Task>of() : s.tasks) {
          if (t.worker == before) {
            t.worker = now;
          }
        }
      }
    }
  }

  /**
   * Under the lock: the output of done task {@code t} is gone, so {@code t} runs again. A stage
   * that had finished reopens (at most {@code maxStageAttempts} times): the stages reading it hold
   * back their tasks until it finishes again, and so that {@code t} can run, the stages it reads
   * must again have all their outputs, so theirs that were on lost workers are made again too.
   */
  private void outputLost(QueryRun.Task t, String reason) {
    QueryRun.StageRun s = t.stage;
    QueryRun q = s.query;
    if (s.finished()) {
      s.reopenings.add(reason);
      if (s.reopenings.size() >= options.maxStageAttempts()) {
        fail(q, KilnException.cluster("stage " + s.stage.id() + " of query " + q.id + " lost outputs after it had"
            + " finished " + s.reopenings.size() + " times: " + String.join("; ", s.reopenings)));
        return;
      }
      LOG.warn("query {}: the output of {} is lost ({}): running it again", q.id, t.describe(), reason);
    }
    outputsLost++;
    t.state = QueryRun.TaskState.PENDING;
    t.output = null;
    if (t.worker != null) {
      t.failedOn.add(t.worker.id);
    }
    t.worker = null;
    s.done--;
    s.rows -= t.rows;
    s.bytes -= t.bytes;
    s.outputs = null;
    persist(q);
    pending.addFirst(t);
    for (int input : s.stage.inputs()) {
      QueryRun.StageRun in = q.stages.get(input);
      in.finishedConsumers = false;
      for (QueryRun.Task m : in.tasks) {
        if (m.state == QueryRun.TaskState.DONE && !live(m.worker) && q.running()) {
          outputLost(m, "worker " + m.worker.id + " at " + m.worker.address() + " was lost, and " + t.describe()
              + " runs again and reads it");
        }
      }
    }
    lock.notifyAll();
  }

  /**
   * Under the lock: task {@code t} could not fetch an input. The producer's output is made again if
   * it still is the one that failed; {@code t} waits for it, and the failure does not count as one
   * of its attempts (it was not its fault), though a task sent back this way over and over fails.
   */
  private void fetchFailed(QueryRun.Task t, WorkerHandle w, ClusterProtos.FetchFailure f, KilnException error) {
    QueryRun q = t.stage.query;
    t.state = QueryRun.TaskState.PENDING;
    t.worker = null;
    t.fetchFailures++;
    int bound = options.maxTaskAttempts() * options.maxStageAttempts();
    if (t.fetchFailures > bound) {
      fail(q, KilnException.cluster(t.describe() + " of query " + q.id + " could not fetch its inputs " + bound
          + " times; the last: " + error.getMessage()));
      return;
    }
    if (f.getStageId() >= 0 && f.getStageId() < q.stages.size()) {
      QueryRun.StageRun producer = q.stages.get(f.getStageId());
      QueryRun.Task m = producer.tasks == null || f.getMapTask() < 0 || f.getMapTask() >= producer.tasks.size() ? null
          : producer.tasks.get(f.getMapTask());
      if (m != null && m.state == QueryRun.TaskState.DONE && m.attempt == f.getAttempt()) {
        // The producer is most likely dead, and a reader fails on one output at a time: every output
        // of this query on that worker is made again at once, not each after a failed fetch of its own.
        String reason = t.describe() + " on worker " + w.id + " could not fetch " + m.describe() + ": "
            + error.getMessage();
        List<QueryRun.Task> alsoThere = q.neededOutputsOn(m.worker);
        outputLost(m, reason);
        for (QueryRun.Task other : alsoThere) {
          // each may have been made lost already, by the lineage of one before it
          if (other != m && q.running() && other.state == QueryRun.TaskState.DONE) {
            outputLost(other, "it was on the same worker as " + m.describe() + ", which " + reason);
          }
        }
      }
    }
    if (q.running()) {
      pending.addFirst(t);
      lock.notifyAll();
    }
  }

  // ------------------------------------------------------------------ queries

  /** The workers, their slots and the tasks waiting, as a client asking ClusterInfo sees them. */
  public ClusterProtos.ClusterInfoResponse info() {
    synchronized (lock) {
      long now = System.nanoTime();
      ClusterProtos.ClusterInfoResponse.Builder b = ClusterProtos.ClusterInfoResponse.newBuilder()
          .setVersion(KilnVersion.get()).setLeader(address()).setLeaderEpoch(epoch).setPendingTasks(pending.size());
      int slots = 0;
      int running = 0;
      for (WorkerHandle w : workers.values()) {
        slots += w.slots;
        running += w.busy;
        b.addWorkerStatus(ClusterProtos.WorkerStatus.newBuilder().setWorkerId(w.id).setHost(w.host).setPort(w.port)
            .setSlots(w.slots).setBusySlots(w.busy).setDraining(w.draining)
            .setIdleMillis(w.busy > 0 ? 0 : (now - w.idleSinceNanos) / 1_000_000));
      }
      return b.setWorkers(workers.size()).setSlots(slots).setRunningTasks(running).build();
    }
  }

  String submit(ClusterProtos.SubmitRequest request) {
    PhysicalNode plan = PlanProto.fromProto(request.getPlan());
    if (!(plan instanceof PhysicalNode.Result)) {
      throw KilnException.execution("a submitted plan ends in its result, not " + plan.describe());
    }
    StageDag dag = StageDag.cut((PhysicalNode.Result) plan);
    String id = UUID.randomUUID().toString();
    QueryRun q = new QueryRun(id, request, dag, epoch);
    synchronized (lock) {
      if (closed) {
        throw KilnException.cluster("the scheduler is stopping");
      }
      if (workers.isEmpty()) {
        if (election != null && System.nanoTime() - leadingSinceNanos
            < TimeUnit.MILLISECONDS.toNanos(options.workerTimeoutMillis())) {
          throw Status.UNAVAILABLE.withDescription("the scheduler at " + address() + " took the lead "
              + (System.nanoTime() - leadingSinceNanos) / 1_000_000 + " ms ago; its workers are joining it")
              .asRuntimeException();
        }
        throw KilnException.cluster("no worker has joined the scheduler at " + address() + " yet");
      }
    }
    if (store != null) {
      // stored before the client hears of it: a query the client knows of survives a failover
      store.save(id, q.stored().toByteArray());
    }
    synchronized (lock) {
      if (closed || !leading) {
        throw standby();
      }
      // under the Submit call's span, which carries the client's trace
      q.span = tracing.span("query").setParent(Context.current()).setAttribute("kiln.query_id", id)
          .setAttribute("kiln.stages", dag.stages().size()).startSpan();
      q.traceparent = Tracing.traceparent(Context.current());
      queries.put(id, q);
      startReadyStages(q);
      lock.notifyAll();
    }
    LOG.info("query {} started: {} stages: {}", id, dag.stages().size(), io.kiln.observe.QueryLog.oneLine(q.sql));
    return id;
  }

  /**
   * Under the lock: every stage whose inputs are done is split into tasks. Splitting reads file
   * footers (from S3, maybe), so it runs off the lock: heartbeats and reports are not held up.
   */
  private void startReadyStages(QueryRun q) {
    int slots = Math.max(1, totalSlots());
    for (QueryRun.StageRun s : q.ready()) {
      if (!s.span.isRecording()) { // a stage run again after losing outputs gets a span of its own again
        s.span = tracing.span("stage " + s.stage.id()).setParent(Context.root().with(q.span))
            .setAttribute("kiln.query_id", q.id).setAttribute("kiln.stage", s.stage.id()).startSpan();
      }
      s.splitting = true;
      calls.execute(() -> split(q, s, slots));
    }
  }

  private void split(QueryRun q, QueryRun.StageRun s, int slots) {
    List<PlanProtos.PhysicalPlan> fragments;
    try {
      fragments = encode(StageTasks.split(s.stage, q.dag, q.tables, slots, 2 * slots));
    } catch (RuntimeException e) {
      String where = " (on the scheduler, splitting stage " + s.stage.id() + " of query " + q.id + " into tasks)";
      synchronized (lock) {
        fail(q, e instanceof KilnException k ? new KilnException(k.kind(), k.detail() + where, e)
            : KilnException.cluster(e + where, e));
      }
      return;
    }
    synchronized (lock) {
      s.splitting = false;
      if (!q.running()) {
        return;
      }
      s.tasks = new ArrayList<>();
      s.splitSlots = slots;
      for (int i = 0; i < fragments.size(); i++) {
        QueryRun.Task t = new QueryRun.Task(s, i, fragments.get(i));
        s.tasks.add(t);
        pending.addLast(t);
      }
      persist(q);
      lock.notifyAll();
    }
  }

  /**
   * Each task's fragment as it is sent, encoded once per distinct fragment: a stage's reduce tasks
   * all run one (the same object), and encoding it at every launch, under the lock, was half the
   * dispatcher's time. By identity, as equals would walk the whole plan.
   */
  private static List<PlanProtos.PhysicalPlan> encode(List<PhysicalNode.Exchange> fragments) {
    Map<PhysicalNode.Exchange, PlanProtos.PhysicalPlan> encoded = new IdentityHashMap<>();
    List<PlanProtos.PhysicalPlan> out = new ArrayList<>(fragments.size());
    for (PhysicalNode.Exchange f : fragments) {
      out.add(encoded.computeIfAbsent(f, PlanProto::toProto));
    }
    return out;
  }

  private int totalSlots() {
    int n = 0;
    for (WorkerHandle w : workers.values()) {
      n += w.slots;
    }
    return n;
  }

  private ClusterProtos.QueryStatus status(QueryRun q) {
    ClusterProtos.QueryStatus.Builder b = ClusterProtos.QueryStatus.newBuilder().setQueryId(q.id).setState(q.state)
        .setExplain(q.explain()).setStagesTotal(q.stages.size());
    for (QueryRun.StageRun s : q.stages) {
      if (s.tasks != null) {
        b.setTasksDone(b.getTasksDone() + s.done).setTasksTotal(b.getTasksTotal() + s.tasks.size());
        b.setStagesDone(b.getStagesDone() + (s.finished() ? 1 : 0));
      }
    }
    if (q.error != null) {
      b.setError(RemoteErrors.toProto(q.error));
    }
    if (q.state == ClusterProtos.QueryState.QUERY_STATE_SUCCEEDED) {
      for (QueryRun.Task t : q.last().tasks) {
        b.addResult(t.output);
      }
    }
    return b.build();
  }

  private QueryRun query(String id) {
    QueryRun q = queries.get(id);
    if (q == null) {
      throw KilnException.cluster("the scheduler at " + address() + " knows no query " + id
          + " (it finished long ago, was closed, or the scheduler restarted)");
    }
    return q;
  }

  ClusterProtos.QueryStatus await(String id, long waitMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, Math.min(waitMillis, 60_000)));
    synchronized (lock) {
      QueryRun q = query(id);
      while (q.running() && !closed) {
        if (!leading) {
          throw standby();
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return status(q);
    }
  }

  private ClusterProtos.QueryStatus cancel(String id) {
    QueryRun q;
    synchronized (lock) {
      q = query(id);
      if (q.running()) {
        end(q, ClusterProtos.QueryState.QUERY_STATE_CANCELLED, KilnException.cancelled("query " + id + " was cancelled"));
      }
    }
    return status(q);
  }

  /**
   * The client could not fetch part of a succeeded query's result: that part is made again (and
   * whatever it reads that was lost with it), and the query runs again until it has.
   */
  ClusterProtos.QueryStatus resultLost(String id, int task, int attempt, String reason) {
    synchronized (lock) {
      QueryRun q = query(id);
      QueryRun.StageRun last = q.last();
      QueryRun.Task t = task >= 0 && last.tasks != null && task < last.tasks.size() ? last.tasks.get(task) : null;
      if (q.state == ClusterProtos.QueryState.QUERY_STATE_SUCCEEDED && t != null
          && t.state == QueryRun.TaskState.DONE && t.attempt == attempt) {
        LOG.warn("query {}: the client could not fetch its result from worker {}: making it again", id,
            t.worker == null ? "?" : t.worker.id);
        q.state = ClusterProtos.QueryState.QUERY_STATE_RUNNING;
        outputLost(t, "the client could not fetch it: " + reason);
      }
      return status(q);
    }
  }

  void close(String id) {
    QueryRun q;
    synchronized (lock) {
      q = queries.remove(id);
      if (q != null && q.running()) {
        end(q, ClusterProtos.QueryState.QUERY_STATE_CANCELLED, KilnException.cancelled("query " + id + " was closed"));
      }
      if (q != null) {
        forget(id);
      }
    }
    if (q != null) {
      endOnWorkers(q);
    }
  }

  // ------------------------------------------------------------------ tasks

  /** Under the lock. */
  private void fail(QueryRun q, KilnException error) {
    if (q.running()) {
      end(q, ClusterProtos.QueryState.QUERY_STATE_FAILED, error);
    }
  }

  /** Under the lock: the query stops; its tasks still running are stopped and its files deleted. */
  private void end(QueryRun q, ClusterProtos.QueryState state, KilnException error) {
    String outcome = state == ClusterProtos.QueryState.QUERY_STATE_SUCCEEDED ? io.kiln.observe.QueryOutcomes.SUCCEEDED
        : state == ClusterProtos.QueryState.QUERY_STATE_FAILED ? io.kiln.observe.QueryOutcomes.FAILED
        : io.kiln.observe.QueryOutcomes.CANCELLED;
    queryOutcomes.ended(outcome, q.startNanos);
    q.state = state;
    q.error = error;
    q.endNanos = System.nanoTime();
    for (QueryRun.StageRun s : q.stages) {
      if (s.span.isRecording()) {
        s.span.setStatus(StatusCode.ERROR, "the query ended first").end();
      }
    }
    if (error != null) {
      q.span.setStatus(StatusCode.ERROR, error.getMessage());
    }
    q.span.setAttribute("kiln.state", state.name()).end();
    long millis = (q.endNanos - q.startNanos) / 1_000_000;
    if (error == null) {
      LOG.info("query {} {} in {} ms", q.id, outcome, millis);
    } else {
      LOG.warn("query {} {} in {} ms: {}", q.id, outcome, millis, error.getMessage());
    }
    board.ended(q);
    pending.removeIf(t -> t.stage.query == q);
    q.tables.close();
    persist(q);
    lock.notifyAll();
    if (state != ClusterProtos.QueryState.QUERY_STATE_SUCCEEDED) {
      calls.execute(() -> endOnWorkers(q));
    }
  }

  /** Tells every worker the query is over: running tasks stop and shuffle files go. */
  private void endOnWorkers(QueryRun q) {
    List<WorkerHandle> all;
    synchronized (lock) {
      all = new ArrayList<>(workers.values());
    }
    for (WorkerHandle w : all) {
      try {
        w.client.endQuery(q.id, epoch);
      } catch (RuntimeException e) {
        LOG.warn("could not end query {} on worker {} at {}: {}", q.id, w.id, w.address(), e.toString());
      }
    }
  }

  /**
   * Under the lock: a failed attempt is tried again, on another worker, if its failure may pass and
   * attempts remain. An I/O error gets one more attempt: if it recurs elsewhere it is the data's (a
   * corrupt or missing file), and the query fails with it as it is.
   */
  private void retryOrFail(QueryRun.Task t, String reason, KilnException error) {
    QueryRun q = t.stage.query;
    t.failures.add(reason);
    if (t.worker != null) {
      t.failedOn.add(t.worker.id);
    }
    t.state = QueryRun.TaskState.PENDING;
    t.worker = null;
    boolean retryable = error == null || error.kind() == KilnException.Kind.IO
        || error.kind() == KilnException.Kind.CLUSTER || error.kind() == KilnException.Kind.RESOURCE;
    int cap = error != null && error.kind() == KilnException.Kind.IO ? Math.min(2, options.maxTaskAttempts())
        : options.maxTaskAttempts();
    if (!retryable) {
      fail(q, error);
    } else if (error != null && error.kind() == KilnException.Kind.IO && t.failures.size() >= cap) {
      fail(q, new KilnException(error.kind(), error.detail() + " [an I/O error on " + t.failures.size()
          + " attempts, on workers " + String.join(", ", t.failedOn) + "]", error));
    } else if (t.failures.size() >= cap) {
      fail(q, KilnException.cluster(t.describe() + " of query " + q.id + " failed " + t.failures.size()
          + " times: " + String.join("; ", t.failures)));
    } else {
      pending.addFirst(t);
      lock.notifyAll();
    }
  }

  void report(ClusterProtos.TaskReport r) {
    // A map task reports every partition it wrote, as many as the reduce tasks: summed before the lock and unboxed.
    long rows = 0;
    long bytes = 0;
    for (int i = 0; i < r.getPartitionRowsCount(); i++) {
      rows += r.getPartitionRows(i);
    }
    for (int i = 0; i < r.getPartitionBytesCount(); i++) {
      bytes += r.getPartitionBytes(i);
    }
    if (r.getLeaderEpoch() > epoch) {
      // the worker follows a newer leader: this scheduler was deposed; the report must go there
      throw Status.UNAVAILABLE.withDescription("the scheduler at " + address() + " leads under epoch " + epoch
          + ", older than the report's " + r.getLeaderEpoch() + ": it was deposed").asRuntimeException();
    }
    synchronized (lock) {
      if (r.getLeaderEpoch() != epoch) {
        return; // a task a deposed leader started: its slot was never counted here
      }
      WorkerHandle w = workers.get(r.getWorkerId());
      String attemptKey = WorkerHandle.attempt(r.getQueryId(), r.getStageId(), r.getTask(), r.getAttempt());
      if (w != null) {
        w.unlisted.remove(attemptKey);
      }
      if (w != null && w.launched.remove(attemptKey) != null) {
        freeSlots.release(w);
        lock.notifyAll();
      }
      QueryRun q = queries.get(r.getQueryId());
      if (q == null || r.getStageId() < 0 || r.getStageId() >= q.stages.size()) {
        return;
      }
      QueryRun.StageRun s = q.stages.get(r.getStageId());
      QueryRun.Task t = s.tasks == null || r.getTask() < 0 || r.getTask() >= s.tasks.size() ? null : s.tasks.get(r.getTask());
      if (t == null || t.attempt != r.getAttempt() || t.state != QueryRun.TaskState.RUNNING || t.worker != w) {
        return; // a stale attempt: a newer one runs, or the query moved on
      }
      readSoFar(t, r.getRowsRead());
      tasksEnded.labelValues(r.getState() == ClusterProtos.TaskState.TASK_STATE_SUCCEEDED ? "succeeded"
          : r.getState() == ClusterProtos.TaskState.TASK_STATE_FAILED ? "failed" : "cancelled").inc();
      taskDuration.observe(r.getMillis() / 1e3);
      if (r.getState() == ClusterProtos.TaskState.TASK_STATE_SUCCEEDED) {
        shuffleBytesWritten.add(bytes);
        if (!r.getPipelinesAsRan().isEmpty()) {
          s.pipelinesAsRan = r.getPipelinesAsRan();
          s.pipelinesWorker = w.id;
        }
      }
      if (!q.running()) {
        return;
      }
      switch (r.getState()) {
        case TASK_STATE_SUCCEEDED -> succeeded(q, s, t, w, rows, bytes, r.getMillis());
        case TASK_STATE_FAILED -> {
          KilnException e = RemoteErrors.fromProto(r.getError());
          if (r.hasFetchFailure()) {
            fetchFailed(t, w, r.getFetchFailure(), e);
          } else {
            retryOrFail(t, "attempt " + t.attempt + " on worker " + w.id + ": " + e.getMessage(), e);
          }
        }
        default -> retryOrFail(t, "attempt " + t.attempt + " on worker " + w.id + " was cancelled", null);
      }
    }
  }

  /** Under the lock. */
  private void succeeded(QueryRun q, QueryRun.StageRun s, QueryRun.Task t, WorkerHandle w, long rows, long bytes,
      long millis) {
    t.state = QueryRun.TaskState.DONE;
    t.output = ClusterProtos.MapOutputLocation.newBuilder().setWorkerId(w.id).setHost(w.host).setPort(w.port)
        .setStageId(s.stage.id()).setMapTask(t.index).setAttempt(t.attempt).build();
    t.rows = rows;
    t.bytes = bytes;
    s.rows += rows;
    s.bytes += bytes;
    s.slowestMillis = Math.max(s.slowestMillis, millis);
    s.done++;
    if (!s.finished()) {
      return;
    }
    s.span.setAttribute("kiln.tasks", s.tasks.size()).setAttribute("kiln.rows", s.rows).setAttribute("kiln.bytes", s.bytes);
    s.span.end();
    for (int input : s.stage.inputs()) {
      QueryRun.StageRun in = q.stages.get(input);
      in.finishedConsumers = q.stages.stream().filter(c -> c.stage.inputs().contains(input)).allMatch(QueryRun.StageRun::finished);
    }
    // it finished again after losing outputs: the tasks of stages reading it that waited may run
    for (QueryRun.StageRun c : q.stages) {
      if (!c.blocked.isEmpty() && c.inputsFinished()) {
        for (int i = c.blocked.size() - 1; i >= 0; i--) {
          pending.addFirst(c.blocked.get(i));
        }
        c.blocked.clear();
        lock.notifyAll();
      }
    }
    if (s == q.last()) {
      end(q, ClusterProtos.QueryState.QUERY_STATE_SUCCEEDED, null);
    } else {
      persist(q);
      startReadyStages(q);
    }
  }

  private record Launch(QueryRun.Task task, WorkerHandle worker, ClusterProtos.TaskDefinition definition) {}

  private void dispatchLoop() {
    while (!closed) {
      List<Launch> launches = new ArrayList<>();
      synchronized (lock) {
        if (leading) {
          assign(launches);
        }
        if (launches.isEmpty()) {
          try {
            lock.wait(200);
          } catch (InterruptedException e) {
            return;
          }
          continue;
        }
      }
      for (Launch l : launches) {
        calls.execute(() -> launch(l));
      }
    }
  }

  /**
   * Under the lock: pending tasks into free slots, the freest worker first. A retry whose only free
   * slots are on workers it failed on waits, at the head of the queue, for a slot elsewhere.
   */
  private void assign(List<Launch> out) {
    List<QueryRun.Task> waiting = new ArrayList<>();
    while (!pending.isEmpty()) {
      WorkerHandle any = freeSlots.freest();
      if (any == null) {
        break;
      }
      QueryRun.Task t = pending.pollFirst();
      QueryRun q = t.stage.query;
      if (!q.running()) {
        continue;
      }
      if (!t.stage.inputsFinished()) {
        t.stage.blocked.add(t); // an input lost outputs: back when it has them all again
        continue;
      }
      WorkerHandle best = t.failedOn.isEmpty() ? any : freeSlots.freest(t.failedOn);
      if (best == null && t.failedOn.containsAll(workers.keySet())) {
        best = any; // it failed on every live worker: any will do
      }
      if (best == null) {
        waiting.add(t);
        continue;
      }
      t.attempt = Math.max(t.attempt + 1, q.firstAttempt);
      t.state = QueryRun.TaskState.RUNNING;
      t.rowsRead = 0;
      t.worker = best;
      freeSlots.take(best);
      best.launched.put(WorkerHandle.attempt(q.id, t.stage.stage.id(), t.index, t.attempt), t);
      ClusterProtos.TaskDefinition.Builder d = q.taskPrototype.toBuilder().setStageId(t.stage.stage.id())
          .setTask(t.index).setAttempt(t.attempt).setFragment(t.fragment);
      for (int input : t.stage.stage.inputs()) {
        d.addInputs(q.outputs(input));
      }
      out.add(new Launch(t, best, d.build()));
    }
    for (int i = waiting.size() - 1; i >= 0; i--) {
      pending.addFirst(waiting.get(i));
    }
  }

  private void launch(Launch l) {
    String attempt = WorkerHandle.attempt(l.definition.getQueryId(), l.definition.getStageId(), l.definition.getTask(),
        l.definition.getAttempt());
    // the launch call's span (and the task's on the worker) nest under the stage's
    try (Scope ignored = Context.root().with(l.task.stage.span).makeCurrent()) {
      l.worker.client.launchTask(l.definition);
      synchronized (lock) {
        if (l.worker.launched.containsKey(attempt)) {
          l.worker.unlisted.put(attempt, 0); // accepted: from now on the worker's heartbeats list it
        }
      }
    } catch (RuntimeException e) {
      KilnException error = RemoteErrors.ofCall("launching " + l.task.describe(), l.worker.address(), e);
      synchronized (lock) {
        if (l.worker.launched.remove(attempt) != null) {
          freeSlots.release(l.worker);
        }
        if (l.task.attempt == l.definition.getAttempt() && l.task.state == QueryRun.TaskState.RUNNING
            && l.task.stage.query.running()) {
          retryOrFail(l.task, "attempt " + l.task.attempt + " could not start on worker " + l.worker.id + ": "
              + error.getMessage(), error.kind() == KilnException.Kind.RESOURCE ? null : error);
        }
      }
    }
  }

  // ------------------------------------------------------------------ high availability

  /** Whether this scheduler leads its cluster (one without standbys always does). */
  public boolean leading() {
    return leading;
  }

  /** The leader epoch it leads under: 0 alone, else higher at each takeover. */
  public long epoch() {
    return epoch;
  }

  /** What a standby answers every call with: UNAVAILABLE, so callers move on, naming the leader. */
  private RuntimeException standby() {
    String leader = election == null ? null : election.leader();
    return Status.UNAVAILABLE.withDescription("the scheduler at " + address() + " stands by; "
        + (leader == null || leader.equals(address()) ? "no leader is elected yet" : "the leader is at " + leader))
        .asRuntimeException();
  }

  /** Under the lock: stores the query's state as it is now, in order, off the lock. */
  private void persist(QueryRun q) {
    if (store == null || !leading) {
      return;
    }
    ClusterProtos.StoredQuery snapshot = q.stored();
    storeWriter.execute(() -> write(() -> store.save(q.id, snapshot.toByteArray()), "store query " + q.id));
  }

  /** Under the lock: the query is over for its client; its stored state goes. */
  private void forget(String id) {
    if (store != null && leading) {
      storeWriter.execute(() -> write(() -> store.delete(id), "forget query " + id));
    }
  }

  private void write(Runnable write, String what) {
    try {
      write.run();
    } catch (DeposedLeaderException e) {
      LOG.warn("the scheduler at {} could not {}: {}; standing by", address(), what, e.getMessage());
      election.rejoin(e.getMessage());
    } catch (RuntimeException e) {
      // The query runs on; only a failover before its next write would miss this step.
      LOG.error("the scheduler at {} could not {} in ZooKeeper", address(), what, e);
    }
  }

  /**
   * Leads under {@code newEpoch}: reloads the stored queries (splitting their split stages again as
   * they were, off the lock), expects back the workers holding their outputs, and starts serving.
   */
  private void takeOver(long newEpoch) {
    long start = System.nanoTime();
    List<QueryRun> restored = new ArrayList<>();
    Map<String, WorkerHandle> holders = new HashMap<>();
    for (Map.Entry<String, byte[]> e : store.loadAll().entrySet()) {
      try {
        restored.add(restore(ClusterProtos.StoredQuery.parseFrom(e.getValue()), newEpoch, holders));
      } catch (com.google.protobuf.InvalidProtocolBufferException | RuntimeException ex) {
        LOG.error("the scheduler at {} cannot take over query {}: {}", address(), e.getKey(), ex.toString());
      }
    }
    synchronized (lock) {
      epoch = newEpoch;
      leadingSinceNanos = System.nanoTime();
      remembered.clear();
      remembered.putAll(holders);
      for (QueryRun q : restored) {
        queries.put(q.id, q);
        for (QueryRun.StageRun s : q.stages) {
          for (QueryRun.Task t : s.tasks == null || !q.running() ? List.<QueryRun.Task>of() : s.tasks) {
            if (t.state == QueryRun.TaskState.PENDING) {
              pending.addLast(t);
            }
          }
        }
        if (q.running()) {
          startReadyStages(q);
        }
      }
      leading = true;
      lock.notifyAll();
    }
    LOG.info("the scheduler at {} took the lead under epoch {} with {} queries in {} ms; expecting {} workers back",
        address(), newEpoch, restored.size(), (System.nanoTime() - start) / 1_000_000, holders.size());
  }

  /**
   * A stored query as it was: split stages split again for the same slots, finished ones with
   * their outputs where they were (on workers expected back), the tasks of unfinished ones to run.
   */
  private QueryRun restore(ClusterProtos.StoredQuery stored, long newEpoch, Map<String, WorkerHandle> holders) {
    PhysicalNode plan = PlanProto.fromProto(stored.getRequest().getPlan());
    QueryRun q = new QueryRun(stored.getQueryId(), stored.getRequest(), StageDag.cut((PhysicalNode.Result) plan),
        newEpoch);
    q.state = stored.getState();
    q.error = stored.hasError() ? RemoteErrors.fromProto(stored.getError()) : null;
    q.traceparent = stored.getTraceparent();
    if (q.running()) { // its trace goes on under this leader
      q.span = tracing.span("query (taken over)").setParent(Tracing.fromTraceparent(q.traceparent))
          .setAttribute("kiln.query_id", q.id).setAttribute("kiln.epoch", newEpoch).startSpan();
    }
    if (!q.running()) {
      q.endNanos = System.nanoTime();
      q.tables.close();
    }
    for (ClusterProtos.StoredStage st : stored.getStagesList()) {
      if (st.getSlots() == 0) {
        continue;
      }
      QueryRun.StageRun s = q.stages.get(st.getStageId());
      List<PlanProtos.PhysicalPlan> fragments = q.running() || st.hasOutputs()
          ? encode(StageTasks.split(s.stage, q.dag, q.tables, st.getSlots(), 2 * st.getSlots())) : List.of();
      s.tasks = new ArrayList<>();
      s.splitSlots = st.getSlots();
      for (int i = 0; i < fragments.size(); i++) {
        s.tasks.add(new QueryRun.Task(s, i, fragments.get(i)));
      }
      List<ClusterProtos.MapOutputLocation> outputs = st.hasOutputs() ? StageOutputs.decode(st.getOutputs()) : List.of();
      if (outputs.size() != s.tasks.size()) {
        continue; // unfinished (or, were the files to have changed, split otherwise): its tasks run
      }
      for (QueryRun.Task t : s.tasks) {
        ClusterProtos.MapOutputLocation m = outputs.get(t.index);
        t.state = QueryRun.TaskState.DONE;
        t.output = m;
        t.attempt = m.getAttempt();
        t.worker = holders.computeIfAbsent(m.getWorkerId(),
            id -> new WorkerHandle(id, m.getHost(), m.getPort(), 1, null));
      }
      s.done = s.tasks.size();
      s.rows = st.getRows();
      s.bytes = st.getBytes();
    }
    for (QueryRun.StageRun s : q.stages) {
      s.finishedConsumers = s.finished() && q.stages.stream().filter(c -> c.stage.inputs().contains(s.stage.id()))
          .allMatch(QueryRun.StageRun::finished);
    }
    return q;
  }

  /**
   * Stops acting as leader at once (it lost the lead, or found the epoch moved on): forgets its
   * queries and workers without touching them, as the new leader runs them now.
   */
  private void standBy(String why) {
    List<WorkerHandle> dropped;
    synchronized (lock) {
      if (!leading) {
        return;
      }
      leading = false;
      for (QueryRun q : queries.values()) {
        if (q.running()) {
          q.tables.close();
        }
      }
      queries.clear();
      pending.clear();
      remembered.clear();
      dropped = new ArrayList<>(workers.values());
      workers.clear();
      freeSlots.clear();
      lock.notifyAll();
    }
    dropped.forEach(w -> w.client.close());
    LOG.warn("the scheduler at {} stands by: {}", address(), why);
  }

  // ------------------------------------------------------------------ services

  private final class SchedulerService extends SchedulerGrpc.SchedulerImplBase {
    @Override
    public void registerWorker(ClusterProtos.RegisterWorkerRequest request,
        StreamObserver<ClusterProtos.RegisterWorkerResponse> response) {
      answer(response, () -> register(request));
    }

    @Override
    public void heartbeat(ClusterProtos.HeartbeatRequest request, StreamObserver<ClusterProtos.HeartbeatResponse> response) {
      answer(response, () -> KilnScheduler.this.heartbeat(request));
    }

    @Override
    public void reportTask(ClusterProtos.TaskReport request, StreamObserver<ClusterProtos.TaskReportResponse> response) {
      answer(response, () -> {
        report(request);
        return ClusterProtos.TaskReportResponse.getDefaultInstance();
      });
    }
  }

  private final class QueriesService extends QueriesGrpc.QueriesImplBase {
    @Override
    public void clusterInfo(ClusterProtos.ClusterInfoRequest request,
        StreamObserver<ClusterProtos.ClusterInfoResponse> response) {
      answer(response, KilnScheduler.this::info);
    }

    @Override
    public void submit(ClusterProtos.SubmitRequest request, StreamObserver<ClusterProtos.SubmitResponse> response) {
      answer(response, () -> ClusterProtos.SubmitResponse.newBuilder().setQueryId(KilnScheduler.this.submit(request))
          .build());
    }

    @Override
    public void await(ClusterProtos.WaitRequest request, StreamObserver<ClusterProtos.QueryStatus> response) {
      answer(response, () -> KilnScheduler.this.await(request.getQueryId(), request.getWaitMillis()));
    }

    @Override
    public void cancel(ClusterProtos.CancelRequest request, StreamObserver<ClusterProtos.QueryStatus> response) {
      answer(response, () -> KilnScheduler.this.cancel(request.getQueryId()));
    }

    @Override
    public void resultLost(ClusterProtos.ResultLostRequest request, StreamObserver<ClusterProtos.QueryStatus> response) {
      answer(response, () -> KilnScheduler.this.resultLost(request.getQueryId(), request.getTask(),
          request.getAttempt(), request.getReason()));
    }

    @Override
    public void close(ClusterProtos.CloseRequest request, StreamObserver<ClusterProtos.CloseResponse> response) {
      answer(response, () -> {
        KilnScheduler.this.close(request.getQueryId());
        return ClusterProtos.CloseResponse.getDefaultInstance();
      });
    }
  }

  private <T> void answer(StreamObserver<T> response, java.util.function.Supplier<T> call) {
    T value;
    try {
      if (!leading) {
        throw standby();
      }
      value = call.get();
    } catch (RuntimeException e) {
      response.onError(e instanceof IllegalArgumentException
          ? Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException()
          : e instanceof io.grpc.StatusRuntimeException ? e : CarriedError.toStatus(e));
      return;
    }
    response.onNext(value);
    response.onCompleted();
  }

  /** For a constructor that failed after the server started. */
  private void closeServer() {
    closed = true;
    reaper.shutdownNow();
    dispatcher.interrupt();
    server.shutdownNow();
    calls.shutdownNow();
    storeWriter.shutdownNow();
  }

  /** Blocks until the server stops (the {@code kiln scheduler} command). */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      for (QueryRun q : new ArrayList<>(queries.values())) {
        if (q.running() && election == null) {
          end(q, ClusterProtos.QueryState.QUERY_STATE_CANCELLED, KilnException.cancelled("the scheduler is stopping"));
        }
      }
      lock.notifyAll();
    }
    if (election != null) {
      // with standbys, stopping hands the queries over: the stored state is completed, then the lead released
      storeWriter.shutdown();
      try {
        storeWriter.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      standBy("it is stopping");
      election.close();
    }
    storeWriter.shutdownNow();
    reaper.shutdownNow();
    dispatcher.interrupt();
    server.shutdown();
    try {
      dispatcher.join(5_000);
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.shutdownNow();
    calls.shutdownNow();
    synchronized (lock) {
      for (WorkerHandle w : workers.values()) {
        w.client.close();
      }
      workers.clear();
      freeSlots.clear();
    }
    tracing.close();
  }

}
