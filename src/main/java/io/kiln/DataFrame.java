package io.kiln;

import io.kiln.logical.LogicalPlan;

/** A query built step by step; nothing runs until {@link #collect()}. */
public final class DataFrame {
  private final Kiln kiln;
  private final LogicalPlan plan;

  DataFrame(Kiln kiln, LogicalPlan plan) {
    this.kiln = kiln;
    this.plan = plan;
  }

  public LogicalPlan logicalPlan() {
    return plan;
  }

  public Result collect() {
    return kiln.run(plan);
  }

  public String explain() {
    return kiln.explain(plan);
  }
}
