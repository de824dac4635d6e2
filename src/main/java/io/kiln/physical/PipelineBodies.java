package io.kiln.physical;

import io.kiln.exec.ExecContext;

/** Chooses how each pipeline of a query runs: interpreted, or as a generated class. */
public interface PipelineBodies {
  /**
   * The bodies of a pipeline whose source produces about {@code inputRows} rows in this query (-1
   * if its morsels do not say).
   */
  PipelineBody.Factory factory(Pipeline pipeline, Sink sink, ExecContext ctx, long inputRows);

  PipelineBodies INTERPRETED = (pipeline, sink, ctx, inputRows) -> InterpretedBody.factory(pipeline, sink);
}
