package io.kiln.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.QueryHandle;
import io.kiln.Result;
import io.kiln.testing.Signals;
import io.kiln.tpch.TpchQueries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers killed with SIGKILL at random moments (seeded: {@code -Dkiln.chaos.seed=N} replays a run)
 * while TPC-H queries run on a 3-worker cluster at SF 0.1: every query must still give DuckDB's
 * answer, with no resubmission. After each kill a new worker joins, so the cluster keeps 3. The
 * default build runs the shuffle-heavy queries once; {@code -Pheavy} runs all 22 twice.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class ClusterChaosTest {
  private static final List<Integer> DEFAULT_QUERIES = List.of(3, 9, 18, 21);

  @TempDir Path data;

  @Test
  void everyQueryGivesTheRightAnswerWhileWorkersAreKilled() throws Exception {
    long seed = Long.getLong("kiln.chaos.seed", 20261206L);
    Random random = new Random(seed);
    boolean heavy = Boolean.getBoolean("kiln.heavy");
    List<Integer> queries = new ArrayList<>();
    for (int round = 0; round < (heavy ? 2 : 1); round++) {
      queries.addAll(heavy ? TpchQueries.all() : DEFAULT_QUERIES);
    }
    int faults = 0;
    int killedMidQuery = 0;
    List<Long> recoveryMillis = new ArrayList<>();
    try (FaultyTpchCluster tpch = FaultyTpchCluster.start(data, 3)) {
      LocalCluster cluster = tpch.cluster;
      List<Integer> live = new ArrayList<>(List.of(0, 1, 2));
      for (int q : queries) {
        String sql = TpchQueries.text(q);
        long delay = random.nextInt(2_500);
        int victim = live.get(random.nextInt(live.size()));
        long start = System.nanoTime();
        QueryHandle h = tpch.kiln.submit(sql);
        Thread.sleep(delay);
        boolean running = !h.isDone();
        Process p = cluster.workerProcesses().get(victim);
        p.destroyForcibly();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "worker " + victim + " did not die");
        faults++;
        killedMidQuery += running ? 1 : 0;
        live.remove(Integer.valueOf(victim));
        Result result = h.result(5, TimeUnit.MINUTES);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (running) {
          recoveryMillis.add(millis);
        }
        tpch.assertRight(sql, result);
        System.out.printf("chaos: q%d, worker %d killed after %d ms (%s), answered right in %d ms%n", q, victim,
            delay, running ? "mid-query" : "after the query", millis);
        // a replacement joins, as an operator's supervisor would start one
        live.add(cluster.addWorker(live.size() + 1));
      }
      recoveryMillis.sort(null);
      System.out.printf("chaos (seed %d): %d faults injected, %d mid-query, %d queries completed, 0 wrong answers;"
          + " query time with a kill: p50 %d ms, max %d ms; map outputs made again: %d%n", seed, faults,
          killedMidQuery, queries.size(), recoveryMillis.isEmpty() ? 0 : recoveryMillis.get(recoveryMillis.size() / 2),
          recoveryMillis.isEmpty() ? 0 : recoveryMillis.get(recoveryMillis.size() - 1), cluster.scheduler().outputsLost());
      assertEquals(queries.size(), faults);
      assertTrue(killedMidQuery > 0, "no kill landed while a query ran: the test showed nothing");
    }
  }

  @Test
  void aWorkerPausedLongerThanTheTimeoutComesBackAsANewWorkerAndItsLateWorkIsIgnored() throws Exception {
    try (FaultyTpchCluster tpch = FaultyTpchCluster.start(data, 3)) {
      LocalCluster cluster = tpch.cluster;
      String sql = TpchQueries.text(9);
      QueryHandle h = tpch.kiln.submit(sql);
      Thread.sleep(1_000);
      long pid = cluster.workerProcesses().get(1).pid();
      Signals.send("STOP", pid); // SIGSTOP: alive, holding its sockets, saying nothing
      Thread.sleep(4_000);
      Signals.send("CONT", pid);
      tpch.assertRight(sql, h.result(5, TimeUnit.MINUTES));
      // it heartbeats again, is told it is unknown, and joins again
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (cluster.scheduler().workers() < 3) {
        assertTrue(System.nanoTime() < deadline, "the paused worker did not join again:\n" + cluster.logTail(1));
        Thread.sleep(50);
      }
      assertTrue(cluster.logTail(1).contains("registering again"), cluster.logTail(1));
      tpch.assertRight(sql, tpch.kiln.execute(sql));
    }
  }
}
