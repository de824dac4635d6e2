package io.kiln.distributed.scheduler;

import io.kiln.catalog.ScanTaskDescriptor;
import io.kiln.physical.plan.PhysicalNode;
import io.kiln.physical.plan.PlanNodes;
import io.kiln.physical.plan.TableResolver;
import io.kiln.physical.source.ScanSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The tasks of a stage, each its fragment as one task runs it (the stage's output exchange on
 * top). A stage that scans a table has a task per group of the scan's morsels; one that reads hash
 * partitioned input has a task per partition (task {@code i} reads partition {@code i} of every
 * such input); any other stage has one task. Broadcast and gathered inputs are read whole by every
 * task.
 */
public final class StageTasks {
  private StageTasks() {}

  /**
   * The task fragments of {@code stage}; a scan's morsels (split for {@code slots} task slots in
   * all) are dealt out so that there are at most {@code maxTasks} tasks.
   */
  public static List<PhysicalNode.Exchange> split(Stage stage, StageDag dag, TableResolver tables, int slots,
      int maxTasks) {
    PhysicalNode.Exchange output = stage.output();
    List<PhysicalNode.Scan> scans = PlanNodes.find(stage.fragment(), PhysicalNode.Scan.class);
    if (scans.size() > 1) {
      throw new IllegalArgumentException("stage " + stage.id() + " scans " + scans.size()
          + " tables; a cluster plan gives each scan a stage of its own");
    }
    List<PhysicalNode.Exchange> tasks = new ArrayList<>();
    if (scans.size() == 1) {
      PhysicalNode.Scan scan = scans.get(0);
      List<ScanTaskDescriptor> morsels = tables.table(scan.table())
          .splitScan(ScanSource.request(scan).forWorkers(Math.max(1, slots)));
      if (morsels.isEmpty()) {
        // An empty table: one task that finds nothing, so consumers still see the stage's (empty) output.
        tasks.add(output);
        return tasks;
      }
      int n = Math.min(morsels.size(), Math.max(1, maxTasks));
      for (int t = 0; t < n; t++) {
        // Morsels dealt in turn: neighbouring row groups go to different tasks, which evens out sizes.
        List<ScanTaskDescriptor> share = new ArrayList<>();
        for (int m = t; m < morsels.size(); m += n) {
          share.add(morsels.get(m));
        }
        tasks.add((PhysicalNode.Exchange) PlanNodes.mapBottomUp(output,
            node -> node.id() == scan.id() ? ((PhysicalNode.Scan) node).withTasks(share) : node));
      }
      return tasks;
    }
    int partitions = 1;
    for (PhysicalNode.StageInput in : PlanNodes.find(stage.fragment(), PhysicalNode.StageInput.class)) {
      if (in.kind() == PhysicalNode.ExchangeKind.HASH) {
        int p = dag.stage(in.stage()).output().partitions();
        if (partitions > 1 && p != partitions) {
          throw new IllegalArgumentException("stage " + stage.id() + " reads hash partitioned inputs of "
              + partitions + " and " + p + " partitions");
        }
        partitions = p;
      }
    }
    for (int t = 0; t < partitions; t++) {
      tasks.add(output);
    }
    return tasks;
  }
}
