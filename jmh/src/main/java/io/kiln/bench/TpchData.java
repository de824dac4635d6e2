package io.kiln.bench;

import io.kiln.tpch.TpchDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the TPC-H Parquet files are, and which tables each benchmarked query reads. */
final class TpchData {
  private TpchData() {}

  /** The tables of query {@code q}: loading only these keeps setup short and memory small. */
  static List<String> tablesOf(int q) {
    switch (q) {
      case 1:
      case 6:
        return List.of("lineitem");
      case 3:
      case 18:
        return List.of("customer", "orders", "lineitem");
      case 9:
        return List.of("nation", "supplier", "part", "partsupp", "orders", "lineitem");
      default:
        // Any other query: all eight tables, so new queries can be added to the @Param list alone.
        return TpchDriver.TABLES;
    }
  }

  /** The Parquet file of {@code table}, or a failure that says how to make it. */
  static Path file(Path dataDir, String table) {
    Path file = dataDir.resolve(table + ".parquet");
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("TPC-H data missing: " + file.toAbsolutePath() + " does not exist. Generate SF 1"
          + " with `mvn -B -q package -DskipTests && java -jar target/kiln.jar tpch gen --sf 1 --out data/sf1`,"
          + " or point the benchmark at existing data with `-p data=DIR` (relative to the directory java runs in).");
    }
    return file;
  }
}
