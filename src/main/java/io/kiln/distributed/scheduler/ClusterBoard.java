package io.kiln.distributed.scheduler;

import io.kiln.distributed.proto.ClusterProtos;
import io.kiln.observe.DashboardSource;
import io.kiln.observe.QueryOutcomes;
import io.kiln.observe.QueryView;
import io.kiln.observe.StageView;
import io.kiln.observe.WorkerView;
import io.kiln.physical.PipelineDag;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The scheduler as its dashboard shows it: its workers and its queries' stages, read under the
 * scheduler's lock at each update, and the queries that ended, kept as they ended (the scheduler
 * itself forgets a query once its client closes it).
 */
final class ClusterBoard implements DashboardSource {
  /** Ended queries kept for the history page. */
  private static final int HISTORY = 200;

  private final Object lock;
  private final Map<String, WorkerHandle> workers;
  private final Map<String, QueryRun> queries;
  private final Consumer<String> cancel;
  /** Newest first; guarded by the lock. */
  private final Deque<QueryView> ended = new ArrayDeque<>();

  /** Over the scheduler's own {@code lock}, {@code workers} and {@code queries}; {@code cancel} is its cancel path. */
  ClusterBoard(Object lock, Map<String, WorkerHandle> workers, Map<String, QueryRun> queries, Consumer<String> cancel) {
    this.lock = lock;
    this.workers = workers;
    this.queries = queries;
    this.cancel = cancel;
  }

  /** Under the lock: {@code q} has just ended; it stays on the history page. */
  void ended(QueryRun q) {
    ended.removeIf(v -> v.id().equals(q.id));
    ended.addFirst(view(q));
    while (ended.size() > HISTORY) {
      ended.removeLast();
    }
  }

  @Override
  public List<WorkerView> workers() {
    long now = System.nanoTime();
    List<WorkerView> out = new ArrayList<>();
    synchronized (lock) {
      for (WorkerHandle w : workers.values()) {
        out.add(new WorkerView(w.id, w.address(), w.slots, w.busy,
            TimeUnit.NANOSECONDS.toMillis(now - w.lastSeenNanos), w.memoryBytes, w.draining));
      }
    }
    return out;
  }

  @Override
  public List<QueryView> queries() {
    synchronized (lock) {
      Map<String, QueryView> out = new LinkedHashMap<>();
      List<QueryRun> running = new ArrayList<>(queries.values());
      java.util.Collections.reverse(running);
      for (QueryRun q : running) {
        if (q.running()) {
          out.put(q.id, view(q));
        }
      }
      for (QueryView v : ended) {
        out.putIfAbsent(v.id(), v);
      }
      return new ArrayList<>(out.values());
    }
  }

  @Override
  public Optional<QueryView> query(String id) {
    synchronized (lock) {
      QueryRun q = queries.get(id);
      if (q != null && q.running()) {
        return Optional.of(view(q));
      }
      for (QueryView v : ended) {
        if (v.id().equals(id)) {
          return Optional.of(v);
        }
      }
      return q == null ? Optional.empty() : Optional.of(view(q));
    }
  }

  @Override
  public boolean cancel(String id) {
    synchronized (lock) {
      QueryRun q = queries.get(id);
      if (q == null || !q.running()) {
        return false;
      }
    }
    cancel.accept(id);
    return true;
  }

  /** Under the lock. */
  private static QueryView view(QueryRun q) {
    List<StageView> stages = new ArrayList<>();
    for (QueryRun.StageRun s : q.stages) {
      stages.add(new StageView(s.stage.id(), s.stage.fragment().describe() + " -> " + s.stage.output().describe(),
          s.stage.inputs(), s.done,
          s.tasks == null ? 0 : s.tasks.size(), s.rowsRead, s.rows, s.bytes));
    }
    long end = q.running() ? System.nanoTime() : q.endNanos;
    long startMillis = System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - q.startNanos);
    String analyze = q.running() ? "" : analyze(q);
    return new QueryView(q.id, q.sql, q.request.getUser(), startMillis, TimeUnit.NANOSECONDS.toMillis(end - q.startNanos),
        status(q.state), q.error == null ? "" : q.error.getMessage(), stages, analyze,
        pipelinesAsRan(q),
        q.span.getSpanContext().isValid() ? q.span.getSpanContext().getTraceId() : "");
  }

  /** Each stage's pipelines as its task 0 ran them, with the source its worker generated and compiled. */
  private static String pipelinesAsRan(QueryRun q) {
    StringBuilder sb = new StringBuilder();
    for (QueryRun.StageRun s : q.stages) {
      sb.append("Stage ").append(s.stage.id());
      if (s.pipelinesAsRan.isEmpty()) {
        sb.append(": task 0 has not finished\n\n");
      } else {
        sb.append(", task 0 on worker ").append(s.pipelinesWorker).append(":\n").append(s.pipelinesAsRan);
      }
    }
    return sb.toString();
  }

  /** The stages with the rows, bytes and time their tasks reported, and each stage's plan. */
  private static String analyze(QueryRun q) {
    StringBuilder sb = new StringBuilder("Stages, as they ran:\n").append(q.explain()).append("\nStage plans:\n");
    for (QueryRun.StageRun s : q.stages) {
      sb.append("Stage ").append(s.stage.id()).append(":\n").append(PipelineDag.tree(s.stage.fragment()));
    }
    return sb.toString();
  }

  private static String status(ClusterProtos.QueryState state) {
    switch (state) {
      case QUERY_STATE_RUNNING:
        return QueryView.RUNNING;
      case QUERY_STATE_SUCCEEDED:
        return QueryOutcomes.SUCCEEDED;
      case QUERY_STATE_FAILED:
        return QueryOutcomes.FAILED;
      default:
        return QueryOutcomes.CANCELLED;
    }
  }
}
