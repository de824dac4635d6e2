package io.kiln.cli;

import io.kiln.Kiln;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The tables a long-running command (shell, server) starts with: a folder of Parquet files and single tables. */
final class TableOptions {
  @Option(names = "--parquet-dir", paramLabel = "DIR",
      description = "Registers each NAME.parquet file in DIR as table NAME, and each sub-folder of Parquet files as a"
          + " table named after the folder.")
  private Path parquetDir;

  @Option(names = "--table", paramLabel = "NAME=PATH",
      description = "Registers a Parquet file or folder (a CSV file if PATH ends in .csv, or s3://...) as table NAME."
          + " Repeatable.")
  private Map<String, String> tables = new LinkedHashMap<>();

  void registerAll(Kiln kiln) {
    if (parquetDir != null) {
      ParquetDir.tables(parquetDir).forEach(kiln::registerParquet);
    }
    tables.forEach((name, location) -> TableLocations.register(kiln, name, location));
  }
}
