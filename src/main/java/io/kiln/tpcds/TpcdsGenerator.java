package io.kiln.tpcds;

import io.kiln.error.KilnException;
import io.kiln.util.TableWrites;
import io.kiln.tpch.BackgroundIterable;
import io.trino.tpcds.Results;
import io.trino.tpcds.Session;
import io.trino.tpcds.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.DoubleConsumer;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Writes the 24 TPC-DS tables as {@code <table>.parquet} with io.trino.tpcds (a port of dsdgen that
 * makes the same data). Tables are written in parallel, each to a hidden temporary name renamed on
 * success, so a failed or interrupted run never leaves a half-written table behind.
 */
public final class TpcdsGenerator {
  /** Small enough that SF 0.1 store_sales has several row groups (parallel scan morsels). */
  static final int ROW_GROUP_ROWS = 120_000;
  private static final int THREADS = 2;
  private static final int PROGRESS_EVERY = 16_384;
  /** The generator scales the sales tables by orders; each order has about this many lines. */
  private static final int LINES_PER_ORDER = 12;
  private static final Set<String> SALES = Set.of("store_sales", "catalog_sales", "web_sales");

  private TpcdsGenerator() {}

  public static void generate(double scaleFactor, Path outDir, DoubleConsumer progress) {
    generate(scaleFactor, outDir, TpcdsTables.NAMES, progress);
  }

  /** Writes only the named tables (a test needs a few, and customer_demographics has 1.9 million rows at any scale). */
  static void generate(double scaleFactor, Path outDir, List<String> tableNames, DoubleConsumer progress) {
    if (!(scaleFactor > 0)) {
      throw KilnException.execution("TPC-DS scale factor must be positive, got " + scaleFactor);
    }
    try {
      Files.createDirectories(outDir);
    } catch (IOException e) {
      throw KilnException.io("cannot create TPC-DS output directory " + outDir + ": " + e.getMessage(), e);
    }
    Session session = Session.getDefaultSession().withScale(scaleFactor);
    List<Table> tables = new ArrayList<>();
    for (String name : tableNames) {
      if (!TpcdsTables.NAMES.contains(name)) {
        throw KilnException.execution("no TPC-DS table " + name);
      }
      tables.add(Table.getTable(name));
    }
    // Biggest first, so the two threads finish close together.
    tables.sort(Comparator.comparingDouble((Table t) -> expectedRows(session, t)).reversed());
    double total = 0;
    for (Table t : tables) {
      total += expectedRows(session, t);
    }
    List<TableWrites.Write> writes = new ArrayList<>();
    for (Table t : tables) {
      writes.add(w -> writeTable(session, t, outDir, w));
    }
    TableWrites.runAll("TPC-DS generation", THREADS, total, progress, writes);
  }

  /** Roughly the rows the generator makes for a table (only for ordering work and showing progress). */
  private static double expectedRows(Session session, Table t) {
    double units = session.getScaling().getRowCount(t);
    return SALES.contains(t.getName()) ? units * LINES_PER_ORDER : units;
  }

  private static void writeTable(Session session, Table table, Path outDir, TableWrites.Progress progress) {
    Path target = outDir.resolve(table.getName() + ".parquet");
    TpcdsParquetSchema schema = new TpcdsParquetSchema(table);
    Path temp = null;
    try {
      // Hidden and not *.parquet, so readers of the directory never pick it up half-written.
      // Not Files.createTempFile: that makes the final file owner-only (0600).
      temp = outDir.resolve("." + table.getName() + ".parquet." + UUID.randomUUID() + ".tmp");
      try (ParquetWriter<List<String>> writer = new TpcdsWriteSupport.Builder(new LocalOutputFile(temp), schema)
          .withConf(new PlainParquetConfiguration())
          .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
          .withCompressionCodec(CompressionCodecName.SNAPPY)
          .withRowGroupRowCountLimit(ROW_GROUP_ROWS)
          .withRowGroupSize(512L * 1024 * 1024)
          .build();
          BackgroundIterable<List<List<String>>> rows = new BackgroundIterable<>(
              Results.constructResults(table, session.withTable(table)), "kiln-tpcds-rows-" + table.getName())) {
        long n = 0;
        for (Iterator<List<List<String>>> it = rows.iterator(); it.hasNext(); ) {
          // Each element holds the rows one generator step made for this table (always one so far).
          for (List<String> row : it.next()) {
            writer.write(row);
            if (++n % PROGRESS_EVERY == 0) {
              if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
              }
              progress.add(PROGRESS_EVERY);
            }
          }
        }
        progress.add(n % PROGRESS_EVERY);
      }
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException | InterruptedException e) {
      try {
        if (temp != null) {
          Files.deleteIfExists(temp);
        }
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw KilnException.execution("TPC-DS generation of " + target + " interrupted");
      }
      throw KilnException.io("cannot write TPC-DS table " + table.getName() + " to " + target + ": " + e, e);
    }
  }

  
}
