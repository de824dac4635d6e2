package io.kiln.physical;

import io.kiln.data.Batch;
import java.util.function.Consumer;

/**
 * A streaming step of a pipeline (filter, project, join probe). Each worker thread has its own
 * instance. {@link #process} takes ownership of its input and hands each output batch, which the
 * receiver then owns, on as soon as it is made: a join whose keys repeat can make many bounded
 * batches from one input, never one huge one.
 */
public interface Operator {
  void process(Batch in, Consumer<Batch> out);

  /** Output owed once all input is seen (unmatched build rows of outer joins); called on one instance. */
  default Batch finish() {
    return null;
  }
}
