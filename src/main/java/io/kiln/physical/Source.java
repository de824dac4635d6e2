package io.kiln.physical;

import io.kiln.catalog.ScanTask;
import io.kiln.exec.ExecContext;
import java.util.List;

/** Where a pipeline's batches come from: a table scan's morsels, or the result of an earlier pipeline. */
public interface Source {
  /** The morsels to run; may execute upstream pipelines first. */
  List<ScanTask> tasks(ExecContext ctx);

  String describe();

  /** Pipelines this source runs first, for EXPLAIN. */
  default List<Pipeline> dependencies() {
    return List.of();
  }
}
