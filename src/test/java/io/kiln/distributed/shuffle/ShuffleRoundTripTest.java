package io.kiln.distributed.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.kiln.catalog.ScanTask;
import io.kiln.data.Batch;
import io.kiln.distributed.rpc.Rpc;
import io.kiln.error.KilnException;
import io.kiln.exec.ExecContext;
import io.kiln.logical.ColumnRef;
import io.kiln.physical.Sink;
import io.kiln.physical.expr.ExprCompiler;
import io.kiln.physical.plan.PhysicalNode.ExchangeKind;
import io.kiln.physical.sink.Partitioner;
import io.kiln.types.DataType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Map outputs written by {@link ShuffleSink} come back through Flight exactly: every row once, in
 * the partition its key hashes to, from several map tasks and several concurrent readers; a
 * partition far larger than either side's memory limit streams through; a missing output is a
 * CLUSTER fetch failure naming it; a failed task leaves no file; no Arrow memory is left behind.
 */
class ShuffleRoundTripTest {
  private static final ColumnRef K = ColumnRef.fresh("k", DataType.BIGINT);
  private static final ColumnRef S = ColumnRef.fresh("s", DataType.VARCHAR);
  private static final String QUERY = "q1";

  @TempDir
  Path workDir;

  private RootAllocator root;
  private BufferAllocator serve;
  private BufferAllocator fetch;
  private ShuffleFiles files;
  private Server server;
  private ShuffleClients clients;
  private ExecutorService flightThreads;

  @BeforeEach
  void start() throws IOException {
    root = new RootAllocator();
    serve = root.newChildAllocator("serve", 0, 16L << 20);
    fetch = root.newChildAllocator("fetch", 0, 16L << 20);
    files = new ShuffleFiles(workDir);
    flightThreads = Executors.newCachedThreadPool();
    server = Rpc.server("127.0.0.1", 0, io.kiln.distributed.rpc.ClusterAuth.NONE)
        .addService(ShuffleService.bind(new ShuffleService(files, serve), serve, flightThreads)).build().start();
    clients = new ShuffleClients(fetch, io.kiln.distributed.rpc.ClusterAuth.NONE);
  }

  @AfterEach
  void stop() throws InterruptedException {
    clients.close();
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    flightThreads.shutdownNow();
    serve.close();
    fetch.close();
    root.close(); // fails on a leak
  }

  /** Rows {@code first..first+n-1}: k = row % 97 (NULL every 13th), s = "v" + row. */
  private Batch batch(BufferAllocator allocator, int first, int n) {
    BigIntVector k = new BigIntVector("k", allocator);
    VarCharVector s = new VarCharVector("s", allocator);
    k.allocateNew(n);
    s.allocateNew(n);
    for (int i = 0; i < n; i++) {
      int row = first + i;
      if (row % 13 == 0) {
        k.setNull(i);
      } else {
        k.set(i, row % 97);
      }
      s.setSafe(i, ("v" + row).getBytes(StandardCharsets.UTF_8));
    }
    return new Batch(new ValueVector[] {k, s}, n);
  }

  private Partitioner hash(int partitions) {
    return new Partitioner(ExchangeKind.HASH, new ExprCompiler(List.of(K, S)).compileAll(List.of(K)), partitions);
  }

  /** Map task {@code task} writes rows [first, first + batches * rows) from two threads' locals. */
  private MapOutput write(int task, Partitioner partitioner, int first, int batches, int rows) {
    try (BufferAllocator a = root.newChildAllocator("task " + task, 0, Long.MAX_VALUE);
        ExecContext ctx = new ExecContext(a, null, 1);
        ShuffleSink sink = new ShuffleSink(files, QUERY, 0, task, 0, partitioner)) {
      Sink.Local x = sink.newLocal(ctx);
      Sink.Local y = sink.newLocal(ctx);
      for (int b = 0; b < batches; b++) {
        (b % 2 == 0 ? x : y).push(batch(a, first + b * rows, rows));
      }
      sink.merge(x);
      sink.merge(y);
      x.close();
      y.close();
      return sink.finish();
    }
  }

  private ShuffleLocation location(int task) {
    return new ShuffleLocation("127.0.0.1", server.getPort(), QUERY, 0, task, 0);
  }

