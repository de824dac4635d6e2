package io.kiln.distributed.shuffle;

import io.kiln.error.KilnException;

/**
 * A map output could not be read from the worker that wrote it (gone, unreachable, or the file is
 * missing). The fault is with the producer, not the task that asked: a CLUSTER error that names
 * the location, so the scheduler can regenerate it.
 */
public final class FetchFailedException extends KilnException {
  private final ShuffleLocation location;
  private final int partition;

  public FetchFailedException(ShuffleLocation location, int partition, Throwable cause) {
    super(Kind.CLUSTER, "cannot fetch partition " + partition + " of the output of " + location + ": "
        + io.kiln.distributed.rpc.RemoteErrors.reason(cause), cause);
    this.location = location;
    this.partition = partition;
  }

  public ShuffleLocation location() {
    return location;
  }

  public int partition() {
    return partition;
  }
}
