package io.kiln.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.QueryHandle;
import io.kiln.Result;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.ResultAssert;
import io.kiln.tpch.TpchDriver;
import io.kiln.tpch.TpchGenerator;
import io.kiln.tpch.TpchQueries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A soak on a cluster with a standby scheduler: TPC-H queries one after another at SF 0.1 on 3
 * workers, with SIGKILLs at seeded random moments ({@code -Dkiln.chaos.seed=N}) of a worker (a
 * replacement joins after) or of the leading scheduler (it comes back as a standby after). It
 * counts faults, queries completed, wrong answers (there must be none) and the time from each
 * kill to the end of the query it hit. The default build runs 10 queries with 2 kills; {@code
 * -Pheavy} runs 200 with 10. At the end every process that was not killed must exit cleanly (a
 * worker that leaked Arrow memory or left files would not).
 */
@Timeout(value = 40, unit = TimeUnit.MINUTES)
class ClusterSoakTest {
  private static final LocalHaCluster.Timing FAST = new LocalHaCluster.Timing(200, 2_000, 2_000);

  @TempDir Path data;

  @Test
  void queriesKeepGivingTheRightAnswerThroughKillsOfWorkersAndOfTheLeader() throws Exception {
    long seed = Long.getLong("kiln.chaos.seed", 20261207L);
    boolean heavy = Boolean.getBoolean("kiln.heavy");
    int total = heavy ? 200 : 10;
    int kills = heavy ? 10 : 2;
    Random random = new Random(seed);
    List<Integer> order = new ArrayList<>();
    while (order.size() < total) {
      List<Integer> round = new ArrayList<>(TpchQueries.all());
      Collections.shuffle(round, random);
      order.addAll(round);
    }
    Set<Integer> killAt = new HashSet<>();
    while (killAt.size() < kills) {
      killAt.add(1 + random.nextInt(total - 1));
    }
    List<Integer> killSlots = new ArrayList<>(killAt);
    Collections.sort(killSlots);
    TpchGenerator.generate(0.1, data, progress -> {});
    int workerKills = 0;
    int leaderKills = 0;
    int midQuery = 0;
    int completed = 0;
    List<String> wrong = new ArrayList<>();
    List<Long> workerRecovery = new ArrayList<>();
    List<Long> leaderRecovery = new ArrayList<>();
    List<Process> killed = new ArrayList<>();
    LocalHaCluster cluster = LocalHaCluster.start(2, 0, FAST, 3, 1, "1g");
    try (LocalHaCluster c = cluster;
        Kiln kiln = Kiln.builder().threads(2).cluster(cluster.addresses()).broadcastMaxRows(0).build();
        DuckDbOracle duckDb = new DuckDbOracle(2)) {
      TpchDriver.registerTables(kiln, data);
      for (String table : TpchDriver.TABLES) {
        duckDb.registerParquet(table, data.resolve(table + ".parquet"));
      }
      List<Integer> liveWorkers = new ArrayList<>(List.of(0, 1, 2));
      for (int i = 0; i < total; i++) {
        String sql = TpchQueries.text(order.get(i));
        QueryHandle h = kiln.submit(sql);
        boolean kill = killAt.contains(i);
        // at least one kill of each kind; otherwise a third of them hit the leader
        boolean leader = kill && (killSlots.indexOf(i) == 0 || (killSlots.indexOf(i) != 1 && random.nextInt(3) == 0));
        int victim = -1;
        long killedAt = 0;
        boolean running = false;
        if (kill) {
          Thread.sleep(random.nextInt(1_500));
          running = !h.isDone();
          victim = leader ? cluster.awaitLeader(30_000) : liveWorkers.get(random.nextInt(liveWorkers.size()));
          Process p = leader ? cluster.schedulerProcesses().get(victim) : cluster.workerProcesses().get(victim);
          p.destroyForcibly();
          assertTrue(p.waitFor(10, TimeUnit.SECONDS), "a killed process lives on");
          killed.add(p);
          killedAt = System.nanoTime();
          midQuery += running ? 1 : 0;
        }
        Result r = h.result(5, TimeUnit.MINUTES);
        long recovery = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        try {
          ResultAssert.assertSameRows(sql, r, duckDb.query(sql), ResultAssert.hasOuterOrderBy(sql));
          completed++;
        } catch (AssertionError e) {
          wrong.add("query " + i + " (Q" + order.get(i) + "): " + e.getMessage());
        }
        if (kill && leader) {
          leaderKills++;
          if (running) {
            leaderRecovery.add(recovery);
          }
          cluster.restartScheduler(victim);
        } else if (kill) {
          workerKills++;
          if (running) {
            workerRecovery.add(recovery);
          }
          liveWorkers.remove(Integer.valueOf(victim));
          liveWorkers.add(cluster.addWorker(liveWorkers.size() + 1));
        }
        if (kill) {
          System.out.printf("soak: query %d (Q%d): %s %d killed %s; %s%n", i, order.get(i), leader ? "scheduler"
              : "worker", victim, running ? "mid-query" : "after it ended", running ? "ended " + recovery
              + " ms after the kill" : "");
        }
      }
      System.out.printf("soak (seed %d): %d queries, %d completed right, %d wrong; %d faults injected (%d workers,"
          + " %d leaders), %d mid-query; from a kill to the end of its query: workers %s, leaders %s%n", seed, total,
          completed, wrong.size(), workerKills + leaderKills, workerKills, leaderKills, midQuery,
          percentiles(workerRecovery), percentiles(leaderRecovery));
      assertEquals(List.of(), wrong, "wrong answers");
      assertEquals(total, completed);
      assertTrue(leaderKills > 0 && workerKills > 0, "the soak killed " + leaderKills + " leaders and " + workerKills
          + " workers");
    }
    for (Process p : cluster.workerProcesses()) {
      if (!killed.contains(p)) {
        assertEquals(0, p.exitValue(), "a surviving worker's exit code (non-zero: leaked memory or files)");
      }
    }
    for (Process p : cluster.schedulerProcesses()) {
      assertEquals(0, p.exitValue(), "a scheduler's exit code");
    }
  }

  private static String percentiles(List<Long> millis) {
    if (millis.isEmpty()) {
      return "none mid-query";
    }
    List<Long> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    return "p50 " + sorted.get(sorted.size() / 2) + " ms, p99 " + sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1)
        + " ms (" + sorted.size() + ")";
  }
}
