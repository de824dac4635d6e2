package io.kiln.sql;

import io.kiln.catalog.TableProvider;
import io.kiln.datasource.csv.CsvOptions;

/**
 * Opens the files a table function in FROM names ({@code read_parquet}, {@code read_csv}). The
 * session implements it, since it knows how to reach object stores.
 */
public interface FileTables {
  /** A Parquet file, folder, glob or s3:// URI read as one table. */
  TableProvider parquet(String location);

  /** A CSV file laid out as {@code options} say. */
  TableProvider csv(String file, CsvOptions options);

  /** Local files only (s3:// URIs need a session's store). */
  FileTables LOCAL = new FileTables() {
    @Override
    public TableProvider parquet(String location) {
      return new io.kiln.datasource.parquet.ParquetTable(java.nio.file.Path.of(location));
    }

    @Override
    public TableProvider csv(String file, CsvOptions options) {
      return new io.kiln.datasource.csv.CsvTable(java.nio.file.Path.of(file), options);
    }
  };
}
