package io.kiln.physical;

import io.kiln.data.Batch;

/**
 * A streaming step of a pipeline (filter, project, join probe). Each worker thread has its own
 * instance. {@link #process} takes ownership of its input and returns an owned output or null.
 */
public interface Operator {
  Batch process(Batch in);

  /** Output owed once all input is seen (unmatched build rows of outer joins); called on one instance. */
  default Batch finish() {
    return null;
  }
}
