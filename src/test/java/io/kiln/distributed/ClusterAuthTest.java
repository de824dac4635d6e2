package io.kiln.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.catalog.ScanTask;
import io.kiln.distributed.rpc.ClusterAuth;
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
 * A cluster with a shared secret refuses every call without it (a worker joining, a client
 * submitting, a reader fetching shuffle output) with an error that says what is missing, and
 * serves those that carry it; the secret itself is never shown.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterAuthTest {
  private static final String SECRET = "correct horse battery staple 42";
  @TempDir static Path dir;
  private static ClusterAuth auth;
  private static KilnScheduler scheduler;
  private static KilnWorker worker;

  @BeforeAll
  static void start() throws IOException {
    TpchGenerator.generate(0.01, dir, progress -> {});
    Files.writeString(dir.resolve("secret"), SECRET + "\n");
    Files.writeString(dir.resolve("other"), "a different secret of some length");
    auth = ClusterAuth.sharedSecret(dir.resolve("secret"));
    scheduler = KilnScheduler.start(SchedulerOptions.defaults().withAddress("127.0.0.1", 0).withAuth(auth));
    worker = KilnWorker.start(WorkerOptions.defaults(scheduler.address()).withSlots(1).withAuth(auth));
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

  @Test
  void aClientWithTheSecretRunsQueries() {
    try (Kiln kiln = Kiln.builder().cluster(scheduler.address()).clusterSecret(dir.resolve("secret")).build()) {
      kiln.registerParquet("nation", dir.resolve("nation.parquet"));
      kiln.registerParquet("region", dir.resolve("region.parquet"));
      List<Object[]> rows = kiln.execute(
          "SELECT r_name, count(*) FROM nation JOIN region ON n_regionkey = r_regionkey GROUP BY r_name").rows();
      assertEquals(5, rows.size());
      String explain = String.join("\n", kiln.execute("EXPLAIN SELECT count(*) FROM nation").rows().stream()
          .map(r -> (String) r[0]).toList());
      assertFalse(explain.contains(SECRET), explain);
    }
  }

  @Test
  void aClientWithoutTheSecretIsRefusedSayingWhy() {
    KilnException e = assertThrows(KilnException.class, () -> {
      try (Kiln kiln = Kiln.builder().cluster(scheduler.address()).build()) {
        kiln.registerParquet("nation", dir.resolve("nation.parquet"));
        kiln.execute("SELECT count(*) FROM nation");
      }
    });
    assertEquals(KilnException.Kind.CLUSTER, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("UNAUTHENTICATED") && e.getMessage().contains("shared secret"), e.getMessage());
  }

  @Test
  void aClientWithAnotherSecretIsRefused() {
    KilnException e = assertThrows(KilnException.class, () -> {
      try (Kiln kiln = Kiln.builder().cluster(scheduler.address()).clusterSecret(dir.resolve("other")).build()) {
        kiln.registerParquet("nation", dir.resolve("nation.parquet"));
        kiln.execute("SELECT count(*) FROM nation");
      }
    });
    assertTrue(e.getMessage().contains("another secret"), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
  }

  @Test
  void aWorkerWithoutTheSecretCannotJoin() {
    KilnException e = assertThrows(KilnException.class,
        () -> KilnWorker.start(WorkerOptions.defaults(scheduler.address()).withSlots(1)).close());
    assertTrue(e.getMessage().contains("shared secret"), e.getMessage());
    assertEquals(1, scheduler.workers());
  }

  @Test
  void shuffleOutputIsNotServedWithoutTheSecret() {
    ShuffleLocation anyOutput = new ShuffleLocation("127.0.0.1", worker.port(), "q", 0, 0, 0);
    try (BufferAllocator a = new RootAllocator();
        ShuffleClients clients = new ShuffleClients(a, ClusterAuth.NONE);
        ExecContext ctx = new ExecContext(a, null, 1)) {
      ScanTask fetch = new ShuffleInputSource(clients, List.of(anyOutput), 0, 1, "probe").tasks(ctx).get(0);
      FetchFailedException e = assertThrows(FetchFailedException.class, () -> fetch.run(a, b -> b.close(), () -> false));
      assertTrue(e.getMessage().contains("shared secret"), e.getMessage());
    }
  }

  @Test
  void aShortOrMissingSecretFileIsAClearError() throws IOException {
    Files.writeString(dir.resolve("short"), "abc");
    KilnException shortOne = assertThrows(KilnException.class, () -> ClusterAuth.sharedSecret(dir.resolve("short")));
    assertTrue(shortOne.getMessage().contains("at least 16"), shortOne.getMessage());
    KilnException missing = assertThrows(KilnException.class, () -> ClusterAuth.sharedSecret(dir.resolve("nope")));
    assertEquals(KilnException.Kind.IO, missing.kind());
    assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
    assertFalse(auth.toString().contains(SECRET));
  }
}
