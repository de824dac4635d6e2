package io.kiln.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.testing.DuckDbOracle;
import io.kiln.testing.ResultAssert;
import io.kiln.testing.TestCertificates;
import io.kiln.tpch.TpchDriver;
import io.kiln.tpch.TpchGenerator;
import io.kiln.tpch.TpchQueries;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kiln server through the official Arrow Flight SQL JDBC driver: TPC-H (SF 0.01) answers equal to
 * DuckDB's on the same files, DatabaseMetaData, parameters of each type, concurrent connections,
 * authentication, Kiln's error messages, cancellation and TLS.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class FlightSqlJdbcTest {
  private static final double SCALE_FACTOR = 0.01;
  private static final String USER = "alice";
  private static final String PASSWORD = "s3cret pass";

  @TempDir static Path dir;
  private static Kiln kiln;
  private static KilnFlightSqlServer server;
  private static DuckDbOracle duckDb;
  private static Connection connection;
  private static final Map<Integer, List<Object[]>> expected = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    TpchGenerator.generate(SCALE_FACTOR, data, progress -> {});
    kiln = Kiln.builder().threads(2).build();
    TpchDriver.registerTables(kiln, data);
    Path users = dir.resolve("users.txt");
    Files.writeString(users, "# test users\n" + PasswordFile.entry(USER, PASSWORD.toCharArray()) + "\n"
        + PasswordFile.entry("bob", "other".toCharArray()) + "\n");
    server = KilnFlightSqlServer.start(kiln, KilnFlightSqlServer.Options.loopback(0).withAuth(users), "test");
    duckDb = new DuckDbOracle(2);
    for (String table : TpchDriver.TABLES) {
      duckDb.registerParquet(table, data.resolve(table + ".parquet"));
    }
    connection = connect(USER, PASSWORD);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (connection != null) {
        connection.close();
      }
      if (server != null) {
        server.close(); // fails if an answer's Arrow memory leaked
      }
    } finally {
      if (kiln != null) {
        kiln.close();
      }
      if (duckDb != null) {
        duckDb.close();
      }
    }
  }

  static String url(int port, String user, String password) {
    return "jdbc:arrow-flight-sql://127.0.0.1:" + port + "/?useEncryption=false&user=" + user + "&password="
        + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static Connection connect(String user, String password) throws SQLException {
    return JdbcDriver.connect(url(server.port(), user, password));
  }

  static List<Integer> queries() {
    return TpchQueries.all();
  }

  @ParameterizedTest(name = "q{0}")
  @MethodSource("queries")
  void tpchAnswersEqualDuckDbs(int q) throws SQLException {
    String sql = TpchQueries.text(q);
    try (Statement st = connection.createStatement()) {
      JdbcRows rows = JdbcRows.query(st, sql);
      ResultAssert.assertSameRows(sql, rows.columnNames(), rows.rows(), expected(q), ResultAssert.hasOuterOrderBy(sql));
    }
  }

  /** The tables this test makes are dropped at its end: the metadata test lists the TPC-H tables only. */
  @Test
  void updatesReportTheRowsTheyWrote() throws SQLException {
    try (Statement st = connection.createStatement()) {
      assertEquals(0, st.executeUpdate("CREATE OR REPLACE TABLE jdbc_rows (n INTEGER, s VARCHAR)"));
      assertEquals(3, st.executeUpdate("INSERT INTO jdbc_rows VALUES (1, 'a'), (2, NULL), (3, 'c')"));
      assertEquals(5, st.executeUpdate("CREATE OR REPLACE TABLE jdbc_nations AS SELECT * FROM nation WHERE n_regionkey = 1"));
      try (ResultSet rs = st.executeQuery("SELECT sum(n), count(s) FROM jdbc_rows")) {
        assertTrue(rs.next());
        assertEquals(6, rs.getLong(1));
        assertEquals(2, rs.getLong(2));
      }
    } finally {
      try (Statement st = connection.createStatement()) {
        assertEquals(0, st.executeUpdate("DROP TABLE IF EXISTS jdbc_rows"));
        assertEquals(0, st.executeUpdate("DROP TABLE IF EXISTS jdbc_nations"));
      }
    }
  }

  private static synchronized List<Object[]> expected(int q) {
    return expected.computeIfAbsent(q, k -> duckDb.query(TpchQueries.text(k)));
  }

  @Test
  void metadataListsTablesAndColumnsWithTheirJdbcTypes() throws SQLException {
    DatabaseMetaData md = connection.getMetaData();
    assertEquals("Kiln", md.getDatabaseProductName());
    List<String> tables = new ArrayList<>();
    try (ResultSet rs = md.getTables(null, null, "%", null)) {
      while (rs.next()) {
        tables.add(rs.getString("TABLE_NAME"));
        assertEquals("TABLE", rs.getString("TABLE_TYPE"));
      }
    }
    assertEquals(TpchDriver.TABLES.stream().sorted().toList(), tables);
    try (ResultSet rs = md.getTables(null, null, "line%", new String[] {"TABLE"})) {
      assertTrue(rs.next());
      assertEquals("lineitem", rs.getString("TABLE_NAME"));
      assertFalse(rs.next());
    }
    Map<String, Integer> types = new HashMap<>();
    Map<String, Integer> scales = new HashMap<>();
    try (ResultSet rs = md.getColumns(null, null, "lineitem", "%")) {
      while (rs.next()) {
        types.put(rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"));
        scales.put(rs.getString("COLUMN_NAME"), rs.getInt("DECIMAL_DIGITS"));
      }
    }
    assertEquals(16, types.size(), types.toString());
    assertEquals(Types.BIGINT, types.get("l_orderkey"));
    assertEquals(Types.INTEGER, types.get("l_linenumber"));
    assertEquals(Types.DECIMAL, types.get("l_discount"));
    assertEquals(2, scales.get("l_discount"));
    assertEquals(Types.DATE, types.get("l_shipdate"));
    assertEquals(Types.VARCHAR, types.get("l_comment"));
    try (ResultSet rs = md.getTableTypes()) {
      assertTrue(rs.next());
      assertEquals("TABLE", rs.getString(1));
    }
    try (ResultSet rs = md.getPrimaryKeys(null, null, "lineitem")) {
      assertFalse(rs.next(), "Kiln declares no keys");
    }
  }

  @Test
  void preparedStatementsBindParametersOfEveryType() throws SQLException {
    assertCount("SELECT count(*) FROM lineitem WHERE l_orderkey < ?", "l_orderkey < 100",
        ps -> ps.setLong(1, 100));
    assertCount("SELECT count(*) FROM lineitem WHERE l_linenumber = ?", "l_linenumber = 2", ps -> ps.setInt(1, 2));
    assertCount("SELECT count(*) FROM lineitem WHERE l_discount = ?", "l_discount = 0.05",
        ps -> ps.setBigDecimal(1, new BigDecimal("0.05")));
    assertCount("SELECT count(*) FROM lineitem WHERE l_shipdate < ?", "l_shipdate < DATE '1995-01-01'",
        ps -> ps.setDate(1, java.sql.Date.valueOf("1995-01-01")));
    assertCount("SELECT count(*) FROM lineitem WHERE l_shipmode = ? AND l_returnflag IN (?, ?)",
        "l_shipmode = 'AIR' AND l_returnflag IN ('R', 'A')", ps -> {
          ps.setString(1, "AIR");
          ps.setString(2, "R");
          ps.setString(3, "A");
        });
    assertCount("SELECT count(*) FROM lineitem WHERE l_quantity BETWEEN ? AND ?", "l_quantity BETWEEN 10 AND 20",
        ps -> {
          ps.setBigDecimal(1, new BigDecimal("10.00"));
          ps.setBigDecimal(2, new BigDecimal("20.00"));
        });
    assertCount("SELECT count(*) FROM lineitem WHERE CAST(l_extendedprice AS DOUBLE) > CAST(? AS DOUBLE)",
        "CAST(l_extendedprice AS DOUBLE) > 50000.5", ps -> ps.setDouble(1, 50000.5));
    assertCount("SELECT count(*) FROM lineitem WHERE CAST(? AS BOOLEAN)", "true", ps -> ps.setBoolean(1, true));
    assertCount("SELECT count(*) FROM lineitem WHERE l_orderkey = ?", "false", ps -> ps.setNull(1, Types.BIGINT));
    assertCount("SELECT count(*) FROM lineitem WHERE l_comment = ?", "l_comment = 'it''s'",
        ps -> ps.setString(1, "it's"));
    // the same statement run again with other values
    try (PreparedStatement ps = connection.prepareStatement("SELECT count(*) FROM orders WHERE o_orderkey <= ?")) {
      for (long key : new long[] {1, 100, 1000}) {
        ps.setLong(1, key);
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(((Number) duckDb.query("SELECT count(*) FROM orders WHERE o_orderkey <= " + key).get(0)[0])
              .longValue(), rs.getLong(1));
        }
      }
    }
  }

  @Test
  void timestampParameters() throws SQLException {
    assertCount("SELECT count(*) FROM orders WHERE CAST(o_orderdate AS TIMESTAMP) < CAST(? AS TIMESTAMP)",
        "CAST(o_orderdate AS TIMESTAMP) < TIMESTAMP '1994-03-01 12:00:00'",
        ps -> ps.setTimestamp(1, java.sql.Timestamp.valueOf("1994-03-01 12:00:00")));
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private static void assertCount(String sql, String duckDbWhere, Binder binder) throws SQLException {
    long want = ((Number) duckDb.query("SELECT count(*) FROM " + sql.split("FROM ")[1].split(" ")[0] + " WHERE "
        + duckDbWhere).get(0)[0]).longValue();
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next(), sql);
        assertEquals(want, rs.getLong(1), sql);
        assertFalse(rs.next());
      }
    }
  }

  @Test
  void tenConnectionsRunTwentyQueriesEach() throws Exception {
    for (int q : List.of(1, 3, 6, 12, 14)) {
      expected(q);
    }
    Map<Long, Long> ordersOfCustomer = new HashMap<>(); // DuckDB's connection serves one thread at a time
    for (long customer = 0; customer < 120; customer++) {
      ordersOfCustomer.put(customer, ((Number) duckDb.query("SELECT count(*) FROM orders WHERE o_custkey = "
          + customer).get(0)[0]).longValue());
    }
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int c = 0; c < 10; c++) {
        int client = c;
        done.add(pool.submit(() -> {
          try (Connection conn = connect(USER, PASSWORD)) {
            for (int i = 0; i < 20; i++) {
              int q = List.of(1, 3, 6, 12, 14).get((client + i) % 5);
              if (i % 4 == 3) {
                try (PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM orders WHERE o_custkey = ?")) {
                  ps.setLong(1, client * 10 + i);
                  try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(ordersOfCustomer.get((long) (client * 10 + i)), rs.getLong(1));
                  }
                }
                continue;
              }
              String sql = TpchQueries.text(q);
              try (Statement st = conn.createStatement()) {
                JdbcRows rows = JdbcRows.query(st, sql);
                ResultAssert.assertSameRows(sql, rows.columnNames(), rows.rows(), expected(q),
                    ResultAssert.hasOuterOrderBy(sql));
              }
            }
          }
          return client;
        }));
      }
      for (Future<Integer> f : done) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
    }
  }

  @Test
  void wrongPasswordIsRefused() {
    SQLException e = assertThrows(SQLException.class, () -> {
      try (Connection c = connect(USER, "wrong")) {
        c.createStatement().executeQuery("SELECT 1").close();
      }
    });
    assertTrue(messages(e).contains("UNAUTHENTICATED") || messages(e).contains("wrong user name or password"),
        messages(e));
    assertThrows(SQLException.class, () -> {
      try (Connection c = connect("mallory", PASSWORD)) {
        c.createStatement().executeQuery("SELECT 1").close();
      }
    });
    assertThrows(SQLException.class, () -> {
      try (Connection c = JdbcDriver.connect("jdbc:arrow-flight-sql://127.0.0.1:" + server.port()
          + "/?useEncryption=false")) {
        c.createStatement().executeQuery("SELECT 1").close();
      }
    }, "no credentials at all");
  }

  @Test
  void badSqlGivesKilnsMessageWithItsPosition() throws SQLException {
    try (Statement st = connection.createStatement()) {
      SQLException syntax = assertThrows(SQLException.class, () -> st.executeQuery("SELECT l_orderkey\nFROM lineitem WHER x"));
      assertTrue(messages(syntax).contains("syntax error") && messages(syntax).contains("line 2, column"),
          messages(syntax));
      SQLException binding = assertThrows(SQLException.class, () -> st.executeQuery("SELECT nope FROM lineitem"));
      assertTrue(messages(binding).contains("nope"), messages(binding));
      SQLException table = assertThrows(SQLException.class, () -> st.executeQuery("SELECT * FROM no_such_table"));
      assertTrue(messages(table).contains("no_such_table"), messages(table));
      // the connection still works afterwards
      assertEquals(1, JdbcRows.query(st, "SELECT 1 AS one").rows().size());
    }
  }

  @Test
  void setAndExplainRunAsStatements() throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute("SET kiln.execution.mode = interpreted");
      assertEquals(io.kiln.ExecutionMode.INTERPRETED, kiln.executionMode());
      st.execute("SET kiln.execution.mode = compiled");
      assertEquals(io.kiln.ExecutionMode.COMPILED, kiln.executionMode());
      JdbcRows plan = JdbcRows.query(st, "EXPLAIN SELECT count(*) FROM nation");
      assertEquals(List.of("plan"), plan.columnNames());
      assertTrue(plan.rows().size() > 3);
    }
  }

  @Test
  void aQueryCancelledFromJdbcStopsOnTheServer() throws Exception {
    // a join on a key of 7 values: half a billion pairs, far longer than the test waits
    String slow = "SELECT count(*) FROM lineitem a JOIN lineitem b ON a.l_shipmode = b.l_shipmode";
    try (Statement st = connection.createStatement()) {
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread runner = new Thread(() -> {
        try (ResultSet rs = st.executeQuery(slow)) {
          rs.next();
        } catch (Throwable t) {
          failure.set(t);
        }
      });
      runner.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (server.runningQueries() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(1, server.runningQueries(), "the query should be running");
      st.cancel();
      runner.join(TimeUnit.SECONDS.toMillis(30));
      assertFalse(runner.isAlive(), "executeQuery still blocked after cancel");
      // a morsel of this join makes many pairs between two looks at the cancel flag: allow a loaded machine time
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (server.runningQueries() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(0, server.runningQueries(), "the query still runs on the server 30 s after its cancel");
      assertTrue(failure.get() instanceof SQLException, String.valueOf(failure.get()));
    }
    try (Statement st = connection.createStatement()) {
      assertEquals(1, JdbcRows.query(st, "SELECT 1 AS one").rows().size(), "the connection works after a cancel");
    }
  }

  @Test
  void refusesToServeBeyondLoopbackWithoutAuth() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KilnFlightSqlServer.start(kiln, KilnFlightSqlServer.Options.loopback(0).withHost("0.0.0.0"), "test"));
    assertTrue(e.getMessage().contains("without authentication"), e.getMessage());
  }

  @Test
  void tlsWithAPemCertificate() throws Exception {
    Path certs = Files.createDirectories(dir.resolve("certs"));
    TestCertificates.Pem pem = TestCertificates.authority(certs, "kiln-test-ca").issue("kiln-server");
    try (KilnFlightSqlServer tls = KilnFlightSqlServer.start(kiln,
        KilnFlightSqlServer.Options.loopback(0).withTls(pem.certificate(), pem.key()), "test")) {
      String url = "jdbc:arrow-flight-sql://127.0.0.1:" + tls.port() + "/?useEncryption=true&tlsRootCerts="
          + pem.ca().toAbsolutePath();
      try (Connection c = JdbcDriver.connect(url); Statement st = c.createStatement()) {
        JdbcRows rows = JdbcRows.query(st, "SELECT count(*) AS n FROM nation");
        assertEquals(25L, ((Number) rows.rows().get(0)[0]).longValue());
      }
      // a client that does not speak TLS gets nowhere
      assertThrows(SQLException.class, () -> {
        try (Connection c = JdbcDriver.connect("jdbc:arrow-flight-sql://127.0.0.1:" + tls.port()
            + "/?useEncryption=false")) {
          c.createStatement().executeQuery("SELECT 1").close();
        }
      });
    }
  }

  /** The messages of an exception and its causes, where drivers put the server's words. */
  static String messages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append('\n');
    }
    return sb.toString();
  }
}
