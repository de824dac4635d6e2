package io.kiln.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.catalog.ScanTask;
import io.kiln.distributed.rpc.ClusterAuth;
import io.kiln.distributed.rpc.MutualTls;
import io.kiln.distributed.scheduler.KilnScheduler;
import io.kiln.distributed.scheduler.SchedulerOptions;
import io.kiln.distributed.shuffle.FetchFailedException;
import io.kiln.distributed.shuffle.ShuffleClients;
import io.kiln.distributed.shuffle.ShuffleInputSource;
import io.kiln.distributed.shuffle.ShuffleLocation;
import io.kiln.distributed.worker.KilnWorker;
import io.kiln.distributed.worker.WorkerOptions;
import io.kiln.error.KilnException;
import io.kiln.exec.ExecContext;
import io.kiln.testing.TestCertificates;
import io.kiln.tpch.TpchGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster with mutual TLS: its processes and clients hold certificates of the cluster's CA, and
 * anyone without one (no TLS, or a certificate of another CA) cannot join, submit or fetch.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterTlsTest {
  @TempDir static Path dir;
  private static TestCertificates.Pem client;
  private static TestCertificates.Pem intruder;
  private static KilnScheduler scheduler;
  private static KilnWorker worker;

  @BeforeAll
  static void start() throws IOException {
    TpchGenerator.generate(0.01, dir, progress -> {});
    Path pki = Files.createDirectories(dir.resolve("pki"));
    TestCertificates cluster = TestCertificates.authority(pki, "cluster");
    client = cluster.issue("client");
    intruder = TestCertificates.authority(pki, "rogue").issue("intruder");
    scheduler = KilnScheduler.start(SchedulerOptions.defaults().withAddress("127.0.0.1", 0)
        .withAuth(tls(cluster.issue("scheduler"))));
    worker = KilnWorker.start(WorkerOptions.defaults(scheduler.address()).withSlots(2)
        .withAuth(tls(cluster.issue("worker"))));
  }

  private static ClusterAuth tls(TestCertificates.Pem pem) {
    return ClusterAuth.NONE.withTls(MutualTls.fromPem(pem.certificate(), pem.key(), pem.ca()));
  }

  @AfterAll
  static void stop() {
    try {
      if (worker != null) {
        worker.close();
      }
    } finally {
      if (scheduler != null) {
        scheduler.close();
      }
    }
  }

  private static Kiln.Builder session() {
    // no broadcast: the join's both sides cross the shuffle, over TLS
    return Kiln.builder().cluster(scheduler.address()).broadcastMaxRows(0);
  }

  @Test
  void aClientWithACertificateOfTheClusterRunsQueries() {
    try (Kiln kiln = session().clusterTls(client.certificate(), client.key(), client.ca()).build()) {
      kiln.registerParquet("nation", dir.resolve("nation.parquet"));
      kiln.registerParquet("region", dir.resolve("region.parquet"));
      List<Object[]> rows = kiln.execute("SELECT r_name, count(*) FROM nation JOIN region ON n_regionkey = r_regionkey"
          + " GROUP BY r_name ORDER BY r_name").rows();
      assertEquals(5, rows.size());
      assertEquals("AFRICA", rows.get(0)[0]);
      assertEquals(5L, ((Number) rows.get(0)[1]).longValue());
    }
  }

  /** The CLUSTER error a session made by {@code builder} gets for its first query. */
  private static KilnException refused(Kiln.Builder builder) {
    KilnException e = assertThrows(KilnException.class, () -> {
      try (Kiln kiln = builder.build()) {
        kiln.registerParquet("nation", dir.resolve("nation.parquet"));
        kiln.execute("SELECT count(*) FROM nation");
      }
    });
    assertEquals(KilnException.Kind.CLUSTER, e.kind(), e.getMessage());
    return e;
  }

  @Test
  void aClientWithoutTlsIsRefused() {
    KilnException e = refused(session());
    assertTrue(e.getMessage().contains(scheduler.address()), e.getMessage());
    assertTrue(e.getMessage().contains("requiring TLS"), e.getMessage());
  }

  @Test
  void aClientWithACertificateOfAnotherCaIsRefused() {
    KilnException e = refused(session().clusterTls(intruder.certificate(), intruder.key(), intruder.ca()));
    assertTrue(e.getMessage().contains(scheduler.address()), e.getMessage());
    assertTrue(e.getMessage().contains("TLS handshake failed"), e.getMessage());
  }

  @Test
  void aClientTrustingTheClusterButHoldingAForeignCertificateIsRefused() {
    // the client accepts the scheduler's certificate; the scheduler must refuse the client's
    KilnException e = refused(session().clusterTls(intruder.certificate(), intruder.key(), client.ca()));
    assertTrue(e.getMessage().contains("TLS handshake failed"), e.getMessage());
  }

  @Test
  void aWorkerWithoutACertificateCannotJoin() {
    KilnException e = assertThrows(KilnException.class, () -> KilnWorker.start(
        WorkerOptions.defaults(scheduler.address()).withSlots(1).withAuth(tls(intruder))).close());
    assertTrue(e.getMessage().contains("TLS handshake failed"), e.getMessage());
    assertEquals(1, scheduler.workers());
  }

  @Test
  void shuffleOutputIsNotServedToAnotherCa() {
    ShuffleLocation anyOutput = new ShuffleLocation("127.0.0.1", worker.port(), "q", 0, 0, 0);
    try (BufferAllocator a = new RootAllocator();
        ShuffleClients clients = new ShuffleClients(a, tls(intruder));
        ExecContext ctx = new ExecContext(a, null, 1)) {
      ScanTask fetch = new ShuffleInputSource(clients, List.of(anyOutput), 0, 1, "probe").tasks(ctx).get(0);
      FetchFailedException e = assertThrows(FetchFailedException.class, () -> fetch.run(a, b -> b.close(), () -> false));
      assertTrue(e.getMessage().contains("TLS handshake failed"), e.getMessage());
    }
  }

  @Test
  void unreadableTlsFilesAreClearErrors() throws IOException {
    KilnException missing = assertThrows(KilnException.class,
        () -> MutualTls.fromPem(dir.resolve("nope.pem"), client.key(), client.ca()));
    assertEquals(KilnException.Kind.IO, missing.kind());
    assertTrue(missing.getMessage().contains("nope.pem") && missing.getMessage().contains("does not exist"),
        missing.getMessage());
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");
    KilnException bad = assertThrows(KilnException.class, () -> MutualTls.fromPem(garbage, client.key(), client.ca()));
    assertEquals(KilnException.Kind.BINDING, bad.kind());
    assertTrue(bad.getMessage().contains("garbage.pem"), bad.getMessage());
  }
}
