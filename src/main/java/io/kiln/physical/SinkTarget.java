package io.kiln.physical;

import io.kiln.exec.ExecContext;
import java.util.function.Consumer;

/**
 * A sink and what completes it: several pipelines may feed one sink (the inputs of a UNION ALL
 * under an aggregation); when the last of them finishes, {@code onComplete} turns the sink's state
 * into what the next pipelines read (a materialized result, a join's hash table).
 */
final class SinkTarget {
  private final Sink sink;
  private final Consumer<ExecContext> onComplete;
  private int feeding;

  SinkTarget(Sink sink, int feeding, Consumer<ExecContext> onComplete) {
    this.sink = sink;
    this.feeding = feeding;
    this.onComplete = onComplete;
  }

  Sink sink() {
    return sink;
  }

  void pipelineFinished(ExecContext ctx) {
    boolean last;
    synchronized (this) {
      last = --feeding == 0;
    }
    if (last) {
      onComplete.accept(ctx);
    }
  }
}
