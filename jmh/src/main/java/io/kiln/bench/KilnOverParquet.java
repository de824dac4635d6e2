package io.kiln.bench;

import io.kiln.Kiln;
import java.nio.file.Path;
import java.util.List;

/** A Kiln session (default execution mode) whose tables are the Parquet files: every query scans them. */
final class KilnOverParquet implements QueryEngine {
  private final Kiln kiln;

  KilnOverParquet(Path dataDir, List<String> tables, int threads) {
    kiln = Kiln.builder().threads(threads).build();
    try {
      for (String table : tables) {
        kiln.registerParquet(table, TpchData.file(dataDir, table));
      }
    } catch (RuntimeException e) {
      kiln.close();
      throw e;
    }
  }

  @Override
  public Object run(String sql) {
    return kiln.execute(sql);
  }

  @Override
  public void close() {
    kiln.close();
  }
}
