package io.kiln.datasource.parquet;

import static io.kiln.testing.ShippedScans.run;
import static io.kiln.testing.ShippedScans.scan;
import static io.kiln.testing.ShippedScans.share;
import static io.kiln.testing.ShippedScans.shipped;
import static io.kiln.testing.ShippedScans.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.catalog.ColumnPredicate;
import io.kiln.catalog.ScanRequest;
import io.kiln.catalog.ScanTaskDescriptor;
import io.kiln.datasource.objectstore.LocalFileStore;
import io.kiln.error.KilnException;
import io.kiln.physical.plan.PhysicalNode;
import io.kiln.testing.DuckDbOracle;
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

/**
 * A Parquet scan split into task descriptors (three files, five non-empty row groups, large ones
 * sliced), shipped in a plan and run from it: all descriptors give the rows of the ordinary scan,
 * and two "workers", each with its own copy of the table and every other descriptor, give
 * together exactly those rows, each once, pruned row groups left out. Rows that pass the predicate
 * equal DuckDB's answer. Descriptors naming what the table does not have fail clearly.
 */
class ParquetScanDescriptorsTest {
  /** id, k, price, note. */
  private static final int[] COLUMNS = {0, 1, 3, 6};
  /** id BETWEEN 25,000 AND 70,000: the statistics rule out b.parquet's first row group. */
  private static final List<ColumnPredicate> ID_RANGE = List.of(
      new ColumnPredicate(0, ColumnPredicate.Op.GE, List.of(25_000L)),
      new ColumnPredicate(0, ColumnPredicate.Op.LE, List.of(70_000L)));

  @TempDir static Path dir;
  private static Path folder;
  private static DuckDbOracle duck;

  @BeforeAll
  static void write() throws Exception {
    folder = Files.createDirectory(dir.resolve("t"));
    // a: two row groups of 60,000 (sliced); b: three of 20,000, 20,000, 10,000; c: one of 30,000 (sliced).
    SlicedRowGroupsTest.writeFile(folder.resolve("a.parquet"), 120_000, 60_000, WriterVersion.PARQUET_1_0);
    SlicedRowGroupsTest.writeFile(folder.resolve("b.parquet"), 50_000, 20_000, WriterVersion.PARQUET_2_0);
    SlicedRowGroupsTest.writeFile(folder.resolve("c.parquet"), 30_000, 30_000, WriterVersion.PARQUET_1_0);
    duck = new DuckDbOracle(2);
    duck.execute("CREATE VIEW t AS SELECT * FROM read_parquet('" + folder.toAbsolutePath() + "/*.parquet')");
  }

  @AfterAll
  static void close() {
    duck.close();
  }

  /** A table of its own, as each worker process opens one; small slices so row groups of 20,000 rows are cut too. */
  private static ParquetTable table() {
    return new ParquetTable(folder.toString(), LocalFileStore.INSTANCE, SlicedRowGroupsTest.SMALL_SLICES);
  }

  private static List<ScanTaskDescriptor> split(ParquetTable t, List<ColumnPredicate> pruning) {
    return t.splitScan(new ScanRequest(COLUMNS, pruning, OptionalLong.empty()).forWorkers(2));
  }

  @Test
  void descriptorsNameFilesRowGroupsAndSlices() {
    ParquetTable t = table();
    List<ScanTaskDescriptor> all = split(t, List.of());
    assertEquals(200_000, all.stream().mapToLong(ScanTaskDescriptor::rowCount).sum());
    assertEquals(3, all.stream().map(ScanTaskDescriptor::location).distinct().count());
    assertTrue(all.size() > 6, "large row groups are sliced: " + all);
    for (ScanTaskDescriptor d : all) {
      assertEquals(d.rowCount(), d.estimatedRows());
    }
    List<ScanTaskDescriptor> pruned = split(t, ID_RANGE);
    String b = folder.resolve("b.parquet").toString();
    assertTrue(pruned.stream().noneMatch(d -> d.location().equals(b) && d.rowGroup() == 0), pruned.toString());
    assertTrue(pruned.stream().anyMatch(d -> d.location().equals(b) && d.rowGroup() == 1), pruned.toString());
    // The split decides exactly what planScan reads.
    assertEquals(pruned.size(), t.planScan(new ScanRequest(COLUMNS, ID_RANGE, OptionalLong.empty()).forWorkers(2))
        .size());
  }

  @Test
  void shippedDescriptorsReadTheRowsOfTheWholeScan() {
    for (List<ColumnPredicate> pruning : List.of(List.<ColumnPredicate>of(), ID_RANGE)) {
      ParquetTable scheduler = table();
      List<ScanTaskDescriptor> all = split(scheduler, pruning);
      PhysicalNode.Scan whole = scan("t", scheduler, COLUMNS, pruning, List.of());
      List<String> expected = sorted(run(whole, scheduler, 2));

      assertEquals(expected, sorted(run(shipped(whole.withTasks(all)), table(), 2)), "all descriptors");
      List<Object[]> rows = new ArrayList<>(run(shipped(whole.withTasks(share(all, 0))), table(), 2));
      rows.addAll(run(shipped(whole.withTasks(share(all, 1))), table(), 1));
      assertEquals(expected, sorted(rows), "two workers' shares, each row once");

      String where = pruning.isEmpty() ? "" : " WHERE id BETWEEN 25000 AND 70000";
      List<Object[]> passing = rows.stream().filter(r -> pruning.isEmpty()
          || ((Long) r[0] >= 25_000 && (Long) r[0] <= 70_000)).toList();
      assertEquals(sorted(duck.query("SELECT id, k, price, note FROM t" + where)), sorted(passing), "DuckDB");
    }
  }

  @Test
  void descriptorsTheTableDoesNotHaveAreClearErrors() {
    ParquetTable t = table();
    ScanRequest request = new ScanRequest(COLUMNS, List.of(), OptionalLong.empty());
    String a = folder.resolve("a.parquet").toString();
    KilnException noFile = assertThrows(KilnException.class,
        () -> t.open(request, List.of(new ScanTaskDescriptor(folder.resolve("z.parquet").toString(), 0, 0, 10, 10))));
    assertTrue(noFile.getMessage().contains("parquet table " + folder + " has no file " + folder.resolve("z.parquet")),
        noFile.getMessage());
    KilnException noGroup = assertThrows(KilnException.class,
        () -> t.open(request, List.of(new ScanTaskDescriptor(a, 2, 0, 10, 10))));
    assertTrue(noGroup.getMessage().contains("file " + a + " has 2 row groups, no row group 2"), noGroup.getMessage());
    assertTrue(noGroup.getMessage().contains("parquet table " + folder), noGroup.getMessage());
    KilnException pastEnd = assertThrows(KilnException.class,
        () -> t.open(request, List.of(new ScanTaskDescriptor(a, 1, 59_990, 20, 20))));
    assertTrue(pastEnd.getMessage().contains("row group 1 of file " + a + " has 60000 rows, not rows 59990..60010"),
        pastEnd.getMessage());
    // Through a plan too: the worker's ScanSource fails the same way.
    PhysicalNode.Scan bad = scan("t", t, COLUMNS, List.of(), List.of(new ScanTaskDescriptor(a, 7, 0, 1, 1)));
    KilnException shippedBad = assertThrows(KilnException.class, () -> run(shipped(bad), t, 1));
    assertTrue(shippedBad.getMessage().contains("no row group 7"), shippedBad.getMessage());
  }
}
