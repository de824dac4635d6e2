package io.kiln.distributed.bench;

import io.grpc.Server;
import io.kiln.Kiln;
import io.kiln.catalog.ScanTask;
import io.kiln.data.Batch;
import io.kiln.distributed.LocalCluster;
import io.kiln.distributed.rpc.ClusterAuth;
import io.kiln.distributed.rpc.Rpc;
import io.kiln.distributed.shuffle.MapOutput;
import io.kiln.distributed.shuffle.ShuffleClients;
import io.kiln.distributed.shuffle.ShuffleFiles;
import io.kiln.distributed.shuffle.ShuffleInputSource;
import io.kiln.distributed.shuffle.ShuffleLocation;
import io.kiln.distributed.shuffle.ShuffleService;
import io.kiln.distributed.shuffle.ShuffleSink;
import io.kiln.exec.ExecContext;
import io.kiln.physical.Sink;
import io.kiln.physical.plan.PhysicalNode.ExchangeKind;
import io.kiln.physical.sink.Partitioner;
import io.kiln.tpch.TpchDriver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * What the distributed mode costs on one machine, apart from the work itself: the round trip of
 * the smallest query on a local cluster (submit, two stages of one task each, result over Flight),
 * and how fast a shuffle partition moves from a map output file to a reader over loopback Flight.
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.kiln.distributed.bench.ClusterOverheads -Dexec.args="data/sf1"
 * </pre>
 */
public final class ClusterOverheads {
  private ClusterOverheads() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: ClusterOverheads <TPC-H data dir>");
      System.exit(2);
    }
    smallestQuery(Path.of(args[0]));
    shuffleThroughput();
  }

  private static void smallestQuery(Path data) {
    try (LocalCluster cluster = LocalCluster.start(1, 2, 0, "2g");
        Kiln kiln = Kiln.builder().threads(2).cluster(cluster.address()).build()) {
      TpchDriver.registerTables(kiln, data);
      String sql = "SELECT count(*) FROM region";
      for (int i = 0; i < 20; i++) {
        kiln.execute(sql); // warm-up: JIT, connections
      }
      double[] ms = new double[50];
      for (int i = 0; i < ms.length; i++) {
        long start = System.nanoTime();
        kiln.execute(sql);
        ms[i] = (System.nanoTime() - start) / 1e6;
      }
      Arrays.sort(ms);
      System.out.printf(Locale.ROOT, "smallest query (%s) on a 1-worker local cluster: median %.1f ms, min %.1f ms,"
          + " p90 %.1f ms%n", sql, ms[ms.length / 2], ms[0], ms[ms.length * 9 / 10]);
    }
  }

  private static void shuffleThroughput() throws Exception {
    Path dir = Files.createTempDirectory("kiln-shuffle-bench");
    ExecutorService flight = Executors.newCachedThreadPool();
    try (RootAllocator root = new RootAllocator()) {
      ShuffleFiles files = new ShuffleFiles(dir);
      BufferAllocator serve = root.newChildAllocator("serve", 0, Long.MAX_VALUE);
      BufferAllocator fetch = root.newChildAllocator("fetch", 0, Long.MAX_VALUE);
      Server server = Rpc.server("127.0.0.1", 0, ClusterAuth.NONE)
          .addService(ShuffleService.bind(new ShuffleService(files, serve), serve, flight)).build().start();
      MapOutput out;
      try (BufferAllocator a = root.newChildAllocator("map", 0, Long.MAX_VALUE);
          ExecContext ctx = new ExecContext(a, null, 1);
          ShuffleSink sink = new ShuffleSink(files, "bench", 0, 0, 0,
              new Partitioner(ExchangeKind.GATHER, List.of(), 1))) {
        Sink.Local local = sink.newLocal(ctx);
        for (int b = 0; b < 400; b++) {
          local.push(batch(a, b * 65_536, 65_536));
        }
        sink.merge(local);
        local.close();
        out = sink.finish();
      }
      ShuffleLocation map = new ShuffleLocation("127.0.0.1", server.getPort(), "bench", 0, 0, 0);
      try (ShuffleClients clients = new ShuffleClients(fetch, ClusterAuth.NONE)) {
        for (int round = 0; round < 4; round++) {
          AtomicLong rows = new AtomicLong();
          long start = System.nanoTime();
          try (BufferAllocator into = root.newChildAllocator("reader", 0, Long.MAX_VALUE);
              ExecContext ctx = new ExecContext(into, null, 1)) {
            for (ScanTask t : new ShuffleInputSource(clients, List.of(map), 0, 0, "bench").tasks(ctx)) {
              t.run(into, b -> {
                rows.addAndGet(b.rowCount());
                b.close();
              }, () -> false);
            }
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          System.out.printf(Locale.ROOT, "shuffle fetch over loopback Flight, round %d: %.0f MB (%d rows) in %.2f s = %.0f MB/s%n",
              round, out.totalBytes() / 1e6, rows.get(), seconds, out.totalBytes() / 1e6 / seconds);
        }
      }
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      serve.close();
      fetch.close();
      files.deleteAll();
    } finally {
      flight.shutdownNow();
      Files.deleteIfExists(dir);
    }
  }

  /** Rows like a shuffled lineitem slice: a key and a 27-byte comment. */
  private static Batch batch(BufferAllocator allocator, long first, int n) {
    BigIntVector k = new BigIntVector("k", allocator);
    VarCharVector s = new VarCharVector("s", allocator);
    k.allocateNew(n);
    s.allocateNew(n);
    for (int i = 0; i < n; i++) {
      k.set(i, first + i);
      s.setSafe(i, String.format(Locale.ROOT, "comment of row %012d", first + i).getBytes(StandardCharsets.UTF_8));
    }
    return new Batch(new ValueVector[] {k, s}, n);
  }
}
