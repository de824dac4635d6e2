package io.kiln.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.QueryHandle;
import io.kiln.testing.FlakyTcpProxy;
import io.kiln.tpch.TpchQueries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of a worker's surroundings rather than of the worker: its network severed mid-shuffle
 * (every packet to and from it vanishes, through proxies in front of it both ways) and restored,
 * and its shuffle disk full (a 1 MB tmpfs in a mount namespace of its own). Each time every
 * answer is DuckDB's, and nothing hangs or is left half-written.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterNetworkAndDiskFaultsTest {
  private static final Pattern LISTENING = Pattern.compile("worker (\\S+) listening on");

  @TempDir Path data;

  @Test
  void aWorkerCutOffMidShuffleIsWorkedAroundThenComesBack() throws Exception {
    try (FaultyTpchCluster f = FaultyTpchCluster.start(data, 2)) {
      int workerPort = io.kiln.util.FreePorts.loopback();
      try (FlakyTcpProxy toScheduler = new FlakyTcpProxy(f.cluster.scheduler().port());
          FlakyTcpProxy toWorker = new FlakyTcpProxy(workerPort)) {
        int index = f.cluster.addWorker(3, new LocalCluster.WorkerVariant("127.0.0.1:" + toScheduler.port(),
            List.of("--port", Integer.toString(workerPort), "--advertise-address", "127.0.0.1:" + toWorker.port()),
            List.of()));
        String victim = workerId(f.cluster, index);
        String sql = TpchQueries.text(9);
        QueryHandle h = f.kiln.submit(sql);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (f.cluster.scheduler().outputsOn(victim) == 0) {
          assertTrue(!h.isDone(), "the query ended before the victim held an output");
          assertTrue(System.nanoTime() < deadline, "no output appeared on the victim");
          Thread.sleep(5);
        }
        toScheduler.sever();
        toWorker.sever();
        Thread.sleep(4_000); // twice the worker timeout: the scheduler declares it lost meanwhile
        toScheduler.restore();
        toWorker.restore();
        f.assertRight(sql, h.result(120, TimeUnit.SECONDS));
        assertTrue(f.cluster.scheduler().outputsLost() > 0, "no output of the cut-off worker was made again");
        // it comes back, registers again and takes part
        long back = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (f.cluster.scheduler().workers() < 3) {
          assertTrue(System.nanoTime() < back, "the worker did not come back:\n" + f.cluster.logTail(index));
          Thread.sleep(50);
        }
        String q18 = TpchQueries.text(18);
        f.assertRight(q18, f.kiln.execute(q18));
      }
    }
  }

  @Test
  void aWorkerWithAFullDiskFailsItsTasksCleanlyAndTheOthersRunThem() throws Exception {
    try (FaultyTpchCluster f = FaultyTpchCluster.start(data, 2)) {
      Path work = Files.createDirectories(f.cluster.workDir(2));
      // a mount namespace of its own (in a user namespace: no privilege needed) with 1 MB for shuffle files
      List<String> smallDisk = List.of("unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
          "mount -t tmpfs -o size=1m kiln-full-disk \"$0\" && exec \"$@\"", work.toString());
      int index = f.cluster.addWorker(3, new LocalCluster.WorkerVariant(f.cluster.address(), List.of(), smallDisk));
      assertEquals(2, index);
      for (int q : new int[] {9, 18, 3}) {
        String sql = TpchQueries.text(q);
        f.assertRight(sql, f.kiln.execute(sql));
      }
      String log = Files.readString(f.cluster.workDir(2).resolveSibling("worker-2.log"));
      assertTrue(log.contains("No space left on device"), "the disk never filled:\n" + f.cluster.logTail(2));
      // as the worker sees its folder: no shuffle file left, finished or half-written
      Path seen = Path.of("/proc", Long.toString(f.cluster.workerProcesses().get(2).pid()), "root")
          .resolve(work.toString().substring(1));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!files(seen).isEmpty()) {
        assertTrue(System.nanoTime() < deadline, "left on the full disk: " + files(seen));
        Thread.sleep(100);
      }
    }
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).toList();
    }
  }

  private static String workerId(LocalCluster cluster, int index) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      Matcher m = LISTENING.matcher(cluster.logTail(index));
      if (m.find()) {
        return m.group(1);
      }
      assertTrue(System.nanoTime() < deadline, cluster.logTail(index));
      Thread.sleep(20);
    }
  }
}
