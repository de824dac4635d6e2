package io.kiln.distributed.scheduler;

import io.kiln.distributed.StageOutputs;
import io.kiln.distributed.TableDefinitions;
import io.kiln.distributed.proto.ClusterProtos;
import io.kiln.error.KilnException;
import io.kiln.physical.plan.proto.PlanProtos;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One query on the cluster: its stages, and for each started stage its tasks and where their
 * output is. All fields are guarded by the scheduler's lock.
 */
final class QueryRun {
  enum TaskState { PENDING, RUNNING, DONE }

  /** One task of a stage and its current attempt. */
  static final class Task {
    final StageRun stage;
    final int index;
    /** What the task runs, as sent: tasks of a stage that run the same fragment share one. */
    final PlanProtos.PhysicalPlan fragment;
    TaskState state = TaskState.PENDING;
    /** The current attempt; reports of any other are stale and ignored. */
    int attempt = -1;
    WorkerHandle worker;
    ClusterProtos.MapOutputLocation output;
    /** Rows and bytes its output holds, while it is DONE: taken off its stage's totals if the output is lost. */
    long rows;
    long bytes;
    /** Rows its current attempt has read, as its worker's heartbeats and report said. */
    long rowsRead;
    /** Times it was sent back because it could not fetch an input: not its fault, but bounded all the same. */
    int fetchFailures;
    final List<String> failures = new ArrayList<>();
    /** Ids of the workers an attempt failed on: a retry goes elsewhere when it can (the fault may be the worker's). */
    final Set<String> failedOn = new HashSet<>();

    Task(StageRun stage, int index, PlanProtos.PhysicalPlan fragment) {
      this.stage = stage;
      this.index = index;
      this.fragment = fragment;
    }

    String describe() {
      return "stage " + stage.stage.id() + " task " + index;
    }
  }

  static final class StageRun {
    final QueryRun query;
    final Stage stage;
    /** Null until the stage's inputs are done and it is split into tasks. */
    List<Task> tasks;
    int done;
    /**
     * Its done tasks' rows, bytes and longest time, added up as they finish: a client's every poll
     * shows them, and adding up all tasks at each poll cost a pass over them under the lock.
     */
    long rows;
    long bytes;
    long slowestMillis;
    /** Rows its task attempts have read, running ones included (a retried task's work counts twice). */
    long rowsRead;
    /** How task 0's pipelines ran, as its worker reported it (with generated source); empty until then. */
    String pipelinesAsRan = "";
    /** The worker that ran the task {@link #pipelinesAsRan} describes. */
    String pipelinesWorker = "";
    /** Whether every stage reading this one has finished: its output is needed no more. */
    boolean finishedConsumers;
    /** From its split to its finish; a no-op span when tracing is off. */
    io.opentelemetry.api.trace.Span span = io.opentelemetry.api.trace.Span.getInvalid();
    /** Its tasks are being made (reading footers) off the scheduler's lock. */
    boolean splitting;
    /** The slots it was split for, 0 until it is: split again the same way, it has the same tasks. */
    int splitSlots;
    /** Where its tasks' outputs are, once it has finished; reset when an output is lost. */
    ClusterProtos.StageInputLocations outputs;
    /** Its tasks that are ready to run but wait for an input stage that lost outputs to finish again. */
    final List<Task> blocked = new ArrayList<>();
    /** Why outputs of this stage were lost after it had finished, once per reopening. */
    final List<String> reopenings = new ArrayList<>();

    StageRun(QueryRun query, Stage stage) {
      this.query = query;
      this.stage = stage;
    }

    boolean finished() {
      return tasks != null && done == tasks.size();
    }

    /** Whether every stage it reads has finished (and so has all its outputs): its tasks may run. */
    boolean inputsFinished() {
      for (int i : stage.inputs()) {
        if (!query.stages.get(i).finished()) {
          return false;
        }
      }
      return true;
    }
  }

  final String id;
  final String sql;
  final StageDag dag;
  final TableDefinitions tables;
  final ClusterProtos.SubmitRequest request;
  /** What every task's definition starts from: the query, its tables and mode, shared rather than copied per task. */
  final ClusterProtos.TaskDefinition taskPrototype;
  final List<StageRun> stages = new ArrayList<>();
  final long startNanos = System.nanoTime();
  /**
   * Attempt numbers start here: the leader epoch times 1000, so a leader taking over never reuses
   * an attempt number (nor so a shuffle file name) of its predecessor's.
   */
  final int firstAttempt;
  ClusterProtos.QueryState state = ClusterProtos.QueryState.QUERY_STATE_RUNNING;
  /** From its submit to its end, under the client's span; a no-op span when tracing is off. */
  io.opentelemetry.api.trace.Span span = io.opentelemetry.api.trace.Span.getInvalid();
  /** The traceparent its submit ran under ("" untraced): stored, so a new leader continues the trace. */
  String traceparent = "";
  KilnException error;
  long endNanos;

