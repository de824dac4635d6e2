package io.kiln.distributed;

import io.kiln.distributed.proto.ClusterProtos;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a finished stage's map outputs are, in the compact form a task definition carries (each
 * worker named once, then a worker index and an attempt per map task), and back.
 */
public final class StageOutputs {
  private StageOutputs() {}

  /** {@code maps} are the stage's outputs in map task order, the i-th written by map task i. */
  public static ClusterProtos.StageInputLocations encode(int stage, List<ClusterProtos.MapOutputLocation> maps) {
    ClusterProtos.StageInputLocations.Builder b = ClusterProtos.StageInputLocations.newBuilder().setStageId(stage);
    Map<String, Integer> workerIndex = new HashMap<>();
    for (int i = 0; i < maps.size(); i++) {
      ClusterProtos.MapOutputLocation m = maps.get(i);
      if (m.getStageId() != stage || m.getMapTask() != i) {
        throw new IllegalArgumentException("output " + i + " of stage " + stage + " is " + m);
      }
      Integer w = workerIndex.get(m.getWorkerId());
      if (w == null) {
        w = workerIndex.size();
        workerIndex.put(m.getWorkerId(), w);
        b.addWorkers(ClusterProtos.WorkerAddress.newBuilder().setWorkerId(m.getWorkerId()).setHost(m.getHost())
            .setPort(m.getPort()));
      }
      b.addMapWorker(w).addMapAttempt(m.getAttempt());
    }
    return b.build();
  }

  public static List<ClusterProtos.MapOutputLocation> decode(ClusterProtos.StageInputLocations in) {
    if (in.getMapWorkerCount() != in.getMapAttemptCount()) {
      throw new IllegalArgumentException("stage " + in.getStageId() + " lists " + in.getMapWorkerCount()
          + " map workers but " + in.getMapAttemptCount() + " attempts");
    }
    List<ClusterProtos.MapOutputLocation> out = new ArrayList<>(in.getMapWorkerCount());
    for (int i = 0; i < in.getMapWorkerCount(); i++) {
      ClusterProtos.WorkerAddress w = in.getWorkers(in.getMapWorker(i));
      out.add(ClusterProtos.MapOutputLocation.newBuilder().setWorkerId(w.getWorkerId()).setHost(w.getHost())
          .setPort(w.getPort()).setStageId(in.getStageId()).setMapTask(i).setAttempt(in.getMapAttempt(i)).build());
    }
    return out;
  }
}
