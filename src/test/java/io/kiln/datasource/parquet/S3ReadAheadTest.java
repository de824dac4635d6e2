package io.kiln.datasource.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.error.KilnException;
import io.kiln.Result;
import io.kiln.catalog.ScanRequest;
import io.kiln.catalog.ScanTaskDescriptor;
import io.kiln.datasource.objectstore.FetchStats;
import io.kiln.datasource.objectstore.S3Config;
import io.kiln.datasource.objectstore.S3Store;
import io.kiln.physical.plan.PhysicalNode;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.ResultAssert;
import io.kiln.testing.S3ProxyServer;
import io.kiln.testing.ShippedScans;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Reading ahead on S3 (S3Proxy in a child process): while workers decode a morsel, the next ones'
 * column chunks are fetched. It must fetch exactly what a scan without read-ahead fetches (same
 * requests, same bytes: nothing twice), answer the same, and release what it fetched for morsels
 * that never run (LIMIT reached, query failed) before the query ends, leaving nothing in flight.
 * The file has two row groups cut into 7 slices each, so there are morsels to read ahead.
 */
class S3ReadAheadTest {
  private static final String BUCKET = "ahead";
  private static final RowGroupSlicer SLICES = SlicedRowGroupsTest.SMALL_SLICES_FOR_ONE_WORKER;

  @TempDir static Path dir;
  private static Path file;
  private static S3ProxyServer server;
  private static DuckDbOracle duck;

  @BeforeAll
  static void upload() throws Exception {
    file = dir.resolve("sliced.parquet");
    SlicedRowGroupsTest.writeFile(file, 120_000, 60_000, WriterVersion.PARQUET_2_0);
    server = S3ProxyServer.start();
    try (S3Client client = server.client()) {
      S3ProxyServer.upload(client, BUCKET, "t/", List.of(file));
    }
    duck = new DuckDbOracle(2);
    duck.registerParquet("t", file);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (duck != null) {
        duck.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  private static S3Config config(int readAheadMorsels) {
    return S3Config.builder().endpoint(server.endpoint()).region("us-east-1").pathStyle(true)
        .credentials(S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL).readAheadMorsels(readAheadMorsels)
        .maxRequestBytes(64 * 1024).build(); // morsels of 64 KiB are worth fetching: this small file is sliced
  }

  /** One query's answer, what it fetched and what its scan counted. */
  private record Run(Result result, FetchStats.Snapshot fetched, ScanMetrics metrics) {}

  private static Run run(S3Store store, int threads, String sql) {
    try (Kiln kiln = Kiln.builder().threads(threads).build()) {
      ParquetTable t = new ParquetTable("s3://" + BUCKET + "/t/" + file.getFileName(), store, SLICES);
      kiln.registerTable("t", t);
      FetchStats.Snapshot before = store.stats().snapshot(); // after the footer was read
      Result r = kiln.execute(sql);
      return new Run(r, store.stats().snapshot().minus(before), t.lastScanMetrics());
    } // closing the session fails if a query leaked Arrow memory (a reservation for bytes read ahead)
  }

  private static final List<String> QUERIES = List.of(
      "SELECT count(*), sum(id), sum(k), min(name), max(note), sum(amount) FROM t",
      "SELECT mode, count(*), sum(price) FROM t GROUP BY mode",
      "SELECT * FROM t WHERE id BETWEEN 8500 AND 8650",
      "SELECT id, name, note FROM t WHERE k BETWEEN 17100 AND 17200",
      "SELECT count(*), sum(price), max(id) FROM t WHERE mode IN ('AIR', 'FOB')");

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2})
  void readingAheadFetchesWhatAScanWithoutItFetchesAndNothingTwice(int threads) throws Exception {
    try (S3Store plain = new S3Store(config(0)); S3Store ahead = new S3Store(config(2))) {
      for (String sql : QUERIES) {
        Run without = run(plain, threads, sql);
        Run with = run(ahead, threads, sql);
        List<Object[]> expected = duck.query(sql);
        ResultAssert.assertSameRows(sql, without.result(), expected, false);
        ResultAssert.assertSameRows(sql, with.result(), expected, false);
        assertEquals(0, without.metrics().morselsReadAhead(), sql);
        assertEquals(without.fetched().getRequests(), with.fetched().getRequests(),
            sql + ": requests\nwithout " + without.fetched() + "\nwith    " + with.fetched());
        assertEquals(without.fetched().bytesFetched(), with.fetched().bytesFetched(),
            sql + ": bytes\nwithout " + without.fetched() + "\nwith    " + with.fetched());
        assertEquals(without.metrics().counters().get("bytes read"), with.metrics().counters().get("bytes read"), sql);
        System.out.printf("%s: %s (file %d bytes)%n", sql, with.fetched(), Files.size(file));
      }
      // Plain scans of 14 morsels: all but the first may be read ahead (a worker can beat a read-ahead thread
      // to one, so over several scans).
      long readAhead = 0;
      for (int i = 0; i < 3; i++) {
        Run scan = run(ahead, threads, QUERIES.get(0));
        assertEquals(14, scan.metrics().morselsRead(), scan.metrics().toString());
        readAhead += scan.metrics().morselsReadAhead();
      }
      assertTrue(readAhead > 0, "no morsel was read ahead in 3 scans");
    }
  }

