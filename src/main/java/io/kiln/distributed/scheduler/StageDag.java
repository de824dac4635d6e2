package io.kiln.distributed.scheduler;

import io.kiln.physical.plan.PhysicalNode;
import io.kiln.physical.plan.PlanNodes;
import java.util.ArrayList;
import java.util.List;

/**
 * A cluster plan cut at its exchanges: each exchange's input becomes a stage, and the exchange
 * itself a {@link PhysicalNode.StageInput} of the stage that reads it. The last stage holds the
 * result's rows in one partition of one task. Stages are listed inputs first.
 */
public final class StageDag {
  private final List<Stage> stages = new ArrayList<>();
  private int nextNodeId;

  private StageDag(int nextNodeId) {
    this.nextNodeId = nextNodeId;
  }

  public static StageDag cut(PhysicalNode.Result plan) {
    StageDag dag = new StageDag(maxId(plan) + 1);
    PhysicalNode top = dag.cutInputs(plan.input());
    dag.add(new PhysicalNode.Exchange(dag.nextNodeId++, top, PhysicalNode.ExchangeKind.GATHER, List.of(), 1));
    return dag;
  }

  public List<Stage> stages() {
    return List.copyOf(stages);
  }

  public Stage stage(int id) {
    return stages.get(id);
  }

  /** The stage whose single task holds the query's result. */
  public Stage last() {
    return stages.get(stages.size() - 1);
  }

  /** The node with every exchange under it replaced by a stage input of a new stage. */
  private PhysicalNode cutInputs(PhysicalNode node) {
    if (node instanceof PhysicalNode.Exchange x) {
      PhysicalNode input = cutInputs(x.input());
      Stage s = add(new PhysicalNode.Exchange(x.id(), input, x.kind(), x.keys(), x.partitions()));
      return new PhysicalNode.StageInput(nextNodeId++, s.id(), x.kind(), x.output());
    }
    List<PhysicalNode> inputs = node.inputs();
    List<PhysicalNode> cut = new ArrayList<>();
    boolean changed = false;
    for (PhysicalNode in : inputs) {
      PhysicalNode c = cutInputs(in);
      cut.add(c);
      changed |= c != in;
    }
    return changed ? PlanNodes.withInputs(node, cut) : node;
  }

  private Stage add(PhysicalNode.Exchange output) {
    Stage s = new Stage(stages.size(), output, stageInputs(output.input(), new ArrayList<>()));
    stages.add(s);
    return s;
  }

  private static List<Integer> stageInputs(PhysicalNode node, List<Integer> into) {
    if (node instanceof PhysicalNode.StageInput in) {
      into.add(in.stage());
    }
    for (PhysicalNode c : node.inputs()) {
      stageInputs(c, into);
    }
    return into;
  }

  private static int maxId(PhysicalNode node) {
    int max = node.id();
    for (PhysicalNode in : node.inputs()) {
      max = Math.max(max, maxId(in));
    }
    return max;
  }

  /** Each stage with its inputs, for EXPLAIN DISTRIBUTED. */
  /**
   * EXPLAIN DISTRIBUTED: each stage, what it waits for, how its output is partitioned, and the
   * tasks it would be split into on a cluster of {@code slots} slots.
   */
  public String explain(io.kiln.physical.plan.TableResolver tables, int slots) {
    StringBuilder sb = new StringBuilder();
    for (Stage s : stages) {
      int tasks = StageTasks.split(s, this, tables, slots, 2 * slots).size();
      boolean scans = !PlanNodes.find(s.fragment(), PhysicalNode.Scan.class).isEmpty();
      sb.append("Stage ").append(s.id()).append(s.inputs().isEmpty() ? "" : " (after stages " + s.inputs() + ")")
          .append(" -> ").append(s.output().describe()).append(": ").append(tasks).append(tasks == 1 ? " task" : " tasks")
          .append(scans ? " (scan morsels dealt out)" : tasks > 1 ? " (one per input partition)" : "").append('\n');
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Stage s : stages) {
      sb.append("Stage ").append(s.id()).append(s.inputs().isEmpty() ? "" : " (after stages " + s.inputs() + ")")
          .append(" -> ").append(s.output().describe()).append('\n');
    }
    return sb.toString();
  }
}
