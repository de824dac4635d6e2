package io.kiln.distributed.worker;

import io.kiln.distributed.StageOutputs;
import io.kiln.distributed.TableDefinitions;
import io.kiln.distributed.proto.ClusterProtos;
import io.kiln.distributed.rpc.RemoteErrors;
import io.kiln.distributed.shuffle.FetchFailedException;
import io.kiln.distributed.shuffle.MapOutput;
import io.kiln.distributed.shuffle.ShuffleClients;
import io.kiln.distributed.shuffle.ShuffleFiles;
import io.kiln.distributed.shuffle.ShuffleInputSource;
import io.kiln.distributed.shuffle.ShuffleLocation;
import io.kiln.distributed.shuffle.ShuffleSink;
import io.kiln.error.KilnException;
import io.kiln.exec.ExecContext;
import io.kiln.observe.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.kiln.codegen.CodegenExplain;
import io.kiln.physical.DagBuilder;
import io.kiln.physical.PipelineBodies;
import io.kiln.physical.Source;
import io.kiln.physical.expr.ExprCompiler;
import io.kiln.physical.plan.PhysicalNode;
import io.kiln.physical.plan.PlanProto;
import io.kiln.physical.sink.Partitioner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.apache.arrow.memory.BufferAllocator;

/**
 * One attempt of one task on this worker: reads its fragment, runs it with its stage inputs
 * fetched from the workers that hold them, and writes its output partitions as shuffle files.
 * The report says what happened; a failure's kind and message go back as they are.
 */
final class TaskRun {
  private final ClusterProtos.TaskDefinition task;
  private final String workerId;
  private volatile ExecContext running;
  /** Set once the fragment is laid out as pipelines, while {@link #running} is set. */
  private volatile io.kiln.physical.PipelineDag dag;
  private volatile boolean cancelled;
  private final Tracing tracing;
  /** The launch call's context: the task's span is its child, so the scheduler's stage span is its ancestor. */
  private final Context traceParent;

  TaskRun(ClusterProtos.TaskDefinition task, String workerId, Tracing tracing, Context traceParent) {
    this.task = task;
    this.tracing = tracing;
    this.traceParent = traceParent;
    this.workerId = workerId;
  }

  ClusterProtos.TaskDefinition definition() {
    return task;
  }

  String describe() {
    return "query " + task.getQueryId() + " stage " + task.getStageId() + " task " + task.getTask()
        + " attempt " + task.getAttempt();
  }

  /** Rows its pipelines have read so far; 0 before they start. */
  long rowsRead() {
    ExecContext ctx = running;
    io.kiln.physical.PipelineDag d = dag;
    return ctx == null || d == null ? 0 : d.rowsRead(ctx.rowCounts());
  }

  /** Stops the task if it runs; it then reports CANCELLED. */
  void cancel() {
    cancelled = true;
    ExecContext ctx = running;
    if (ctx != null) {
      ctx.cancel();
    }
  }

