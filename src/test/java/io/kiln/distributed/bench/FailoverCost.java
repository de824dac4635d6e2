package io.kiln.distributed.bench;

import io.kiln.Kiln;
import io.kiln.QueryHandle;
import io.kiln.Result;
import io.kiln.distributed.LocalHaCluster;
import io.kiln.tpch.TpchDriver;
import io.kiln.tpch.TpchQueries;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What losing the leading scheduler half-way through a query costs: two schedulers in an embedded
 * ZooKeeper (session timeout 2 s) and 3 workers of 1 slot; each query timed as it runs normally,
 * then with the leader killed (SIGKILL) at half its normal time, the standby taking over; the dead
 * one comes back as a standby before the next run. Prints both times and the difference; fails if
 * an answer differs.
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.kiln.distributed.bench.FailoverCost -Dexec.args="data/sf1 3,9,18,21 3"
 * </pre>
 */
public final class FailoverCost {
  private FailoverCost() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: FailoverCost <TPC-H data dir> <queries, e.g. 9,18,21> <runs>");
      System.exit(2);
    }
    Path data = Path.of(args[0]);
    int[] queries = Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
    int runs = Integer.parseInt(args[2]);
    try (LocalHaCluster cluster = LocalHaCluster.start(2, 0, new LocalHaCluster.Timing(200, 2_000, 2_000), 3, 1, "3g");
        Kiln kiln = Kiln.builder().threads(3).cluster(cluster.addresses()).build()) {
      TpchDriver.registerTables(kiln, data);
      System.out.println("query   normal ms   leader killed ms   extra ms");
      for (int q : queries) {
        String sql = TpchQueries.text(q);
        List<List<Object>> expected = kiln.execute(sql).rowLists(); // also the warm-up
        long median = QueryTimes.medianMillis(kiln, sql, runs);
        long[] killed = new long[runs];
        for (int r = 0; r < runs; r++) {
          int leader = cluster.awaitLeader(30_000);
          long start = System.nanoTime();
          QueryHandle h = kiln.submit(sql);
          Thread.sleep(median / 2);
          cluster.schedulerProcesses().get(leader).destroyForcibly().waitFor();
          Result result = h.result(10, TimeUnit.MINUTES);
          killed[r] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          if (!result.rowLists().equals(expected)) {
            throw new AssertionError("q" + q + " gave another answer with the leader killed");
          }
          cluster.restartScheduler(leader);
        }
        long withKill = QueryTimes.median(killed);
        System.out.printf(Locale.ROOT, "q%-6d %9d %18d %10d%n", q, median, withKill, withKill - median);
      }
    }
  }
}
