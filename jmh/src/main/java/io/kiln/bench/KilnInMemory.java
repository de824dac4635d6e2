package io.kiln.bench;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A Kiln session over TPC-H tables held in memory. The Parquet files are read once, by Kiln itself,
 * and copied into in-memory tables, so timed queries measure execution and not Parquet decoding.
 */
final class KilnInMemory implements QueryEngine {
  private final Kiln kiln;

  KilnInMemory(Path dataDir, List<String> tables, ExecutionMode mode, int threads) {
    kiln = Kiln.builder().threads(threads).executionMode(mode).build();
    try (Kiln reader = Kiln.builder().threads(threads).build(); BufferAllocator staging = new RootAllocator()) {
      for (String table : tables) {
        reader.registerParquet(table, TpchData.file(dataDir, table));
        List<VectorSchemaRoot> batches = reader.sql("SELECT * FROM " + table).collectArrow(staging);
        try {
          kiln.registerArrow(table, batches);
        } finally {
          // registerArrow made its own copy in the session's memory.
          batches.forEach(VectorSchemaRoot::close);
        }
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
    // Shows in the run's log that compiled mode compiled (and did not fall back to interpreting).
    System.out.println("codegen: " + kiln.codegenMetrics());
    kiln.close();
  }
}
