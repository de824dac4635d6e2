package io.kiln.exec;

import io.kiln.catalog.ScanTask;
import io.kiln.error.KilnException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.arrow.memory.OutOfMemoryException;

/**
 * Runs a query's pipeline DAG on the worker threads, morsel by morsel: every pipeline whose
 * dependencies have finished is started and its morsels queued, so independent pipelines (the
 * build sides of a join tree) run side by side. The thread that runs a pipeline's last morsel
 * finishes it and starts the pipelines that were waiting for it. The first failure stops every
 * pipeline; whatever ran is closed before the failure is thrown.
 */
public final class DagExecutor {
  /** How often the waiting caller looks at the query's cancel flag. */
  private static final long WAIT_MILLIS = 50;

  private final ExecContext ctx;
  /** In the order given (ids), so pipelines ready together start in that order. */
  private final Map<PipelineTask, State> states = new LinkedHashMap<>();
  private final ArrayDeque<Morsel> ready = new ArrayDeque<>();
  private final List<ScanTask> planned = new ArrayList<>();
  private int unfinished;
  /** Pool tasks submitted and not yet done (with the pipelines they finish and start). */
  private int running;
  private Throwable failure;

  private static final class State {
    final PipelineTask pipeline;
    final List<State> dependents = new ArrayList<>();
    int waitingOn;
    int morselsLeft;
    final ConcurrentLinkedQueue<PipelineTask.Worker> idle = new ConcurrentLinkedQueue<>();
    final List<PipelineTask.Worker> workers = new ArrayList<>();
    /** From its start to its finish (a no-op span when the query is not traced). */
    Span span;
    int morsels;

    State(PipelineTask pipeline) {
      this.pipeline = pipeline;
    }
  }

  private record Morsel(State state, ScanTask task) {}

  private DagExecutor(List<? extends PipelineTask> pipelines, ExecContext ctx) {
    this.ctx = ctx;
    for (PipelineTask p : pipelines) {
      states.put(p, new State(p));
    }
    for (PipelineTask p : pipelines) {
      State s = states.get(p);
      for (PipelineTask d : p.dependencies()) {
        State dep = states.get(d);
        if (dep == null) {
          throw new IllegalArgumentException("pipeline " + p.id() + " depends on pipeline " + d.id()
              + ", which is not in the DAG");
        }
        dep.dependents.add(s);
        s.waitingOn++;
      }
    }
    unfinished = pipelines.size();
  }

  /** Runs every pipeline to completion, or throws the first failure once everything has stopped. */
  public static void run(List<? extends PipelineTask> pipelines, ExecContext ctx) {
    new DagExecutor(pipelines, ctx).run();
  }

  private void run() {
    try {
      List<State> roots = new ArrayList<>();
      for (State s : states.values()) {
        if (s.waitingOn == 0) {
          roots.add(s);
        }
      }
      for (State s : roots) {
        start(s);
      }
    } catch (RuntimeException | Error e) {
      fail(e);
    }
    awaitEnd();
    Throwable t;
    synchronized (this) {
      t = failure;
      if (ctx.isCancelled() && !(t instanceof KilnException)) {
        // Whatever a cancel interrupted (a wait, a read) is not the query's error: the cancel is.
        KilnException cancelled = KilnException.cancelled("the query was cancelled");
        if (t != null && !(t instanceof InterruptedException)) {
          cancelled.addSuppressed(t);
        }
        t = cancelled;
      }
      if (t == null && unfinished > 0) {
        t = new IllegalStateException(unfinished + " pipelines never ran: the DAG has a cycle");
      }
    }
    release(t);
    if (t != null) {
      throw asKilnException(t);
    }
  }

