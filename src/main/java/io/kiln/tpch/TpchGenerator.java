package io.kiln.tpch;

import java.nio.file.Path;
import java.util.function.DoubleConsumer;

/** Placeholder so the CLI compiles; the real generator lands from branch data. */
public final class TpchGenerator {
  private TpchGenerator() {}

  public static void generate(double scaleFactor, Path outDir, DoubleConsumer progress) {
    throw new UnsupportedOperationException("TPC-H generator not merged yet (placeholder)");
  }
}
