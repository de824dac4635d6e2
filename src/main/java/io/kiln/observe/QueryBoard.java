package io.kiln.observe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The queries of one process as they start, progress and end, for a dashboard: whoever runs a
 * query {@link #start}s a {@link Tracked} entry and feeds it. Keeps the last {@code history}
 * ended queries, so a long-lived session does not grow without bound.
 */
public final class QueryBoard implements DashboardSource {
  private final int history;
  private final Supplier<List<WorkerView>> workers;
  private final AtomicLong ids = new AtomicLong();
  /** In start order; guarded by itself. */
  private final Map<String, Tracked> queries = new LinkedHashMap<>();

  /** {@code workers} tells what runs the queries (for a session: the session itself). */
  public QueryBoard(int history, Supplier<List<WorkerView>> workers) {
    this.history = history;
    this.workers = workers;
  }

  /** A query starts; {@code cancel} stops it (the dashboard's cancel button). */
  public Tracked start(String sql, String user, Runnable cancel) {
    Tracked t = new Tracked("q" + ids.incrementAndGet(), sql, user, cancel);
    synchronized (queries) {
      queries.put(t.id, t);
    }
    return t;
  }

  @Override
  public List<WorkerView> workers() {
    return workers.get();
  }

  @Override
  public List<QueryView> queries() {
    List<Tracked> all;
    synchronized (queries) {
      all = new ArrayList<>(queries.values());
    }
    List<QueryView> running = new ArrayList<>();
    List<QueryView> ended = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0; i--) { // newest first: the map keeps start order
      QueryView v = all.get(i).view();
      (v.running() ? running : ended).add(v);
    }
    running.addAll(ended);
    return running;
  }

  @Override
  public Optional<QueryView> query(String id) {
    Tracked t;
    synchronized (queries) {
      t = queries.get(id);
    }
    return t == null ? Optional.empty() : Optional.of(t.view());
  }

  @Override
  public boolean cancel(String id) {
    Tracked t;
    synchronized (queries) {
      t = queries.get(id);
    }
    if (t == null || !t.view().running()) {
      return false;
    }
    t.cancel.run();
    return true;
  }

  /** Drops the oldest ended queries beyond the history's size. */
  private void trim() {
    synchronized (queries) {
      int ended = 0;
      for (Tracked t : queries.values()) {
        ended += t.ended() ? 1 : 0;
      }
      var it = queries.values().iterator();
      while (ended > history && it.hasNext()) {
        if (it.next().ended()) {
          it.remove();
          ended--;
        }
      }
    }
  }

  /** One query on the board, fed by whoever runs it. */
  public final class Tracked {
    private final String id;
    private final String sql;
    private final String user;
    private final Runnable cancel;
    private final long startMillis = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();
    private volatile Supplier<List<StageView>> progress = List::of;
    /** Its steps as they ended, so the DAG stays when the running pipelines are gone. */
    private volatile List<StageView> finalStages;
    private volatile String analyze = "";
    private volatile String code = "";
    private volatile String traceId = "";
    private volatile String status = QueryView.RUNNING;
    private volatile String error = "";
    private volatile long durationMillis = -1;

    private Tracked(String id, String sql, String user, Runnable cancel) {
      this.id = id;
      this.sql = sql;
      this.user = user;
      this.cancel = cancel;
    }

    public String id() {
      return id;
    }

    /** Where its live per-step progress is read from while it runs. */
    public void progress(Supplier<List<StageView>> progress) {
      this.progress = progress;
      this.finalStages = null;
    }

    /** What ran: its EXPLAIN ANALYZE text and its pipelines' generated source. */
    public void explained(String analyze, String code) {
      this.analyze = analyze;
      this.code = code;
    }

    public void traceId(String traceId) {
      this.traceId = traceId;
    }

    /** It ended with {@code status} (a {@link QueryOutcomes} status) and, unless it succeeded, an error. */
    public void ended(String status, String error) {
      this.finalStages = progress.get();
      this.progress = List::of; // what ran (a pipeline DAG) is not kept for the history
      this.durationMillis = (System.nanoTime() - startNanos) / 1_000_000;
      this.error = error;
      this.status = status;
      trim();
    }

    boolean ended() {
      return !QueryView.RUNNING.equals(status);
    }

    QueryView view() {
      String s = status;
      long duration = durationMillis;
      List<StageView> stages = finalStages != null ? finalStages : progress.get();
      return new QueryView(id, sql, user, startMillis,
          duration >= 0 ? duration : (System.nanoTime() - startNanos) / 1_000_000, s, error, stages, analyze, code,
          traceId);
    }
  }
}
