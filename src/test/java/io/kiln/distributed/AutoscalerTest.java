package io.kiln.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.QueryHandle;
import io.kiln.distributed.scheduler.SchedulerOptions;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.ResultAssert;
import io.kiln.tpch.TpchDriver;
import io.kiln.tpch.TpchGenerator;
import io.kiln.tpch.TpchQueries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local cluster of one worker with one slot, scaled between 1 and 3 workers: four TPC-H queries
 * at once leave tasks waiting, so workers are started (and get tasks of the running queries); once
 * all is done and they idle, they are drained and exit cleanly, back to one. Every answer is DuckDB's.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AutoscalerTest {
  @TempDir Path data;

  @Test
  void startsWorkersWhileTasksWaitAndDrainsThemWhenIdle() throws Exception {
    TpchGenerator.generate(0.1, data, progress -> {});
    SchedulerOptions options = SchedulerOptions.defaults().withAddress("127.0.0.1", 0).withLiveness(200, 2_000);
    try (LocalCluster cluster = LocalCluster.start(options, 1, 1, "1g");
        Autoscaler scaler = Autoscaler.start(cluster.pool(), new Autoscaler.Policy(1, 3, 500, 3_000), 200);
        Kiln kiln = Kiln.builder().threads(2).cluster(cluster.address()).broadcastMaxRows(0).build();
        DuckDbOracle duckDb = new DuckDbOracle(2)) {
      TpchDriver.registerTables(kiln, data);
      for (String table : TpchDriver.TABLES) {
        duckDb.registerParquet(table, data.resolve(table + ".parquet"));
      }
      List<QueryHandle> running = new ArrayList<>();
      int[] queries = {9, 18, 21, 3};
      for (int q : queries) {
        running.add(kiln.submit(TpchQueries.text(q)));
      }
      for (int i = 0; i < queries.length; i++) {
        String sql = TpchQueries.text(queries[i]);
        ResultAssert.assertSameRows(sql, running.get(i).result(180, TimeUnit.SECONDS), duckDb.query(sql),
            ResultAssert.hasOuterOrderBy(sql));
      }
      assertTrue(scaler.scaleUps() >= 1, "no worker was started while tasks waited");
      int started = cluster.workerProcesses().size();
      assertTrue(started >= 2 && started <= 3, started + " worker processes");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (cluster.scheduler().workers() > 1) {
        assertTrue(System.nanoTime() < deadline, cluster.scheduler().workers() + " workers left after 60 s of idleness");
        Thread.sleep(100);
      }
      assertEquals(started - 1, scaler.scaleDowns(), "drains");
      int exited = 0;
      for (Process p : cluster.workerProcesses()) {
        if (p.waitFor(30, TimeUnit.SECONDS)) {
          assertEquals(143, p.exitValue(), "a drained worker exits cleanly on its SIGTERM (128 + 15)");
          exited++;
        }
      }
      assertEquals(started - 1, exited, "drained workers that exited");
      String q6 = TpchQueries.text(6);
      ResultAssert.assertSameRows(q6, kiln.execute(q6), duckDb.query(q6), ResultAssert.hasOuterOrderBy(q6));
    }
  }
}
