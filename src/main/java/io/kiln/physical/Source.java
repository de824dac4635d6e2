package io.kiln.physical;

import io.kiln.catalog.ScanTask;
import io.kiln.exec.ExecContext;
import java.util.List;

/** Where a pipeline's batches come from: a table scan's morsels, or the result of an earlier pipeline. */
public interface Source {
  /** The morsels to run, asked for once the pipelines this source reads have finished. */
  List<ScanTask> tasks(ExecContext ctx);

  /** The physical plan node whose rows this source produces (its row counter). */
  int nodeId();

  String describe();

  /** Pipelines besides its own pipeline's dependencies that must finish before it starts (the builds of its runtime filters). */
  default List<BoundPipeline> waitsFor() {
    return List.of();
  }
}
