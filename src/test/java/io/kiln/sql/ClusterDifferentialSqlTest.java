package io.kiln.sql;

import io.kiln.testing.SuiteSessions;
import java.nio.file.Path;

/**
 * The differential corpus ({@link DifferentialSuite}) on a cluster of two worker processes of one
 * slot each: interpreted with every join a shuffle join, compiled with small build sides
 * broadcast. Closing the sessions stops the workers, which must exit cleanly and leave no files.
 */
class ClusterDifferentialSqlTest extends DifferentialSuite {
  @Override
  SuiteSessions openSessions() {
    return SuiteSessions.onCluster(2, 1, "1g");
  }

  /**
   * Not the in-memory tables' queries: such tables live in the session's memory, and a cluster
   * reads only files every worker can open, so a query over one fails (with that reason) there.
   */
  @Override
  boolean runs(Path file) {
    return !file.getFileName().toString().equals("17_tables.sql");
  }
}