  /**
   * Waits until no pool task runs and none will be submitted: every pipeline finished, or the
   * query stopped. A running task may finish a pipeline and start the next ones, so the query is
   * over only once none runs. An interrupt of the waiting thread cancels the query.
   */
  private synchronized void awaitEnd() {
    boolean interrupted = false;
    while (running > 0 || (!stoppedLocked() && unfinished > 0 && !ready.isEmpty())) {
      try {
        wait(WAIT_MILLIS);
      } catch (InterruptedException e) {
        interrupted = true;
        ctx.cancel();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Asks a pipeline whose dependencies are done for its morsels and queues them. */
  private void start(State s) {
    s.span = ctx.span("pipeline " + s.pipeline.id());
    s.span.setAttribute("kiln.pipeline", s.pipeline.describe());
    List<ScanTask> tasks;
    try {
      tasks = s.pipeline.start(ctx);
    } catch (OutOfMemoryException e) {
      throw outOfMemory(s.pipeline.describe(), e);
    }
    boolean empty;
    synchronized (this) {
      planned.addAll(tasks);
      s.morselsLeft = tasks.size();
      s.morsels = tasks.size();
      ctx.progress().started(s.pipeline.id(), tasks.size());
      empty = tasks.isEmpty();
      for (ScanTask t : tasks) {
        ready.add(new Morsel(s, t));
      }
      dispatch();
    }
    if (empty) {
      complete(s);
    }
  }

  /**
   * Hands ready morsels to the worker pool, up to the query's thread count at a time. Each pool
   * task runs one morsel and returns its thread, so queries sharing the pool take turns morsel by
   * morsel, and an idle query holds no thread.
   */
  private void dispatch() {
    while (running < ctx.threads() && !ready.isEmpty() && !stoppedLocked()) {
      running++;
      try {
        ctx.workers().submit(this::runOneMorsel);
      } catch (RuntimeException e) {
        running--;
        fail(e);
        return;
      }
    }
  }

  private void runOneMorsel() {
    try {
      Morsel m;
      synchronized (this) {
        m = stoppedLocked() ? null : ready.poll();
      }
      if (m != null) {
        runMorsel(m);
      }
    } catch (Throwable t) {
      fail(t);
    } finally {
      synchronized (this) {
        running--;
        dispatch();
        notifyAll();
      }
    }
  }

  private void runMorsel(Morsel m) {
    State s = m.state;
    PipelineTask.Worker w = s.idle.poll();
    if (w == null) {
      w = s.pipeline.newWorker(ctx);
      synchronized (s.workers) {
        s.workers.add(w);
      }
    }
    try {
      if (!s.pipeline.satisfied()) {
        w.run(m.task, () -> stopped() || s.pipeline.satisfied());
      }
    } catch (OutOfMemoryException e) {
      throw outOfMemory(s.pipeline.describe(), e);
    } finally {
      s.idle.add(w);
    }
    ctx.progress().morselRan(s.pipeline.id());
    boolean last;
    synchronized (this) {
      last = --s.morselsLeft == 0;
    }
    if (last) {
      complete(s);
    }
  }

  private synchronized boolean stopped() {
    return stoppedLocked();
  }

  private boolean stoppedLocked() {
    return failure != null || ctx.isCancelled();
  }

  /** Finishes a pipeline whose morsels all ran and starts the pipelines that waited only for it. */
  private void complete(State s) {
    if (stopped()) {
      return;
    }
    List<PipelineTask.Worker> workers;
    synchronized (s.workers) {
      workers = new ArrayList<>(s.workers);
    }
    try {
      s.pipeline.finish(workers, ctx);
    } catch (OutOfMemoryException e) {
      throw outOfMemory(s.pipeline.describe(), e);
    } finally {
      closeWorkers(s);
    }
    s.span.setAttribute("kiln.morsels", s.morsels);
    s.span.end();
    s.span = null;
    List<State> nowReady = new ArrayList<>();
    synchronized (this) {
      unfinished--;
      for (State d : s.dependents) {
        if (--d.waitingOn == 0) {
          nowReady.add(d);
        }
      }
      notifyAll();
    }
    for (State d : nowReady) {
      start(d);
    }
  }

  private static void closeWorkers(State s) {
    List<PipelineTask.Worker> workers;
    synchronized (s.workers) {
      workers = new ArrayList<>(s.workers);
      s.workers.clear();
    }
    RuntimeException first = null;
    for (PipelineTask.Worker w : workers) {
      try {
        w.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private synchronized void fail(Throwable t) {
    if (failure == null) {
      failure = t;
    } else if (failure != t) {
      failure.addSuppressed(t);
    }
    notifyAll();
  }

  /**
   * Closes the workers of pipelines that did not finish and every morsel, run or not (LIMIT
   * reached, failure, cancel), so what a morsel holds outside its run (bytes read ahead) is
   * released before the query's allocator closes. A failure to close joins the query's failure.
   */
  private void release(Throwable failed) {
    RuntimeException closing = null;
    for (State s : states.values()) {
      if (s.span != null) { // started, never finished
        s.span.setStatus(StatusCode.ERROR, failed == null ? "stopped" : String.valueOf(failed.getMessage()));
        s.span.end();
        s.span = null;
      }
      try {
        closeWorkers(s);
      } catch (RuntimeException e) {
        closing = joined(closing, e);
      }
    }
    List<ScanTask> tasks;
    synchronized (this) {
      tasks = new ArrayList<>(planned);
    }
    for (ScanTask t : tasks) {
      try {
        t.close();
      } catch (RuntimeException e) {
        closing = joined(closing, e);
      }
    }
    if (closing != null) {
      if (failed != null) {
        failed.addSuppressed(closing);
      } else {
        throw closing;
      }
    }
  }

  private static RuntimeException joined(RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  /** The memory limit error, naming the step that hit it. */
  public static KilnException outOfMemory(String where, OutOfMemoryException e) {
    return new KilnException(KilnException.Kind.RESOURCE, "query memory limit exceeded in " + where + ": "
        + e.getMessage() + " (raise it with memoryLimit / --memory-limit)", e);
  }

  static RuntimeException asKilnException(Throwable t) {
    if (t instanceof KilnException) {
      return (KilnException) t;
    }
    if (t instanceof OutOfMemoryException) {
      return new KilnException(KilnException.Kind.RESOURCE, "query memory limit exceeded: " + t.getMessage()
          + " (raise it with memoryLimit / --memory-limit)", t);
    }
    if (t instanceof RuntimeException) {
      return (RuntimeException) t;
    }
    if (t instanceof Error) {
      throw (Error) t;
    }
    return new KilnException(KilnException.Kind.EXECUTION, t.toString(), t);
  }
}
