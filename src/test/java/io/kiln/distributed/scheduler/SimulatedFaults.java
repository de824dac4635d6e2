package io.kiln.distributed.scheduler;

import io.kiln.distributed.proto.ClusterProtos;
import io.kiln.error.KilnException;

/** Which task attempts a simulated worker fails, and with what error. */
@FunctionalInterface
interface SimulatedFaults {
  SimulatedFaults NONE = (task, workerId) -> null;

  /** The error {@code task}'s attempt ends with on {@code workerId}; null: it succeeds. */
  ClusterProtos.Error failure(ClusterProtos.TaskDefinition task, String workerId);

  /** The first attempt of one task fails with {@code kind} and {@code message}; every other attempt succeeds. */
  static SimulatedFaults firstAttempt(int stage, int task, KilnException.Kind kind, String message) {
    ClusterProtos.Error error = ClusterProtos.Error.newBuilder().setKind(kind.name()).setMessage(message).build();
    return (t, workerId) -> t.getStageId() == stage && t.getTask() == task && t.getAttempt() == 0 ? error : null;
  }
}
