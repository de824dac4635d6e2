package io.kiln.tpcds;

import io.kiln.Kiln;
import io.kiln.error.KilnException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The 24 TPC-DS tables, each kept as {@code <table>.parquet} in one folder. */
public final class TpcdsTables {
  /** dsdgen's base tables without dbgen_version, which records the generator run and no query reads. */
  public static final List<String> NAMES = List.of(
      "call_center", "catalog_page", "catalog_returns", "catalog_sales", "customer", "customer_address",
      "customer_demographics", "date_dim", "household_demographics", "income_band", "inventory", "item",
      "promotion", "reason", "ship_mode", "store", "store_returns", "store_sales", "time_dim", "warehouse",
      "web_page", "web_returns", "web_sales", "web_site");

  private TpcdsTables() {}

  /** Registers {@code dataDir/<table>.parquet} for the 24 tables; fails fast if one is missing. */
  public static void register(Kiln kiln, Path dataDir) {
    for (String table : NAMES) {
      kiln.registerParquet(table, file(dataDir, table));
    }
  }

  /** The table's file in {@code dataDir}, which must exist. */
  public static Path file(Path dataDir, String table) {
    Path file = dataDir.resolve(table + ".parquet");
    if (!Files.isRegularFile(file)) {
      throw KilnException.io("missing " + file + ": generate the TPC-DS data into " + dataDir + " first", null);
    }
    return file;
  }
}