  @Test
  void aLimitOrAFailureReleasesWhatWasReadAheadAndLeavesNothingInFlight() throws Exception {
    try (S3Store store = new S3Store(config(2)); Kiln kiln = Kiln.builder().threads(2).build()) {
      ParquetTable t = new ParquetTable("s3://" + BUCKET + "/t/" + file.getFileName(), store, SLICES);
      kiln.registerTable("t", t);
      FetchStats.Snapshot start = store.stats().snapshot();
      kiln.execute("SELECT count(id), max(note) FROM t");
      long wholeScan = store.stats().snapshot().minus(start).bytesFetched();

      // The filter keeps the LIMIT out of the scan: all 14 morsels are planned, few run.
      long readAhead = 0;
      for (int i = 0; i < 5; i++) {
        FetchStats.Snapshot before = store.stats().snapshot();
        Result r = kiln.execute("SELECT id, note FROM t WHERE id % 7 = 3 LIMIT 10");
        assertEquals(10, r.rows().size());
        ScanMetrics m = t.lastScanMetrics();
        assertTrue(m.morselsRead() < 14, m.toString());
        readAhead += m.morselsReadAhead();
        assertNothingInFlight(store);
        assertTrue(store.stats().snapshot().minus(before).bytesFetched() < wholeScan);
      }
      assertTrue(readAhead > 0, "the LIMIT should have stopped scans with morsels read ahead");

      // A failure in the first batch: the query fails, the morsels read ahead are released.
      KilnException e = assertThrows(KilnException.class, () -> kiln.execute("SELECT CAST(note AS INTEGER) FROM t"));
      assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("note"), e.getMessage());
      assertNothingInFlight(store);
      // The session still works (and closing it checks that no query leaked memory).
      assertEquals(120_000L, ((Number) kiln.execute("SELECT count(id) FROM t").get(0, 0)).longValue());
    }
  }

  @Test
  void pageIndexesOfAllRowGroupsCostOneRequest() throws Exception {
    // 12 row groups; a predicate makes every row group read its column and offset indexes.
    Path twelve = dir.resolve("twelve-groups.parquet");
    SlicedRowGroupsTest.writeFile(twelve, 120_000, 10_000, WriterVersion.PARQUET_1_0);
    try (S3Client client = server.client()) {
      S3ProxyServer.upload(client, BUCKET, "twelve/", List.of(twelve));
    }
    duck.registerParquet("twelve", twelve);
    S3Config plainConfig = S3Config.builder().endpoint(server.endpoint()).region("us-east-1").pathStyle(true)
        .credentials(S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL).readAheadMorsels(0).build();
    try (S3Store store = new S3Store(plainConfig); Kiln kiln = Kiln.builder().threads(1).build()) {
      ParquetTable t = new ParquetTable("s3://" + BUCKET + "/twelve/" + twelve.getFileName(), store,
          RowGroupSlicer.DEFAULT);
      kiln.registerTable("twelve", t);
      String unfiltered = "SELECT count(*), sum(id), sum(k) FROM twelve";
      String filtered = unfiltered + " WHERE id >= 0";
      FetchStats.Snapshot before = store.stats().snapshot();
      ResultAssert.assertSameRows(unfiltered, kiln.execute(unfiltered), duck.query(unfiltered), false);
      FetchStats.Snapshot noIndexes = store.stats().snapshot().minus(before);
      before = store.stats().snapshot();
      ResultAssert.assertSameRows(filtered, kiln.execute(filtered), duck.query(filtered),
          false);
      FetchStats.Snapshot withIndexes = store.stats().snapshot().minus(before);
      assertEquals(12, t.lastScanMetrics().rowGroupsRead(), t.lastScanMetrics().toString());
      // Read index by index, each of the 24 indexes fetched a 256 KiB window of its own.
      assertEquals(noIndexes.getRequests() + 1, withIndexes.getRequests(), noIndexes + " then " + withIndexes);
      assertTrue(withIndexes.bytesFetched() < noIndexes.bytesFetched() + 256 * 1024, noIndexes + " then " + withIndexes);
    }
  }

  /** No request starts after the query returned: a read-ahead dropped at its end has finished. */
  private static void assertNothingInFlight(S3Store store) throws InterruptedException {
    FetchStats.Snapshot ended = store.stats().snapshot();
    Thread.sleep(300);
    assertEquals(ended, store.stats().snapshot(), "requests made after the query returned");
  }
  /**
   * Descriptors split by one store (a scheduler) and shipped in a plan name the object by its URI;
   * two "workers", each with its own store and table and every other descriptor (reading ahead
   * within their share), read together the rows of the whole scan, each once.
   */
  @Test
  void descriptorsOfObjectsRunOnTwoWorkers() {
    String uri = "s3://" + BUCKET + "/t/" + file.getFileName();
    int[] columns = {0, 4, 6};
    try (S3Store scheduler = new S3Store(config(2)); S3Store one = new S3Store(config(2));
        S3Store two = new S3Store(config(2))) {
      ParquetTable t = new ParquetTable(uri, scheduler, SLICES);
      List<ScanTaskDescriptor> all = t.splitScan(new ScanRequest(columns, List.of(), OptionalLong.empty()));
      assertTrue(all.size() > 2, "row groups are sliced (by bytes on S3): " + all);
      assertTrue(all.stream().allMatch(d -> d.location().equals(uri)), all.toString());
      PhysicalNode.Scan whole = ShippedScans.scan("t", t, columns, List.of(), List.of());
      List<String> expected = ShippedScans.sorted(ShippedScans.run(whole, t, 1));
      assertEquals(120_000, expected.size());
      List<Object[]> rows = new ArrayList<>(ShippedScans.run(
          ShippedScans.shipped(whole.withTasks(ShippedScans.share(all, 0))), new ParquetTable(uri, one, SLICES), 1));
      rows.addAll(ShippedScans.run(ShippedScans.shipped(whole.withTasks(ShippedScans.share(all, 1))),
          new ParquetTable(uri, two, SLICES), 1));
      assertEquals(expected, ShippedScans.sorted(rows));
      assertEquals(ShippedScans.sorted(duck.query("SELECT id, mode, note FROM t")), expected);
    }
  }
}
