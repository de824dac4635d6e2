package io.kiln.distributed.scheduler;

import io.kiln.physical.plan.PhysicalNode;
import java.util.List;

/**
 * A piece of a cluster plan that runs as tasks: its {@code output} exchange's input is the
 * fragment each task runs, and each task writes its rows into the exchange's partitions (one
 * partition for a broadcast or a gather: it is read whole). {@code inputs} are the stages whose
 * output the fragment's {@link PhysicalNode.StageInput}s read; they finish first.
 */
public record Stage(int id, PhysicalNode.Exchange output, List<Integer> inputs) {
  public Stage {
    inputs = List.copyOf(inputs);
  }

  public PhysicalNode fragment() {
    return output.input();
  }

  /** How many partitions each task writes. */
  public int outputPartitions() {
    return output.kind() == PhysicalNode.ExchangeKind.HASH ? output.partitions() : 1;
  }
}
