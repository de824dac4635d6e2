package io.kiln.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.kiln.Kiln;
import io.kiln.QueryHandle;
import io.kiln.Result;
import io.kiln.distributed.proto.ClusterProtos;
import io.kiln.distributed.proto.SchedulerGrpc;
import io.kiln.distributed.rpc.RemoteErrors;
import io.kiln.distributed.rpc.Rpc;
import io.kiln.error.KilnException;
import io.kiln.tpch.TpchDriver;
import io.kiln.tpch.TpchGenerator;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees when the cluster cannot do its part: an unreachable scheduler, a worker of
 * another build, a file a worker cannot open, a query cancelled in the middle of its shuffle (its
 * files go, the cluster goes on) and a worker killed mid-query (the query ends with an error
 * naming it, or with the right answer if the scheduler could run its tasks elsewhere).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ClusterFaultsTest {
  @TempDir static Path data;
  private static LocalCluster cluster;
  private static Kiln kiln;

  @BeforeAll
  static void start() {
    TpchGenerator.generate(0.05, data, progress -> {});
    cluster = LocalCluster.start(2, 1, 0, "1g");
    kiln = Kiln.builder().threads(2).cluster(cluster.address()).broadcastMaxRows(0).build();
    TpchDriver.registerTables(kiln, data);
  }

  @AfterAll
  static void stop() {
    try {
      if (kiln != null) {
        kiln.close();
      }
    } finally {
      if (cluster != null) {
        List<Process> workers = cluster.workerProcesses();
        cluster.close();
        for (Process p : workers) {
          assertTrue(!p.isAlive(), "a worker process outlived the cluster");
        }
      }
    }
  }

  @Test
  void anUnreachableSchedulerIsAClearErrorNamingItsAddress() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String address = "127.0.0.1:" + port;
    KilnException e = assertThrows(KilnException.class, () -> {
      try (Kiln k = Kiln.builder().cluster(address).build()) {
        k.registerParquet("nation", data.resolve("nation.parquet"));
        k.execute("SELECT count(*) FROM nation");
      }
    });
    assertEquals(KilnException.Kind.CLUSTER, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains(address), e.getMessage());
  }

  @Test
  void aWorkerOfAnotherVersionIsRefusedSayingSo() {
    java.net.InetSocketAddress a = Rpc.address(cluster.address());
    ManagedChannel channel = Rpc.channel(a.getHostString(), a.getPort(), io.kiln.distributed.rpc.ClusterAuth.NONE);
    try {
      RuntimeException e = assertThrows(RuntimeException.class, () -> SchedulerGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .registerWorker(ClusterProtos.RegisterWorkerRequest.newBuilder().setWorkerId("old-worker")
              .setHost("127.0.0.1").setPort(1).setSlots(1).setVersion("0.0.1-old").build()));
      KilnException k = RemoteErrors.ofCall("registering", cluster.address(), e);
      assertEquals(KilnException.Kind.CLUSTER, k.kind());
      assertTrue(k.getMessage().contains("0.0.1-old") && k.getMessage().contains(KilnVersion.get()), k.getMessage());
      assertEquals(2, cluster.scheduler().workers(), "the refused worker joined");
    } finally {
      Rpc.shutdown(channel);
    }
  }

  @Test
  void aMissingFileFailsTheQueryNamingTheFileAndWhereItWasMissed() throws IOException {
    Path copy = data.resolve("region_copy.parquet");
    Files.copy(data.resolve("region.parquet"), copy);
    kiln.registerParquet("region_copy", copy);
    assertEquals(5L, ((Number) kiln.execute("SELECT count(*) FROM region_copy").rows().get(0)[0]).longValue());
    Files.delete(copy); // the client has its footer; the scheduler reads it afresh to split the scan
    KilnException e = assertThrows(KilnException.class, () -> kiln.execute("SELECT count(*) FROM region_copy"));
    assertEquals(KilnException.Kind.IO, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("region_copy.parquet") && e.getMessage().contains("on the scheduler"),
        e.getMessage());
  }

  @Test
  void aCorruptFileFailsTheQueryAfterOneRetryNamingTheFileAndTheWorker() throws IOException {
    Path copy = data.resolve("part_corrupt.parquet");
    byte[] bytes = Files.readAllBytes(data.resolve("part.parquet"));
    int footer = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    for (int i = 4; i < bytes.length - 8 - footer; i++) {
      bytes[i] = (byte) (i * 31); // the pages; the footer stays readable
    }
    Files.write(copy, bytes);
    kiln.registerParquet("part_corrupt", copy);
    KilnException e = assertThrows(KilnException.class,
        () -> kiln.execute("SELECT max(p_name), sum(p_retailprice) FROM part_corrupt"));
    // an I/O error gets one more attempt, on the other worker; then the decoder's own error, as it is
    assertEquals(KilnException.Kind.IO, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("on 2 attempts"), e.getMessage());
    assertTrue(e.getMessage().contains("part_corrupt.parquet") && e.getMessage().contains("on worker"),
        e.getMessage());
  }

  @Test
  void aQueryCancelledMidShuffleLeavesNoFilesAndTheClusterGoesOn() throws Exception {
    // a join on a key of few values: hundreds of millions of pairs, far longer than the test waits
    QueryHandle h = kiln.submit("SELECT count(*) FROM lineitem l1 JOIN lineitem l2 ON l1.l_suppkey = l2.l_suppkey");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (shuffleFiles() == 0) {
      assertTrue(System.nanoTime() < deadline, "no map output appeared");
      assertTrue(!h.isDone(), "the query ended before its shuffle");
      Thread.sleep(10);
    }
    h.cancel();
    KilnException e = assertThrows(KilnException.class, () -> h.result(60, TimeUnit.SECONDS));
    assertEquals(KilnException.Kind.CANCELLED, e.kind(), e.getMessage());
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (shuffleFiles() > 0) {
      assertTrue(System.nanoTime() < deadline, "shuffle files left 30 s after the cancel");
      Thread.sleep(50);
    }
    Result r = kiln.execute("SELECT count(*) FROM nation");
    assertEquals(25L, ((Number) r.rows().get(0)[0]).longValue());
  }

  private static long shuffleFiles() throws IOException {
    long n = 0;
    for (int i = 0; i < 2; i++) {
      Path dir = cluster.workDir(i);
      if (Files.isDirectory(dir)) {
        try (Stream<Path> walk = Files.walk(dir)) {
          n += walk.filter(Files::isRegularFile).count();
        }
      }
    }
    return n;
  }
}
