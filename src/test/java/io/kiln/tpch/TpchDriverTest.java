package io.kiln.tpch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.error.KilnException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver's bookkeeping: statistics, failure reporting and argument checks. */
class TpchDriverTest {
  @Test
  void medianAndGeometricMean() {
    assertEquals(3.0, TpchDriver.median(new double[] {5, 1, 3}));
    assertEquals(2.5, TpchDriver.median(new double[] {4, 1, 3, 2}));
    assertEquals(10.0, TpchDriver.geometricMean(new double[] {1, 100}), 1e-9);
    assertTrue(Double.isNaN(TpchDriver.geometricMean(new double[0])));
  }

  @Test
  void queriesOnMissingTablesAreReportedAsFailures() {
    // No tables registered: every query must fail, be listed, and mark the summary failed.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Kiln kiln = Kiln.builder().threads(1).build()) {
      TpchDriver.Summary summary = TpchDriver.runQueries(kiln, List.of(1, 6), 1, true,
          new PrintStream(bytes, true, StandardCharsets.UTF_8), "table");
      assertTrue(summary.failed());
      assertEquals(2, summary.failures().size());
      assertEquals(TpchDriver.Status.ERROR, summary.queries().get(0).status());
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("q1") && printed.contains("q6") && printed.contains("ERROR"), printed);
  }

  @Test
  void rejectsUnknownFormatAndMissingData(@TempDir Path empty) {
    try (Kiln kiln = Kiln.builder().threads(1).build()) {
      assertThrows(IllegalArgumentException.class,
          () -> TpchDriver.runQueries(kiln, List.of(1), 1, false, System.out, "csv"));
      KilnException e = assertThrows(KilnException.class, () -> TpchDriver.registerTables(kiln, empty));
      assertEquals(KilnException.Kind.IO, e.kind());
    }
  }

  @Test
  void peakResidentMemoryGrowsWithWhatTheProcessTouches() {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"),
        "/proc is Linux's");
    assertTrue(PeakRss.reset());
    long before = PeakRss.bytes();
    assertTrue(before > 0, "peak " + before);
    // 64 MiB of fresh memory (off the heap, whose free pages may be resident already), touched page
    // by page, raise the peak by about as much
    java.nio.ByteBuffer touched = java.nio.ByteBuffer.allocateDirect(64 << 20);
    for (int i = 0; i < touched.capacity(); i += 4096) {
      touched.put(i, (byte) 1);
    }
    long after = PeakRss.bytes();
    assertTrue(after - before >= 32L << 20, before + " -> " + after + " after touching " + touched.capacity());
  }
}
