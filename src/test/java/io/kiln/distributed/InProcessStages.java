package io.kiln.distributed;

import io.kiln.data.Batch;
import io.kiln.distributed.scheduler.Stage;
import io.kiln.distributed.scheduler.StageDag;
import io.kiln.distributed.scheduler.StageTasks;
import io.kiln.exec.ExecContext;
import io.kiln.physical.Batches;
import io.kiln.physical.DagBuilder;
import io.kiln.physical.PipelineBodies;
import io.kiln.physical.expr.ExprCompiler;
import io.kiln.physical.plan.PhysicalNode;
import io.kiln.physical.plan.TableResolver;
import io.kiln.physical.sink.ExchangeSink;
import io.kiln.physical.source.BatchListSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Runs a stage DAG the way a cluster does, stage by stage and task by task, but in this process
 * with the tasks' partitions kept in memory: it checks the cluster planner, the stage cutting and
 * the task fragments without processes or a network. Each task writes its output exchange's
 * partitions; task {@code i} of a stage reads partition {@code i} of its hash partitioned inputs
 * and all of its broadcast and gathered ones.
 */
final class InProcessStages implements AutoCloseable {
  private final BufferAllocator allocator;
  private final ExecutorService workers;
  private final int threads;
  /** Per stage, per task, per partition: the batches written. */
  private final Map<Integer, List<List<List<Batch>>>> outputs = new HashMap<>();

  InProcessStages(BufferAllocator allocator, ExecutorService workers, int threads) {
    this.allocator = allocator;
    this.workers = workers;
    this.threads = threads;
  }

  /** Runs every stage; the last stage's rows, owned by the caller. */
  List<Batch> run(StageDag dag, TableResolver tables, PipelineBodies bodies, int slots, int maxTasks) {
    for (Stage stage : dag.stages()) {
      List<PhysicalNode.Exchange> tasks = StageTasks.split(stage, dag, tables, slots, maxTasks);
      List<List<List<Batch>>> written = new ArrayList<>();
      outputs.put(stage.id(), written);
      for (int t = 0; t < tasks.size(); t++) {
        written.add(runTask(tasks.get(t), t, tables, bodies));
      }
    }
    List<Batch> result = new ArrayList<>();
    for (List<List<Batch>> task : outputs.remove(dag.last().id())) {
      result.addAll(task.get(0));
    }
    return result;
  }

  private List<List<Batch>> runTask(PhysicalNode.Exchange task, int index, TableResolver tables,
      PipelineBodies bodies) {
    PhysicalNode fragment = task.input();
    ExchangeSink out = new ExchangeSink(task.kind(), new ExprCompiler(fragment.output()).compileAll(task.keys()),
        task.kind() == PhysicalNode.ExchangeKind.HASH ? task.partitions() : 1);
    try (ExecContext ctx = new ExecContext(allocator, workers, threads)) {
      ctx.register(out);
      DagBuilder.buildFragment(fragment, tables, in -> new BatchListSource(c -> read(in, index, c.allocator()),
          in.id(), in.describe()), bodies, ctx, out).run(ctx);
      return out.take();
    }
  }

  /** A copy of what the input's stage wrote for task {@code index}: every reader gets its own. */
  private List<Batch> read(PhysicalNode.StageInput in, int index, BufferAllocator into) {
    int partition = in.kind() == PhysicalNode.ExchangeKind.HASH ? index : 0;
    List<Batch> batches = new ArrayList<>();
    for (List<List<Batch>> task : outputs.get(in.stage())) {
      for (Batch b : task.get(partition)) {
        batches.add(Batches.share(b, into));
      }
    }
    return batches;
  }

  @Override
  public void close() {
    for (List<List<List<Batch>>> stage : outputs.values()) {
      for (List<List<Batch>> task : stage) {
        for (List<Batch> part : task) {
          Batches.closeAll(part);
        }
      }
    }
    outputs.clear();
  }
}
