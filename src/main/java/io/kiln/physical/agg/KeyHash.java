package io.kiln.physical.agg;

import org.apache.arrow.vector.ValueVector;

/** The hash of one key value, shared by aggregation and joins so equal values hash alike everywhere. */
public final class KeyHash {
  private KeyHash() {}

  public static long hash(ValueVector v, int row) {
    return KeyColumn.hash(v, row);
  }
}