  ClusterProtos.TaskReport run(BufferAllocator root, ExecutorService pipelinePool, int threads, PipelineBodies bodies,
      TableDefinitions tables, ShuffleFiles files, ShuffleClients clients, io.kiln.catalog.ReadTotals reads,
      java.nio.file.Path spillDirectory, java.util.concurrent.atomic.LongAdder spilledBytes) {
    long start = System.nanoTime();
    ClusterProtos.TaskReport.Builder report = ClusterProtos.TaskReport.newBuilder().setWorkerId(workerId)
        .setQueryId(task.getQueryId()).setStageId(task.getStageId()).setTask(task.getTask())
        .setAttempt(task.getAttempt());
    Span span = tracing.span("task").setParent(traceParent).setAttribute("kiln.query_id", task.getQueryId())
        .setAttribute("kiln.stage", task.getStageId()).setAttribute("kiln.task", task.getTask())
        .setAttribute("kiln.attempt", task.getAttempt()).setAttribute("kiln.worker", workerId).startSpan();
    try (BufferAllocator allocator = root.newChildAllocator(describe(), 0, root.getLimit());
        ExecContext ctx = new ExecContext(allocator, pipelinePool, threads, reads)) {
      ctx.trace(tracing.tracer(), Context.root().with(span));
      ctx.spillTo(spillDirectory, spilledBytes);
      running = ctx;
      if (cancelled) {
        ctx.cancel();
      }
      PhysicalNode root0 = PlanProto.fromProto(task.getFragment());
      if (!(root0 instanceof PhysicalNode.Exchange)) {
        throw KilnException.execution("a task's fragment ends in its stage's output exchange, not "
            + root0.describe());
      }
      PhysicalNode.Exchange output = (PhysicalNode.Exchange) root0;
      PhysicalNode fragment = output.input();
      int partitions = output.kind() == PhysicalNode.ExchangeKind.HASH ? output.partitions() : 1;
      Partitioner partitioner = new Partitioner(output.kind(),
          new ExprCompiler(fragment.output()).compileAll(output.keys()), partitions);
      ShuffleSink sink = ctx.register(new ShuffleSink(files, task.getQueryId(), task.getStageId(), task.getTask(),
          task.getAttempt(), partitioner));
      io.kiln.physical.PipelineDag dag = DagBuilder.buildFragment(fragment, tables, in -> stageInput(in, clients),
          bodies, ctx, sink);
      this.dag = dag;
      dag.run(ctx);
      report.setRowsRead(dag.rowsRead(ctx.rowCounts()));
      MapOutput out = sink.finish();
      if (task.getTask() == 0) {
        report.setPipelinesAsRan(CodegenExplain.asRan(dag.pipelines()));
      }
      for (int p = 0; p < partitions; p++) {
        report.addPartitionRows(out.partitionRows()[p]).addPartitionBytes(out.partitionBytes()[p]);
      }
      report.setState(ClusterProtos.TaskState.TASK_STATE_SUCCEEDED);
    } catch (RuntimeException | Error e) {
      // any Error too (a class that cannot load, no memory): a task that ends without a report hangs its query
      failed(report, e);
    } finally {
      running = null;
      dag = null;
      span.setAttribute("kiln.rows", report.getPartitionRowsList().stream().mapToLong(Long::longValue).sum())
          .setAttribute("kiln.bytes", report.getPartitionBytesList().stream().mapToLong(Long::longValue).sum())
          .setAttribute("kiln.state", report.getState().name());
      if (report.hasError()) {
        span.setStatus(StatusCode.ERROR, report.getError().getMessage());
      }
      span.end();
    }
    return report.setMillis((System.nanoTime() - start) / 1_000_000).build();
  }

  /** The report of this task ended by {@code e} before or outside {@link #run}. */
  ClusterProtos.TaskReport failed(Throwable e) {
    ClusterProtos.TaskReport.Builder report = ClusterProtos.TaskReport.newBuilder().setWorkerId(workerId)
        .setQueryId(task.getQueryId()).setStageId(task.getStageId()).setTask(task.getTask())
        .setAttempt(task.getAttempt());
    failed(report, e);
    return report.build();
  }

  private void failed(ClusterProtos.TaskReport.Builder report, Throwable e) {
    boolean wasCancel = cancelled || (e instanceof KilnException k && k.kind() == KilnException.Kind.CANCELLED);
    report.setState(wasCancel ? ClusterProtos.TaskState.TASK_STATE_CANCELLED : ClusterProtos.TaskState.TASK_STATE_FAILED)
        .setError(RemoteErrors.toProto(located(e)));
    FetchFailedException fetch = wasCancel ? null : fetchFailure(e);
    if (fetch != null) {
      ShuffleLocation from = fetch.location();
      report.setFetchFailure(ClusterProtos.FetchFailure.newBuilder().setStageId(from.stage()).setMapTask(from.task())
          .setAttempt(from.attempt()));
    }
  }

  /** The failed fetch behind {@code e}, however the pipelines wrapped it; null if none. */
  private static FetchFailedException fetchFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof FetchFailedException f) {
        return f;
      }
    }
    return null;
  }

  /** Errors name the worker and task, so the user knows where it happened. */
  private KilnException located(Throwable e) {
    String where = " (on worker " + workerId + ", " + describe() + ")";
    if (e instanceof KilnException k) {
      KilnException copy = new KilnException(k.kind(), k.detail() + where, e);
      return copy;
    }
    return new KilnException(KilnException.Kind.EXECUTION, e + where, e);
  }

  private Source stageInput(PhysicalNode.StageInput in, ShuffleClients clients) {
    List<ShuffleLocation> maps = new ArrayList<>();
    for (ClusterProtos.StageInputLocations s : task.getInputsList()) {
      if (s.getStageId() == in.stage()) {
        for (ClusterProtos.MapOutputLocation m : StageOutputs.decode(s)) {
          maps.add(new ShuffleLocation(m.getHost(), m.getPort(), task.getQueryId(), m.getStageId(), m.getMapTask(),
              m.getAttempt()));
        }
      }
    }
    if (maps.isEmpty()) {
      throw KilnException.execution("node " + in.id() + " reads stage " + in.stage()
          + ", but the task was given no output of that stage");
    }
    int partition = in.kind() == PhysicalNode.ExchangeKind.HASH ? task.getTask() : 0;
    return new ShuffleInputSource(clients, maps, partition, in.id(), in.describe());
  }
}
