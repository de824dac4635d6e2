package io.kiln.tpch;

import io.kiln.error.KilnException;
import io.kiln.util.AtomicFiles;
import io.kiln.util.TableWrites;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.DoubleConsumer;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Writes the eight TPC-H tables as {@code <table>.parquet} with io.trino.tpch (dbgen-identical
 * data). Tables are written in parallel, each to a hidden temporary name renamed on success, so a
 * failed or interrupted run never leaves a half-written table behind.
 */
public final class TpchGenerator {
  /** Small enough that SF 0.1 lineitem has several row groups (parallel scan morsels). */
  static final int ROW_GROUP_ROWS = 120_000;
  private static final int THREADS = 2;
  private static final int PROGRESS_EVERY = 16_384;

  private TpchGenerator() {}

  public static void generate(double scaleFactor, Path outDir, DoubleConsumer progress) {
    if (!(scaleFactor > 0)) {
      throw KilnException.execution("TPC-H scale factor must be positive, got " + scaleFactor);
    }
    try {
      Files.createDirectories(outDir);
    } catch (IOException e) {
      throw KilnException.io("cannot create TPC-H output directory " + outDir + ": " + e.getMessage(), e);
    }
    List<TpchTable<?>> tables = new ArrayList<>(TpchTable.getTables());
    // Biggest first, so the two threads finish close together.
    tables.sort(Comparator.comparingDouble((TpchTable<?> t) -> expectedRows(t, scaleFactor)).reversed());
    double total = 0;
    for (TpchTable<?> t : tables) {
      total += expectedRows(t, scaleFactor);
    }
    List<TableWrites.Write> writes = new ArrayList<>();
    for (TpchTable<?> t : tables) {
      writes.add(w -> writeTable(t, scaleFactor, outDir, w));
    }
    TableWrites.runAll("TPC-H generation", THREADS, total, progress, writes);
  }

  /** The rows dbgen makes for a table (lineitem is an average: 1 to 7 lines per order). */
  static double expectedRows(TpchTable<?> t, double sf) {
    switch (t.getTableName()) {
      case "region":
        return 5;
      case "nation":
        return 25;
      case "supplier":
        return 10_000 * sf;
      case "customer":
        return 150_000 * sf;
      case "part":
        return 200_000 * sf;
      case "partsupp":
        return 800_000 * sf;
      case "orders":
        return 1_500_000 * sf;
      default:
        return 6_000_000 * sf;
    }
  }

  private static <E extends TpchEntity> void writeTable(TpchTable<E> table, double sf, Path outDir,
      TableWrites.Progress progress) {
    Path target = outDir.resolve(table.getTableName() + ".parquet");
    TpchParquetSchema<E> schema = new TpchParquetSchema<>(table);
    try {
      // Written whole or not at all, so readers of the directory never pick it up half-written.
      AtomicFiles.write(target, temp -> {
        TpchWriteSupport.Builder<E> builder = new TpchWriteSupport.Builder<>(new LocalOutputFile(temp), schema);
        for (String column : schema.uniqueTextColumns()) {
          // Nearly unique text never fits a dictionary; trying first and falling back costs time.
          builder.withDictionaryEncoding(column, false);
        }
        try (ParquetWriter<E> writer = builder
            .withConf(new PlainParquetConfiguration())
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withRowGroupRowCountLimit(ROW_GROUP_ROWS)
            .withRowGroupSize(512L * 1024 * 1024)
            .build();
            BackgroundIterable<E> rows = new BackgroundIterable<>(table.createGenerator(sf, 1, 1),
                "kiln-tpch-rows-" + table.getTableName())) {
          long n = 0;
          for (E e : rows) {
            writer.write(e);
            if (++n % PROGRESS_EVERY == 0) {
              if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
              }
              progress.add(PROGRESS_EVERY);
            }
          }
          progress.add(n % PROGRESS_EVERY);
        }
      });
    } catch (IOException | RuntimeException e) {
      if (e.getCause() instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw KilnException.execution("TPC-H generation of " + target + " interrupted");
      }
      throw KilnException.io("cannot write TPC-H table " + table.getTableName() + " to " + target + ": " + e, e);
    }
  }

  
}
