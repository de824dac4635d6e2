package io.kiln.sql;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.testing.SuiteSessions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The TPC-H window queries ({@link WindowTpchSuite}) in this process, in both modes, on 1 and 2 threads. */
class WindowTpchTest extends WindowTpchSuite {
  @Override
  SuiteSessions openSessions() {
    return SuiteSessions.inProcess(List.of(1, 2));
  }

  @Test
  void corpusIsLargeEnough() {
    assertTrue(queries().size() >= 25, "only " + queries().size() + " TPC-H window queries");
    // The small-table window queries run in DifferentialSqlTest and ClusterDifferentialSqlTest.
    int small = 0;
    for (java.nio.file.Path f : io.kiln.testing.SqlScript.resourceFiles("differential")) {
      if (f.getFileName().toString().endsWith("_windows.sql")) {
        small += io.kiln.testing.SqlScript.read(f).size();
      }
    }
    assertTrue(small >= 100, "only " + small + " window queries in differential/");
  }
}
