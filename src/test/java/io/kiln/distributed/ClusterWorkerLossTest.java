package io.kiln.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.QueryHandle;
import io.kiln.testing.DuckDbOracle;
import io.kiln.tpch.TpchDriver;
import io.kiln.tpch.TpchGenerator;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker killed in the middle of a shuffle (SIGKILL: no goodbye), holding finished map outputs
 * the query still needs: the scheduler makes those outputs again on the worker that is left and
 * the query completes with the right answer, without the user resubmitting it; the cluster then
 * goes on with the workers it has.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterWorkerLossTest {
  private static final Pattern LISTENING = Pattern.compile("worker (\\S+) listening on (\\S+)");

  private static final String SQL =
      "SELECT count(*) FROM lineitem l1 JOIN lineitem l2 ON l1.l_suppkey = l2.l_suppkey";

  @TempDir Path data;

  @Test
  void aWorkerKilledMidShuffleHasItsOutputsMadeAgainAndTheQueryCompletes() throws Exception {
    TpchGenerator.generate(0.05, data, progress -> {});
    try (LocalCluster cluster = LocalCluster.start(2, 1, 0, "1g");
        Kiln kiln = Kiln.builder().threads(2).cluster(cluster.address()).broadcastMaxRows(0).build()) {
      TpchDriver.registerTables(kiln, data);
      // the worker prints where it listens just after it has joined: wait for the line
      Matcher m = LISTENING.matcher(cluster.logTail(1));
      long printed = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!m.find()) {
        assertTrue(System.nanoTime() < printed, cluster.logTail(1));
        Thread.sleep(20);
        m = LISTENING.matcher(cluster.logTail(1));
      }
      QueryHandle h = kiln.submit(SQL);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      String victimId = m.group(1);
      // an output the scheduler knows finished (its file alone may be written before the report)
      while (cluster.scheduler().outputsOn(victimId) == 0) {
        assertTrue(System.nanoTime() < deadline, "no finished map output appeared on the victim");
        assertTrue(!h.isDone(), "the query ended before its shuffle");
        Thread.sleep(10);
      }
      Process victim = cluster.workerProcesses().get(1);
      victim.destroyForcibly();
      assertTrue(victim.waitFor(10, TimeUnit.SECONDS));
      long killed = System.nanoTime();
      long count = ((Number) h.result(120, TimeUnit.SECONDS).rows().get(0)[0]).longValue();
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killed);
      assertTrue(seconds < 60, "the query took " + seconds + " s to end after the kill");
      try (DuckDbOracle duckDb = new DuckDbOracle(1)) {
        duckDb.registerParquet("lineitem", data.resolve("lineitem.parquet"));
        assertEquals(((Number) duckDb.query(SQL).get(0)[0]).longValue(), count);
      }
      assertTrue(cluster.scheduler().outputsLost() > 0, "no output of the victim's was made again");
      // the cluster goes on with the worker it has
      List<Object[]> rows = kiln.execute("SELECT count(*) FROM nation").rows();
      assertEquals(25L, ((Number) rows.get(0)[0]).longValue());
      assertNotNull(cluster.workerProcesses().get(0));
      assertTrue(cluster.workerProcesses().get(0).isAlive());
    }
  }

  @Test
  void aWorkerBusyWithLongTasksIsNotDeclaredLost() throws Exception {
    // beats every 100 ms, lost after 1 s of silence; the query keeps both slots (and both cores) busy for seconds
    TpchGenerator.generate(0.1, data, progress -> {});
    try (io.kiln.distributed.scheduler.KilnScheduler scheduler = io.kiln.distributed.scheduler.KilnScheduler.start(
            io.kiln.distributed.scheduler.SchedulerOptions.defaults().withAddress("127.0.0.1", 0).withLiveness(100, 1_000));
        io.kiln.distributed.worker.KilnWorker worker = io.kiln.distributed.worker.KilnWorker.start(
            io.kiln.distributed.worker.WorkerOptions.defaults(scheduler.address()).withSlots(2));
        Kiln kiln = Kiln.builder().threads(2).cluster(scheduler.address()).broadcastMaxRows(0).build()) {
      TpchDriver.registerTables(kiln, data);
      long start = System.nanoTime();
      long count = ((Number) kiln.execute(SQL + " AND l1.l_quantity < l2.l_quantity").rows().get(0)[0]).longValue();
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      // longer than the timeout: a worker whose beats waited for its tasks would have been lost
      assertTrue(millis > 1_500, "the query took only " + millis + " ms: too short to show anything");
      assertEquals(1, scheduler.workers(), "the busy worker was declared lost");
      assertEquals(0, scheduler.outputsLost());
      try (DuckDbOracle duckDb = new DuckDbOracle(1)) {
        duckDb.registerParquet("lineitem", data.resolve("lineitem.parquet"));
        assertEquals(((Number) duckDb.query(SQL + " AND l1.l_quantity < l2.l_quantity").get(0)[0]).longValue(), count);
      }
    }
  }
}
