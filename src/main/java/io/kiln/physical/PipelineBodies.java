package io.kiln.physical;

import io.kiln.exec.ExecContext;

/** Chooses how each pipeline of a query runs: interpreted, or as a generated class. */
public interface PipelineBodies {
  PipelineBody.Factory factory(Pipeline pipeline, Sink sink, ExecContext ctx);

  PipelineBodies INTERPRETED = (pipeline, sink, ctx) -> InterpretedBody.factory(pipeline, sink);
}
