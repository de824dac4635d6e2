package io.kiln.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.QueryHandle;
import io.kiln.testing.Signals;
import io.kiln.tpch.TpchQueries;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker stopped with SIGTERM mid-query drains rather than dies: it takes no new tasks, keeps
 * serving the outputs the query still reads (so none has to be made again), and exits once the
 * scheduler lets it go; a worker started meanwhile takes its place.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterDrainTest {
  @TempDir Path data;

  @Test
  void aWorkerStoppedMidQueryDrainsAndAnotherJoins() throws Exception {
    try (FaultyTpchCluster tpch = FaultyTpchCluster.start(data, 2)) {
      LocalCluster cluster = tpch.cluster;
      String sql = TpchQueries.text(9);
      QueryHandle h = tpch.kiln.submit(sql);
      Thread.sleep(800);
      Process leaving = cluster.workerProcesses().get(0);
      Signals.send("TERM", leaving.pid());
      cluster.addWorker(2); // returns at once: the draining one still counts until it is let go
      tpch.assertRight(sql, h.result(3, TimeUnit.MINUTES));
      assertTrue(leaving.waitFor(60, TimeUnit.SECONDS), "the draining worker did not stop:\n" + cluster.logTail(0));
      assertEquals(143, leaving.exitValue(), "a clean exit on SIGTERM (128 + 15):\n" + cluster.logTail(0));
      assertTrue(cluster.logTail(0).contains("drained"), cluster.logTail(0));
      assertEquals(0, cluster.scheduler().outputsLost(), "an output of the draining worker had to be made again");
      assertEquals(2, cluster.scheduler().workers());
      tpch.assertRight(sql, tpch.kiln.execute(sql));
    }
  }
}
