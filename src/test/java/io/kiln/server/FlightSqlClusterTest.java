package io.kiln.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kiln.Kiln;
import io.kiln.distributed.LocalCluster;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.ResultAssert;
import io.kiln.tpch.TpchDriver;
import io.kiln.tpch.TpchGenerator;
import io.kiln.tpch.TpchQueries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kiln server in front of a cluster (a scheduler and two worker JVMs on loopback): JDBC queries run
 * on the workers and give DuckDB's answers. Closing the cluster stops every process it started.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class FlightSqlClusterTest {
  @TempDir Path dir;

  @Test
  void jdbcQueriesRunOnTheCluster() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    TpchGenerator.generate(0.01, data, progress -> {});
    Path users = dir.resolve("users.txt");
    Files.writeString(users, PasswordFile.entry("dave", "pw".toCharArray()) + "\n");
    List<Process> workers;
    try (LocalCluster cluster = LocalCluster.start(2, 1, 0, "1g");
        DuckDbOracle duckDb = new DuckDbOracle(2)) {
      workers = cluster.workerProcesses();
      for (String table : TpchDriver.TABLES) {
        duckDb.registerParquet(table, data.resolve(table + ".parquet"));
      }
      try (Kiln kiln = Kiln.builder().threads(2).cluster(cluster.address()).build()) {
        TpchDriver.registerTables(kiln, data);
        try (KilnFlightSqlServer server = KilnFlightSqlServer.start(kiln,
                KilnFlightSqlServer.Options.loopback(0).withAuth(users), "test");
            Connection c = JdbcDriver.connect(FlightSqlJdbcTest.url(server.port(), "dave", "pw"))) {
          for (int q : List.of(1, 3, 5, 6, 13, 18)) {
            String sql = TpchQueries.text(q);
            try (Statement st = c.createStatement()) {
              JdbcRows rows = JdbcRows.query(st, sql);
              ResultAssert.assertSameRows(sql, rows.columnNames(), rows.rows(), duckDb.query(sql),
                  ResultAssert.hasOuterOrderBy(sql));
            }
          }
          try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM lineitem WHERE l_suppkey = ?")) {
            ps.setLong(1, 7);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              assertEquals(((Number) duckDb.query("SELECT count(*) FROM lineitem WHERE l_suppkey = 7").get(0)[0])
                  .longValue(), rs.getLong(1));
            }
          }
          String plan = String.join("\n", JdbcRows.query(c.createStatement(), "EXPLAIN " + TpchQueries.text(3)).rows()
              .stream().map(r -> (String) r[0]).toList());
          assertFalse(!plan.contains("Stage 1"), "the plan should be cut into stages for the cluster:\n" + plan);
        }
      }
    }
    for (Process p : workers) {
      assertFalse(p.isAlive(), "a worker outlived the cluster");
    }
  }
}
