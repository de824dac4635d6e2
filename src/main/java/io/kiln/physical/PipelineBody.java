package io.kiln.physical;

import io.kiln.data.Batch;

/**
 * What happens to a pipeline's batches between its source and its sink, on one worker thread:
 * either the interpreted operator chain or one generated class. This is the one place where the
 * two execution modes differ.
 */
public interface PipelineBody {
  /** Takes ownership of the batch and pushes what comes out of it into the sink's local state. */
  void push(Batch batch, Sink.Local local);

  /** Pushes output owed after the last batch (unmatched build rows of outer joins). */
  void finish(Sink.Local local);

  /** Makes one body per worker thread. */
  interface Factory {
    PipelineBody create(io.kiln.exec.ExecContext ctx);

    /** How the body was made, for EXPLAIN ANALYZE and logs ("interpreted", "compiled ..."). */
    String describe();

    /** The Java source a compiled body runs, for the dashboard and EXPLAIN; null for interpreted bodies. */
    default String generatedSource() {
      return null;
    }
  }
}
