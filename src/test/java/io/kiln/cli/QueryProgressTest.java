package io.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.Progress;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The query progress line on a terminal's stderr, and none elsewhere. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class QueryProgressTest {
  @TempDir Path dir;

  @Test
  void onATerminalItRedrawsWhatWasReadThenWipesItsLine() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    java.io.PrintWriter err = new java.io.PrintWriter(new java.io.OutputStreamWriter(bytes, StandardCharsets.UTF_8), true);
    AtomicLong rows = new AtomicLong(1_000); // read before this query: not counted
    try (QueryProgress p = QueryProgress.show(err, true,
        () -> new Progress(rows.get(), 2 * rows.get(), 1, 3, 4, 8), 0)) {
      rows.set(51_000);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!bytes.toString(StandardCharsets.UTF_8).contains("50,000 rows") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
    String shown = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(shown.contains("50,000 rows  97.7 KiB read  [###############               ] stages 1/3, tasks 4/8"),
        shown);
    assertTrue(shown.endsWith("\r"), "the line is not wiped: " + shown);
    assertTrue(shown.substring(shown.lastIndexOf('\r', shown.length() - 2)).isBlank(), "the line is not wiped: " + shown);
  }

  @Test
  void quickQueriesAndNonTerminalsShowNothing() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    java.io.PrintWriter err = new java.io.PrintWriter(new java.io.OutputStreamWriter(bytes, StandardCharsets.UTF_8), true);
    try (QueryProgress p = QueryProgress.show(err, true, () -> new Progress(0, 0, 0, 0, 0, 0), 60_000)) {
      Thread.sleep(100);
    }
    try (QueryProgress p = QueryProgress.show(err, false, () -> new Progress(0, 0, 0, 0, 0, 0), 0)) {
      Thread.sleep(300);
    }
    assertEquals("", bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theSessionCountsTheRowsItsScansRead() throws Exception {
    Path csv = Files.writeString(dir.resolve("t.csv"), "x\n1\n2\n3\n");
    try (Kiln kiln = Kiln.builder().threads(1).build()) {
      kiln.registerCsv("t", csv);
      kiln.execute("SELECT count(*) FROM t WHERE x > 1");
      Progress p = kiln.progress();
      assertEquals(3, p.rowsRead());
      assertEquals(Files.size(csv), p.bytesRead());
      assertEquals(0, p.tasksTotal(), "no cluster, no tasks");
    }
  }
}
