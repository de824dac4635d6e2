package io.kiln.physical;

import io.kiln.error.KilnException;
import io.kiln.physical.plan.PhysicalNode;

/**
 * Where a plan fragment's {@link PhysicalNode.StageInput}s read their rows: a cluster worker
 * fetches them from the workers that ran the input stage's tasks. A plan run in one process has
 * none.
 */
@FunctionalInterface
public interface StageInputs {
  /** The source of the rows {@code input} stands for, for the task running the fragment. */
  Source open(PhysicalNode.StageInput input);

  /** For plans that run whole in one process, where a stage input is a planning mistake. */
  StageInputs NONE = input -> {
    throw KilnException.execution("plan node " + input.id() + " reads stage " + input.stage()
        + ", which only a cluster worker running that stage's task can do");
  };
}
