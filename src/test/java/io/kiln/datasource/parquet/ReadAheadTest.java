package io.kiln.datasource.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.error.KilnException;
import io.kiln.catalog.ScanRequest;
import io.kiln.datasource.objectstore.LocalFileStore;
import io.kiln.datasource.objectstore.ObjectStore;
import io.kiln.datasource.objectstore.ReadAhead;
import io.kiln.datasource.objectstore.StoredFile;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.ResultAssert;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a scan reads ahead, on local files through a store that reads ahead on threads the test
 * controls (Kiln's local store does not: see {@link LocalFileStore}): answers and metrics are
 * those of a scan without read-ahead, a worker reaching a morsel whose read-ahead has not begun
 * fetches it itself, read-ahead yields to the query's memory limit, and a read-ahead that fails
 * fails the query on its worker with the file named. Where a count of morsels read ahead is
 * asserted, the read-ahead runs at once on the worker (a pool thread may lose the race to it).
 */
class ReadAheadTest {
  @TempDir static Path dir;
  private static Path file;
  private static DuckDbOracle duck;
  private static ExecutorService pool;

  @BeforeAll
  static void write() throws Exception {
    file = dir.resolve("read-ahead.parquet");
    SlicedRowGroupsTest.writeFile(file, 120_000, 60_000, WriterVersion.PARQUET_1_0);
    duck = new DuckDbOracle(2);
    duck.registerParquet("t", file);
    pool = Executors.newFixedThreadPool(2);
  }

  @AfterAll
  static void close() {
    pool.shutdownNow();
    duck.close();
  }

  /** Local files, read ahead {@code morsels} morsels on {@code executor}. */
  private static final class ReadingAheadStore implements ObjectStore {
    private final Executor executor;
    private final int morsels;

    ReadingAheadStore(Executor executor, int morsels) {
      this.executor = executor;
      this.morsels = morsels;
    }

    @Override
    public List<StoredFile> listParquetFiles(String location) {
      return LocalFileStore.INSTANCE.listParquetFiles(location);
    }

    @Override
    public InputFile open(StoredFile f) {
      return LocalFileStore.INSTANCE.open(f);
    }

    @Override
    public Optional<ReadAhead> readAhead() {
      return Optional.of(new ReadAhead(executor, morsels));
    }
  }

  @Test
  void answersAndMetricsAreThoseOfAScanWithoutReadAhead() {
    try (Kiln kiln = Kiln.builder().threads(2).build()) {
      ParquetTable ahead = new ParquetTable(file.toString(), new ReadingAheadStore(pool, 2),
          SlicedRowGroupsTest.SMALL_SLICES);
      ParquetTable plain = new ParquetTable(file.toString(), LocalFileStore.INSTANCE, SlicedRowGroupsTest.SMALL_SLICES);
      kiln.registerTable("ahead", ahead);
      kiln.registerTable("plain", plain);
      List<String> all = new ArrayList<>(SlicedRowGroupsTest.PLAIN);
      all.addAll(SlicedRowGroupsTest.SELECTIVE);
      all.addAll(SlicedRowGroupsTest.DICTIONARY);
      for (String sql : all) {
        ResultAssert.assertSameRows(sql, kiln.execute(sql.replace("FROM t", "FROM ahead")), duck.query(sql), false);
        kiln.execute(sql.replace("FROM t", "FROM plain"));
        Map<String, Long> a = ahead.lastScanMetrics().counters();
        Map<String, Long> p = plain.lastScanMetrics().counters();
        assertEquals(0, p.get("morsels read ahead"), sql);
        a.remove("morsels read ahead");
        p.remove("morsels read ahead");
        assertEquals(p, a, sql);
      }
    }
  }

  @Test
  void everyMorselButTheFirstIsReadAheadWhenTheReadAheadThreadIsAlwaysFirst() {
    // Read-ahead runs at once, on the worker, as the previous morsel starts: deterministic.
    Executor atOnce = Runnable::run;
    try (Kiln kiln = Kiln.builder().threads(1).build()) {
      ParquetTable t = new ParquetTable(file.toString(), new ReadingAheadStore(atOnce, 2),
          SlicedRowGroupsTest.SMALL_SLICES_FOR_ONE_WORKER);
      kiln.registerTable("t", t);
      String sql = SlicedRowGroupsTest.PLAIN.get(0);
      ResultAssert.assertSameRows(sql, kiln.execute(sql), duck.query(sql), false);
      assertEquals(14, t.lastScanMetrics().morselsRead());
      assertEquals(13, t.lastScanMetrics().morselsReadAhead(), t.lastScanMetrics().toString());
    }
  }

  @Test
  void aWorkerFetchesForItselfWhenTheReadAheadThreadHasNotBegun() {
    ConcurrentLinkedQueue<Runnable> neverRun = new ConcurrentLinkedQueue<>();
    try (Kiln kiln = Kiln.builder().threads(2).build()) {
      ParquetTable t = new ParquetTable(file.toString(), new ReadingAheadStore(neverRun::add, 2),
          SlicedRowGroupsTest.SMALL_SLICES);
      kiln.registerTable("t", t);
      String sql = SlicedRowGroupsTest.PLAIN.get(0);
      ResultAssert.assertSameRows(sql, kiln.execute(sql), duck.query(sql), false);
      assertEquals(0, t.lastScanMetrics().morselsReadAhead());
      // Two workers start the first two morsels at once; when the second gets there first, the
      // first is never handed over (a morsel is read ahead only while nothing later has started).
      assertTrue(neverRun.size() >= 12, "every morsel but the first two was handed to the read-ahead threads: "
          + neverRun.size());
      // Late read-ahead threads find their morsels taken or dropped: they fetch nothing.
      Map<String, Long> before = t.lastScanMetrics().counters();
      neverRun.forEach(Runnable::run);
      assertEquals(before, t.lastScanMetrics().counters());
    }
  }

  @Test
  void readingAheadYieldsToTheQuerysMemoryLimit() {
    // Unsliced: a morsel is a row group; its amount chunk is about 240 KB, a batch of amounts 260 KB.
    String sql = "SELECT sum(amount), count(*) FROM t";
    ParquetTable probe = new ParquetTable(file.toString(), LocalFileStore.INSTANCE, SlicedRowGroupsTest.NO_SLICES);
    long morselBytes = probe.planScan(new ScanRequest(new int[] {7}, List.of(), OptionalLong.empty())).stream()
        .mapToLong(task -> ((RowGroupScanTask) task).estimatedBytes()).max().orElseThrow();
    // Tight: half of the query's headroom is less than a morsel, so nothing is read ahead (and the query fits).
    long tight = morselBytes * 8 / 5;
    Executor atOnce = Runnable::run;
    for (long limit : new long[] {tight, 256L << 20}) {
      try (Kiln kiln = Kiln.builder().threads(1).memoryLimit(limit).build()) {
        ParquetTable t = new ParquetTable(file.toString(), new ReadingAheadStore(atOnce, 2),
            SlicedRowGroupsTest.NO_SLICES);
        kiln.registerTable("t", t);
        ResultAssert.assertSameRows(sql, kiln.execute(sql), duck.query(sql), false);
        long ahead = t.lastScanMetrics().morselsReadAhead();
        assertEquals(limit == tight ? 0 : 1, ahead, "limit " + limit + ": " + t.lastScanMetrics());
      }
    }
  }

  @Test
  void aFailedReadAheadFailsTheQueryOnItsWorker() throws Exception {
    // Row group 0 intact, garbage where row group 1's pages were: its morsels fail as page headers are parsed.
    Path broken = dir.resolve("broken.parquet");
    Files.copy(file, broken);
    long start;
    long length;
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(broken), ParquetTable.readOptions())) {
      BlockMetaData second = r.getFooter().getBlocks().get(1);
      start = second.getStartingPos();
      length = second.getCompressedSize();
    }
    try (RandomAccessFile raf = new RandomAccessFile(broken.toFile(), "rw")) {
      byte[] junk = new byte[(int) length];
      java.util.Arrays.fill(junk, (byte) 0x5A);
      raf.seek(start);
      raf.write(junk);
    }
    // Read-ahead runs at once, one morsel ahead: every morsel after the first is fetched as a read-ahead.
    Executor atOnce = Runnable::run;
    try (Kiln kiln = Kiln.builder().threads(1).build()) {
      ParquetTable t = new ParquetTable(broken.toString(), new ReadingAheadStore(atOnce, 1),
          SlicedRowGroupsTest.SMALL_SLICES_FOR_ONE_WORKER);
      kiln.registerTable("t", t);
      KilnException e = assertThrows(KilnException.class, () -> kiln.execute("SELECT max(note) FROM t"));
      assertEquals(KilnException.Kind.IO, e.kind());
      assertTrue(e.getMessage().contains(broken.toString()) && e.getMessage().contains("row group 1"), e.getMessage());
      assertTrue(t.lastScanMetrics().morselsReadAhead() >= 7, t.lastScanMetrics().toString());
    }
  }
}