  QueryRun(String id, ClusterProtos.SubmitRequest request, StageDag dag, long leaderEpoch) {
    this.id = id;
    this.firstAttempt = Math.toIntExact(leaderEpoch * 1000);
    this.sql = request.getSql();
    this.request = request;
    this.dag = dag;
    this.tables = new TableDefinitions(request.getTablesList());
    this.taskPrototype = ClusterProtos.TaskDefinition.newBuilder().setQueryId(id).addAllTables(request.getTablesList())
        .setMode(request.getMode()).setCodegen(request.getCodegen()).setLeaderEpoch(leaderEpoch).build();
    for (Stage s : dag.stages()) {
      stages.add(new StageRun(this, s));
    }
  }

  boolean running() {
    return state == ClusterProtos.QueryState.QUERY_STATE_RUNNING;
  }

  /** Stages not yet split whose inputs have all finished. */
  List<StageRun> ready() {
    List<StageRun> out = new ArrayList<>();
    for (StageRun s : stages) {
      if (s.tasks == null && !s.splitting && s.inputsFinished()) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * Where every task of the finished {@code stage} wrote its output. Made once and shared by every
   * task that reads the stage: made per task, it cost each of a stage's tasks a pass over all the
   * outputs of its input (map tasks times reduce tasks in all).
   */
  ClusterProtos.StageInputLocations outputs(int stage) {
    StageRun s = stages.get(stage);
    if (!s.finished()) {
      throw new IllegalStateException("stage " + stage + " of query " + id + " has not finished");
    }
    if (s.outputs == null) {
      List<ClusterProtos.MapOutputLocation> maps = new ArrayList<>(s.tasks.size());
      for (Task t : s.tasks) {
        maps.add(t.output);
      }
      s.outputs = StageOutputs.encode(stage, maps);
    }
    return s.outputs;
  }

  /** Its done tasks whose outputs {@code w} holds and a later stage still reads. */
  List<Task> neededOutputsOn(WorkerHandle w) {
    List<Task> out = new ArrayList<>();
    for (StageRun s : stages) {
      if (s.tasks == null || s.finishedConsumers) {
        continue;
      }
      for (Task t : s.tasks) {
        if (t.worker == w && t.state == TaskState.DONE) {
          out.add(t);
        }
      }
    }
    return out;
  }

  /** The query as a standby taking over needs it: its request, state, and its stages' splits and outputs. */
  ClusterProtos.StoredQuery stored() {
    ClusterProtos.StoredQuery.Builder b = ClusterProtos.StoredQuery.newBuilder().setQueryId(id).setRequest(request)
        .setState(state).setTraceparent(traceparent);
    if (error != null) {
      b.setError(io.kiln.distributed.rpc.RemoteErrors.toProto(error));
    }
    for (StageRun s : stages) {
      ClusterProtos.StoredStage.Builder st = ClusterProtos.StoredStage.newBuilder().setStageId(s.stage.id())
          .setSlots(s.splitSlots);
      if (s.finished()) {
        st.setOutputs(outputs(s.stage.id())).setRows(s.rows).setBytes(s.bytes);
      }
      b.addStages(st);
    }
    return b.build();
  }

  StageRun last() {
    return stages.get(stages.size() - 1);
  }

  /** The stages with their tasks' rows, bytes and time so far. */
  String explain() {
    StringBuilder sb = new StringBuilder();
    for (StageRun s : stages) {
      sb.append("Stage ").append(s.stage.id());
      if (!s.stage.inputs().isEmpty()) {
        sb.append(" (after stages ").append(s.stage.inputs()).append(')');
      }
      sb.append(" -> ").append(s.stage.output().describe());
      if (s.tasks != null) {
        sb.append(": ").append(s.done).append('/').append(s.tasks.size()).append(" tasks done, ").append(s.rows)
            .append(" rows, ").append(s.bytes).append(" bytes, slowest task ").append(s.slowestMillis).append(" ms");
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
