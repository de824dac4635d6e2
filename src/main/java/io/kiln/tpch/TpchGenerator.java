package io.kiln.tpch;

import java.nio.file.Path;
import java.util.function.DoubleConsumer;

/**
 * Placeholder so the test branch compiles; the data branch provides the real generator with this
 * exact signature, and this commit is dropped at merge.
 */
public final class TpchGenerator {
  private TpchGenerator() {}

  /** Writes {@code outDir/<table>.parquet} for the 8 TPC-H tables. */
  public static void generate(double scaleFactor, Path outDir, DoubleConsumer progress) {
    throw new UnsupportedOperationException("TpchGenerator lands with the data branch");
  }
}
