package io.kiln.distributed.ha;

import io.kiln.error.KilnException;

/**
 * A scheduler tried to change the cluster's state after another had taken the lead (the epoch in
 * ZooKeeper moved on): it must stop acting as leader at once.
 */
public final class DeposedLeaderException extends KilnException {
  public DeposedLeaderException(String message) {
    super(Kind.CLUSTER, message);
  }
}
