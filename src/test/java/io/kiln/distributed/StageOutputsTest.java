package io.kiln.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.distributed.proto.ClusterProtos;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StageOutputsTest {
  private static ClusterProtos.MapOutputLocation output(int stage, int map, int worker, int attempt) {
    return ClusterProtos.MapOutputLocation.newBuilder().setWorkerId("127.0.0.1:" + (40000 + worker) + "-w" + worker)
        .setHost("127.0.0.1").setPort(40000 + worker).setStageId(stage).setMapTask(map).setAttempt(attempt).build();
  }

  @Test
  void outputsComeBackAsTheyWereWithEachWorkerNamedOnce() {
    List<ClusterProtos.MapOutputLocation> maps = new ArrayList<>();
    for (int i = 0; i < 1600; i++) {
      maps.add(output(7, i, i % 3, i % 5 == 0 ? 1 : 0));
    }
    ClusterProtos.StageInputLocations encoded = StageOutputs.encode(7, maps);

    assertEquals(maps, StageOutputs.decode(encoded));
    assertEquals(3, encoded.getWorkersCount());
    int asList = maps.stream().mapToInt(ClusterProtos.MapOutputLocation::getSerializedSize).sum();
    assertTrue(encoded.getSerializedSize() < asList / 10, encoded.getSerializedSize() + " bytes against " + asList);
  }

  @Test
  void outputsOutOfTaskOrderAreRefused() {
    List<ClusterProtos.MapOutputLocation> maps = List.of(output(2, 1, 0, 0), output(2, 0, 0, 0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StageOutputs.encode(2, maps));
    assertTrue(e.getMessage().contains("output 0 of stage 2"), e.getMessage());
  }

  @Test
  void anEmptyStageHasNoOutputs() {
    assertEquals(List.of(), StageOutputs.decode(StageOutputs.encode(4, List.of())));
  }
}
