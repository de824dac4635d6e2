package io.kiln.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.QueryHandle;
import io.kiln.distributed.scheduler.SchedulerOptions;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.ResultAssert;
import io.kiln.testing.Signals;
import io.kiln.tpch.TpchDriver;
import io.kiln.tpch.TpchGenerator;
import io.kiln.tpch.TpchQueries;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker stopped with SIGTERM mid-query drains rather than dies: it takes no new tasks, keeps
 * serving the outputs the query still reads (so none has to be made again), and exits once the
 * scheduler lets it go; a worker joining mid-query gets tasks of it.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterDrainTest {
  @TempDir Path data;

  @Test
  void aWorkerStoppedMidQueryDrainsAndAnotherJoins() throws Exception {
    TpchGenerator.generate(0.1, data, progress -> {});
    SchedulerOptions options = SchedulerOptions.defaults().withAddress("127.0.0.1", 0).withLiveness(200, 2_000);
    try (LocalCluster cluster = LocalCluster.start(options, 2, 1, "1g");
        Kiln kiln = Kiln.builder().threads(2).cluster(cluster.address()).broadcastMaxRows(0).build();
        DuckDbOracle duckDb = new DuckDbOracle(2)) {
      TpchDriver.registerTables(kiln, data);
      for (String table : TpchDriver.TABLES) {
        duckDb.registerParquet(table, data.resolve(table + ".parquet"));
      }
      String sql = TpchQueries.text(9);
      QueryHandle h = kiln.submit(sql);
      Thread.sleep(800);
      Process leaving = cluster.workerProcesses().get(0);
      Signals.send("TERM", leaving.pid());
      cluster.addWorker(2); // the one draining is still a worker until let go
      ResultAssert.assertSameRows(sql, h.result(3, TimeUnit.MINUTES), duckDb.query(sql),
          ResultAssert.hasOuterOrderBy(sql));
      assertTrue(leaving.waitFor(60, TimeUnit.SECONDS), "the draining worker did not stop:\n" + cluster.logTail(0));
      assertEquals(143, leaving.exitValue(), "a clean exit on SIGTERM (128 + 15):\n" + cluster.logTail(0));
      assertTrue(cluster.logTail(0).contains("drained"), cluster.logTail(0));
      assertEquals(0, cluster.scheduler().outputsLost(), "an output of the draining worker had to be made again");
      assertEquals(2, cluster.scheduler().workers());
      ResultAssert.assertSameRows(sql, kiln.execute(sql), duckDb.query(sql), ResultAssert.hasOuterOrderBy(sql));
    }
  }
}