  /** Reads one partition of the given map tasks' outputs and hands each batch to {@code each}, which closes it. */
  private void read(List<ShuffleLocation> maps, int partition, BufferAllocator into, Consumer<Batch> each) {
    try (ExecContext ctx = new ExecContext(into, null, 1)) {
      for (ScanTask t : new ShuffleInputSource(clients, maps, partition, 7, "test input").tasks(ctx)) {
        try (t) {
          t.run(into, each, () -> false);
        }
      }
    }
  }

  private List<String> rowsOf(List<ShuffleLocation> maps, int partition) {
    List<String> rows = new ArrayList<>();
    try (BufferAllocator into = root.newChildAllocator("reader", 0, Long.MAX_VALUE)) {
      read(maps, partition, into, b -> {
        try (b) {
          BigIntVector k = (BigIntVector) b.column(0);
          for (int r = 0; r < b.rowCount(); r++) {
            rows.add((k.isNull(r) ? "null" : Long.toString(k.get(r))) + "|" + b.column(1).getObject(r));
          }
        }
      });
    }
    return rows;
  }

  @Test
  void everyRowComesBackOnceInTheLocationItsKeyHashesTo() {
    MapOutput a = write(0, hash(4), 0, 10, 100);
    MapOutput b = write(1, hash(4), 1000, 10, 100);
    assertEquals(1000, a.totalRows());
    assertEquals(1000, b.totalRows());
    List<ShuffleLocation> maps = List.of(location(0), location(1));
    List<String> all = new ArrayList<>();
    Map<String, Integer> partitionOfKey = new HashMap<>();
    for (int p = 0; p < 4; p++) {
      List<String> rows = rowsOf(maps, p);
      assertEquals(a.partitionRows()[p] + b.partitionRows()[p], rows.size(), "partition " + p);
      for (String row : rows) {
        String key = row.substring(0, row.indexOf('|'));
        assertEquals(p, partitionOfKey.computeIfAbsent(key, k -> -1) == -1 ? put(partitionOfKey, key, p)
            : partitionOfKey.get(key), "key " + key + " in two partitions");
      }
      all.addAll(rows);
    }
    List<String> expected = new ArrayList<>();
    for (int row = 0; row < 2000; row++) {
      expected.add((row % 13 == 0 ? "null" : Long.toString(row % 97)) + "|v" + row);
    }
    expected.sort(null);
    all.sort(null);
    assertEquals(expected, all);
  }

  private static int put(Map<String, Integer> m, String key, int p) {
    m.put(key, p);
    return p;
  }

  @Test
  void oneDataFileAndOneIndexPerMapTask() throws IOException {
    write(0, hash(8), 0, 6, 100);
    write(1, new Partitioner(ExchangeKind.GATHER, List.of(), 1), 0, 3, 100);
    try (Stream<Path> walk = Files.walk(workDir)) {
      List<String> names = walk.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(List.of("t0a0.data", "t0a0.index", "t1a0.data", "t1a0.index"), names);
    }
    assertEquals(300, rowsOf(List.of(location(1)), 0).size());
    files.deleteQuery(QUERY);
    try (Stream<Path> left = Files.list(workDir)) {
      assertEquals(0, left.count());
    }
  }

