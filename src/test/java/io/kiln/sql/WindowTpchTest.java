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
    // With the 108 window queries of differential/14_windows.sql, over 100 window queries in all.
    assertTrue(queries().size() >= 25, "only " + queries().size() + " TPC-H window queries");
  }
}
