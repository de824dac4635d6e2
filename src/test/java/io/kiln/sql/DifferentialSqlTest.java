package io.kiln.sql;

import io.kiln.testing.SuiteSessions;
import java.util.List;

/** The differential corpus ({@link DifferentialSuite}) in this process, in both modes at 2 threads. */
class DifferentialSqlTest extends DifferentialSuite {
  @Override
  SuiteSessions openSessions() {
    return SuiteSessions.inProcess(List.of(2));
  }
}
