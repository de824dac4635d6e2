package io.kiln.distributed.bench;

import io.kiln.Kiln;
import io.kiln.QueryHandle;
import io.kiln.Result;
import io.kiln.distributed.LocalCluster;
import io.kiln.distributed.scheduler.SchedulerOptions;
import io.kiln.tpch.TpchDriver;
import io.kiln.tpch.TpchQueries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What losing a worker half-way through a query costs: each query on a local cluster of 3 workers
 * (1 slot each, lost after 2 s of silence), timed as it runs normally, then with one worker
 * killed (SIGKILL) at half its normal time; a replacement joins before the next run. Prints both
 * times, the difference, and how many map outputs were made again; fails if an answer differs.
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.kiln.distributed.bench.RecoveryCost -Dexec.args="data/sf1 9,18,21 3"
 * </pre>
 */
public final class RecoveryCost {
  private RecoveryCost() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: RecoveryCost <TPC-H data dir> <queries, e.g. 9,18,21> <runs>");
      System.exit(2);
    }
    Path data = Path.of(args[0]);
    int[] queries = Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
    int runs = Integer.parseInt(args[2]);
    SchedulerOptions options = SchedulerOptions.defaults().withAddress("127.0.0.1", 0).withLiveness(200, 2_000);
    try (LocalCluster cluster = LocalCluster.start(options, 3, 1, "3g");
        Kiln kiln = Kiln.builder().threads(3).cluster(cluster.address()).build()) {
      TpchDriver.registerTables(kiln, data);
      List<Integer> live = new ArrayList<>(List.of(0, 1, 2));
      System.out.println("query   normal ms   worker killed ms   extra ms   outputs made again");
      for (int q : queries) {
        String sql = TpchQueries.text(q);
        List<List<Object>> expected = kiln.execute(sql).rowLists(); // also the warm-up
        long median = QueryTimes.medianMillis(kiln, sql, runs);
        long[] killed = new long[runs];
        long lostBefore = cluster.scheduler().outputsLost();
        for (int r = 0; r < runs; r++) {
          int victim = live.remove(r % live.size());
          long start = System.nanoTime();
          QueryHandle h = kiln.submit(sql);
          Thread.sleep(median / 2);
          cluster.workerProcesses().get(victim).destroyForcibly().waitFor();
          Result result = h.result(10, TimeUnit.MINUTES);
          killed[r] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          if (!result.rowLists().equals(expected)) {
            throw new AssertionError("q" + q + " gave another answer with a worker killed");
          }
          live.add(cluster.addWorker(live.size() + 1));
        }
        long withKill = QueryTimes.median(killed);
        System.out.printf(Locale.ROOT, "q%-6d %9d %18d %10d %20d%n", q, median, withKill, withKill - median,
            (cluster.scheduler().outputsLost() - lostBefore) / runs);
      }
    }
  }
}
