package io.kiln.distributed.scheduler;

import io.kiln.distributed.StageOutputs;
import io.kiln.distributed.proto.ClusterProtos;
import io.kiln.error.KilnException;

/** Which task attempts a simulated worker fails, and how. */
@FunctionalInterface
interface SimulatedFaults {
  SimulatedFaults NONE = (task, workerId) -> null;

  /** The failed report (its error, maybe a fetch failure) {@code task}'s attempt ends with on {@code workerId}; null: it succeeds. */
  ClusterProtos.TaskReport.Builder failure(ClusterProtos.TaskDefinition task, String workerId);

  /** Whether the worker's every try to send {@code report} fails, so that it never reaches the scheduler. */
  default boolean loseReport(ClusterProtos.TaskReport report) {
    return false;
  }

  /** The report of the first attempt of one task (a success) never arrives; everything else goes as it should. */
  static SimulatedFaults firstReportLost(int stage, int task) {
    return new SimulatedFaults() {
      @Override
      public ClusterProtos.TaskReport.Builder failure(ClusterProtos.TaskDefinition t, String workerId) {
        return null;
      }

      @Override
      public boolean loseReport(ClusterProtos.TaskReport r) {
        return r.getStageId() == stage && r.getTask() == task && r.getAttempt() == 0;
      }
    };
  }

  /** The first attempt of one task fails with {@code kind} and {@code message}; every other attempt succeeds. */
  static SimulatedFaults firstAttempt(int stage, int task, KilnException.Kind kind, String message) {
    ClusterProtos.Error error = ClusterProtos.Error.newBuilder().setKind(kind.name()).setMessage(message).build();
    return (t, workerId) -> t.getStageId() == stage && t.getTask() == task && t.getAttempt() == 0
        ? ClusterProtos.TaskReport.newBuilder().setState(ClusterProtos.TaskState.TASK_STATE_FAILED).setError(error)
        : null;
  }

  /**
   * The first attempt of one task cannot fetch the output of {@code mapTask} of the stage it
   * reads (as if that output's file were gone); every other attempt succeeds.
   */
  static SimulatedFaults fetchFailsOnFirstAttempt(int stage, int task, int mapTask) {
    return (t, workerId) -> {
      if (t.getStageId() != stage || t.getTask() != task || t.getAttempt() != 0) {
        return null;
      }
      ClusterProtos.StageInputLocations input = t.getInputs(0);
      ClusterProtos.MapOutputLocation lost = StageOutputs.decode(input).get(mapTask);
      return ClusterProtos.TaskReport.newBuilder().setState(ClusterProtos.TaskState.TASK_STATE_FAILED)
          .setError(ClusterProtos.Error.newBuilder().setKind(KilnException.Kind.CLUSTER.name())
              .setMessage("simulated: cannot fetch partition " + task + " of map output " + mapTask))
          .setFetchFailure(ClusterProtos.FetchFailure.newBuilder().setStageId(input.getStageId())
              .setMapTask(mapTask).setAttempt(lost.getAttempt()));
    };
  }
}