  @Test
  void concurrentReadersGetTheSameRows() throws Exception {
    write(0, hash(2), 0, 20, 500);
    List<String> expected = rowsOf(List.of(location(0)), 1);
    expected.sort(null);
    ExecutorService readers = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(readers.submit(() -> rowsOf(List.of(location(0)), 1)));
      }
      for (Future<List<String>> f : results) {
        List<String> rows = f.get(60, TimeUnit.SECONDS);
        rows.sort(null);
        assertEquals(expected, rows);
      }
    } finally {
      readers.shutdownNow();
    }
  }

  @Test
  void aPartitionFarLargerThanEitherSidesMemoryStreamsThrough() {
    // 160 batches of 32k rows (about 100 MB with the strings) through 16 MB limits on each side,
    // read slowly so that the server has to wait for the reader
    int batches = 160;
    int rows = 32_768;
    try (BufferAllocator a = root.newChildAllocator("big task", 0, Long.MAX_VALUE);
        ExecContext ctx = new ExecContext(a, null, 1);
        ShuffleSink sink = new ShuffleSink(files, QUERY, 0, 5, 0, new Partitioner(ExchangeKind.GATHER, List.of(), 1))) {
      Sink.Local x = sink.newLocal(ctx);
      for (int b = 0; b < batches; b++) {
        x.push(batch(a, b * rows, rows));
      }
      sink.merge(x);
      x.close();
      assertTrue(sink.finish().totalBytes() > 64L << 20);
    }
    AtomicLong seen = new AtomicLong();
    AtomicLong checksum = new AtomicLong();
    try (BufferAllocator into = root.newChildAllocator("small reader", 0, 16L << 20)) {
      read(List.of(location(5)), 0, into, b -> {
        try (b) {
          seen.addAndGet(b.rowCount());
          checksum.addAndGet(((VarCharVector) b.column(1)).getObject(b.rowCount() - 1).toString().length());
          parkMillis(1);
        }
      });
    }
    assertEquals((long) batches * rows, seen.get());
    long expected = 0;
    for (int b = 0; b < batches; b++) {
      expected += ("v" + (b * rows + rows - 1)).length();
    }
    assertEquals(expected, checksum.get());
  }

  private static void parkMillis(long millis) {
    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  /**
   * Batches without columns (rows of a plan that needs only how many there are, such as an
   * uncorrelated EXISTS over {@code SELECT *}) have an empty message body; they come back with
   * their row counts.
   */
  @Test
  void batchesWithoutColumnsComeBackWithTheirRowCounts() {
    try (BufferAllocator a = root.newChildAllocator("no columns", 0, Long.MAX_VALUE);
        ExecContext ctx = new ExecContext(a, null, 1);
        ShuffleSink sink = new ShuffleSink(files, QUERY, 0, 4, 0, new Partitioner(ExchangeKind.GATHER, List.of(), 1))) {
      Sink.Local x = sink.newLocal(ctx);
      x.push(new Batch(new ValueVector[0], 3));
      x.push(new Batch(new ValueVector[0], 5));
      sink.merge(x);
      x.close();
      assertEquals(8, sink.finish().totalRows());
    }
    List<Integer> counts = new ArrayList<>();
    try (BufferAllocator into = root.newChildAllocator("reader", 0, Long.MAX_VALUE)) {
      read(List.of(location(4)), 0, into, b -> {
        try (b) {
          assertEquals(0, b.columnCount());
          counts.add(b.rowCount());
        }
      });
    }
    assertEquals(List.of(3, 5), counts);
  }

  @Test
  void aMissingOutputIsAFetchFailureNamingIt() {
    FetchFailedException e = assertThrows(FetchFailedException.class, () -> rowsOf(List.of(location(9)), 0));
    assertEquals(KilnException.Kind.CLUSTER, e.kind());
    assertTrue(e.getMessage().contains("task 9") && e.getMessage().contains("127.0.0.1:" + server.getPort()),
        e.getMessage());
    assertEquals(location(9), e.location());
  }

  @Test
  void anUnreachableWorkerIsAFetchFailure() throws IOException {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ShuffleLocation gone = new ShuffleLocation("127.0.0.1", port, QUERY, 0, 0, 0);
    FetchFailedException e = assertThrows(FetchFailedException.class, () -> rowsOf(List.of(gone), 0));
    assertEquals(KilnException.Kind.CLUSTER, e.kind());
  }

  @Test
  void aTaskThatFailsLeavesNoFile() throws IOException {
    try (BufferAllocator a = root.newChildAllocator("failing task", 0, Long.MAX_VALUE);
        ExecContext ctx = new ExecContext(a, null, 1)) {
      ShuffleSink sink = new ShuffleSink(files, QUERY, 0, 3, 0, hash(4));
      Sink.Local x = sink.newLocal(ctx);
      x.push(batch(a, 0, 100));
      x.close();
      sink.close(); // without finish: the task failed
    }
    try (Stream<Path> walk = Files.walk(workDir)) {
      assertFalse(walk.anyMatch(Files::isRegularFile));
    }
    assertThrows(FetchFailedException.class, () -> rowsOf(List.of(location(3)), 0));
  }

  @Test
  void ticketsOnlyNameFilesInsideTheWorkDir() {
    assertThrows(KilnException.class, () -> ShuffleLocation.parseTicket("../../etc/0/0/0/0".getBytes(StandardCharsets.UTF_8)));
    assertThrows(KilnException.class, () -> ShuffleLocation.parseTicket("q/0/0".getBytes(StandardCharsets.UTF_8)));
    ShuffleLocation.PartitionRef ref = ShuffleLocation.parseTicket(location(2).ticket(3));
    assertEquals(new ShuffleLocation.PartitionRef(QUERY, 0, 2, 0, 3), ref);
  }
}
