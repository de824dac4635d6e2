package io.kiln.sql;

import io.kiln.testing.SuiteSessions;

/**
 * The TPC-H window queries ({@link WindowTpchSuite}) on a cluster of two worker processes: a
 * window's input is hash-exchanged on its PARTITION BY keys (gathered without them), so each
 * worker sorts and computes whole partitions; both modes. The workers must exit cleanly.
 */
class ClusterWindowTpchTest extends WindowTpchSuite {
  @Override
  SuiteSessions openSessions() {
    return SuiteSessions.onCluster(2, 1, "1g");
  }
}
