package io.kiln.distributed;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.QueryHandle;
import io.kiln.Result;
import io.kiln.distributed.proto.ClusterProtos;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.ResultAssert;
import io.kiln.testing.Signals;
import io.kiln.tpch.TpchDriver;
import io.kiln.tpch.TpchGenerator;
import io.kiln.tpch.TpchQueries;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two schedulers elected in a real ZooKeeper, three workers, TPC-H SF 0.1 shuffled: the leader is
 * killed (SIGKILL) or paused (SIGSTOP) once a query has finished a stage of its shuffle join, and
 * the standby takes over and completes the query with DuckDB's answer, without the client
 * resubmitting it. The state the test watches is the leader's own, as stored in ZooKeeper.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ClusterFailoverTest {
  /** Workers heartbeat every 200 ms and are lost after 2 s; a silent leader is replaced after 2 s. */
  private static final LocalHaCluster.Timing FAST = new LocalHaCluster.Timing(200, 2_000, 2_000);

  @TempDir static Path data;
  private static LocalHaCluster cluster;
  private static Kiln kiln;
  private static DuckDbOracle duckDb;
  private static CuratorFramework zk;

  @BeforeAll
  static void start() {
    TpchGenerator.generate(0.1, data, progress -> {});
    cluster = LocalHaCluster.start(2, 0, FAST, 3, 1, "1g");
    kiln = Kiln.builder().threads(2).cluster(cluster.addresses()).broadcastMaxRows(0).build();
    TpchDriver.registerTables(kiln, data);
    duckDb = new DuckDbOracle(2);
    for (String table : TpchDriver.TABLES) {
      duckDb.registerParquet(table, data.resolve(table + ".parquet"));
    }
    zk = CuratorFrameworkFactory.newClient(cluster.zooKeeper(), new RetryOneTime(100));
    zk.start();
  }

  @AfterAll
  static void stop() {
    try (LocalHaCluster c = cluster; Kiln k = kiln; DuckDbOracle d = duckDb; CuratorFramework z = zk) {
      // closed in reverse
    }
  }

  @Test
  void theLeaderKilledMidShuffleIsReplacedAndEveryQueryCompletes() throws Exception {
    for (int q : new int[] {9, 18, 21}) {
      int leader = cluster.awaitLeader(30_000);
      long epoch = cluster.leader().getLeaderEpoch();
      String sql = TpchQueries.text(q);
      QueryHandle h = kiln.submit(sql);
      awaitAFinishedStage(h);
      Process p = cluster.schedulerProcesses().get(leader);
      p.destroyForcibly();
      assertTrue(p.waitFor(10, TimeUnit.SECONDS));
      long killed = System.nanoTime();
      Result r = h.result(120, TimeUnit.SECONDS);
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killed);
      ResultAssert.assertSameRows(sql, r, duckDb.query(sql), ResultAssert.hasOuterOrderBy(sql));
      ClusterProtos.ClusterInfoResponse now = cluster.leader();
      assertNotEquals(cluster.schedulerAddress(leader), now.getLeader(), "Q" + q + ": the dead leader leads");
      assertTrue(now.getLeaderEpoch() > epoch, "Q" + q + ": the epoch did not rise");
      System.out.printf("Q%d: the leader was killed; the query ended %d ms later%n", q,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
      assertTrue(seconds < 60, "Q" + q + " took " + seconds + " s to end after the kill");
      int next = cluster.schedulerAddresses().indexOf(now.getLeader());
      assertTrue(cluster.schedulerLog(next).contains("under epoch " + now.getLeaderEpoch() + " with 1 queries"),
          "Q" + q + ": the new leader did not take the query over:\n" + cluster.schedulerLog(next));
      cluster.restartScheduler(leader); // back as a standby for the next kill
    }
  }

  @Test
  void aPausedLeaderIsReplacedAndChangesNothingWhenItWakes() throws Exception {
    int leader = cluster.awaitLeader(30_000);
    String sql = TpchQueries.text(9);
    QueryHandle h = kiln.submit(sql);
    awaitAFinishedStage(h);
    long pid = cluster.schedulerProcesses().get(leader).pid();
    Signals.send("STOP", pid);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      // one call per look: the cluster's answer can change between two calls
      ClusterProtos.ClusterInfoResponse now = cluster.leader();
      while (now == null || now.getLeader().equals(cluster.schedulerAddress(leader))) {
        assertTrue(System.nanoTime() < deadline, "no standby took over from the paused leader");
        Thread.sleep(100);
        now = cluster.leader();
      }
    } finally {
      Signals.send("CONT", pid);
    }
    Result r = h.result(120, TimeUnit.SECONDS);
    ResultAssert.assertSameRows(sql, r, duckDb.query(sql), ResultAssert.hasOuterOrderBy(sql));
    // the woken leader noticed it was deposed and stands by; the new one still leads and runs queries
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!cluster.schedulerLog(leader).contains("stands by")) {
      assertTrue(System.nanoTime() < deadline, "the woken leader does not stand by:\n"
          + cluster.schedulerLog(leader));
      Thread.sleep(100);
    }
    assertNotEquals(leader, cluster.awaitLeader(30_000), "the woken leader leads again");
    String q3 = TpchQueries.text(3);
    ResultAssert.assertSameRows(q3, kiln.execute(q3), duckDb.query(q3), ResultAssert.hasOuterOrderBy(q3));
  }

  /** Until the leader has stored a finished stage of the running query (a shuffle's map side done). */
  private static void awaitAFinishedStage(QueryHandle h) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      assertTrue(!h.isDone(), "the query ended before a stage finished");
      assertTrue(System.nanoTime() < deadline, "no stage finished within 60 s");
      if (zk.checkExists().forPath("/kiln/kiln/queries") != null) {
        for (String id : zk.getChildren().forPath("/kiln/kiln/queries")) {
          byte[] bytes;
          try {
            bytes = zk.getData().forPath("/kiln/kiln/queries/" + id);
          } catch (org.apache.zookeeper.KeeperException.NoNodeException gone) {
            continue;
          }
          ClusterProtos.StoredQuery q = ClusterProtos.StoredQuery.parseFrom(bytes);
          if (q.getState() == ClusterProtos.QueryState.QUERY_STATE_RUNNING
              && q.getStagesList().stream().anyMatch(ClusterProtos.StoredStage::hasOutputs)) {
            return;
          }
        }
      }
      Thread.sleep(5);
    }
  }
}
