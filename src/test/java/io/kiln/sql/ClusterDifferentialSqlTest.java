package io.kiln.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.error.KilnException;
import io.kiln.testing.SuiteSessions;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

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

  /** CREATE TABLE AS runs its query on the cluster; reading the table it made there fails, saying why. */
  @Test
  void inMemoryTablesDoNotTravelToWorkers() {
    for (Map.Entry<String, Kiln> s : sessions().all().entrySet()) {
      Kiln kiln = s.getValue();
      assertEquals(2L, ((Number) kiln.execute("CREATE OR REPLACE TABLE mem AS SELECT uid FROM u WHERE uid < 3")
          .get(0, 0)).longValue(), s.getKey());
      KilnException e = assertThrows(KilnException.class, () -> kiln.execute("SELECT count(*) FROM mem"), s.getKey());
      assertTrue(e.getMessage().contains("table mem (memory (2 rows, 1 batches)) lives in this process only"),
          e.getMessage());
      kiln.execute("DROP TABLE mem");
    }
  }
}
