package io.kiln.sql;

import io.kiln.testing.SuiteSessions;

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
}
