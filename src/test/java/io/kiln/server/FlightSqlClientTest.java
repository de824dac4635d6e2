package io.kiln.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.Result;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.CancelFlightInfoRequest;
import org.apache.arrow.flight.CancelFlightInfoResult;
import org.apache.arrow.flight.CancelStatus;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.GetSessionOptionsRequest;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.SessionOptionValueFactory;
import org.apache.arrow.flight.SetSessionOptionsRequest;
import org.apache.arrow.flight.SetSessionOptionsResult;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.flight.sql.impl.FlightSql;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest.TableDefinitionOptions;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the JDBC driver does not reach, through Arrow's own Flight SQL client: bulk ingest, XDBC type
 * info and SqlInfo, session options, CancelFlightInfo, and bearer tokens that expire.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FlightSqlClientTest {
  private static final Duration TOKEN_LIFETIME = Duration.ofSeconds(3);

  @TempDir static Path dir;
  private static Kiln kiln;
  private static KilnFlightSqlServer server;
  private static BufferAllocator allocator;
  private static FlightClient client;
  private static FlightSqlClient sql;
  private static CallOption token;

  @BeforeAll
  static void start() throws Exception {
    kiln = Kiln.builder().threads(2).build();
    Path users = dir.resolve("users.txt");
    Files.writeString(users, PasswordFile.entry("carol", "pw".toCharArray()) + "\n");
    server = KilnFlightSqlServer.start(kiln, KilnFlightSqlServer.Options.loopback(0).withAuth(users)
        .withTokenLifetime(TOKEN_LIFETIME), "test");
    allocator = new RootAllocator();
    client = FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", server.port())).build();
    sql = new FlightSqlClient(client);
    token = login();
  }

  private static CallOption login() {
    return client.authenticateBasicToken("carol", "pw").orElseThrow();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (sql != null) {
        sql.close(); // closes the Flight client too
      }
      if (server != null) {
        server.close();
      }
      if (allocator != null) {
        allocator.close();
      }
    } finally {
      if (kiln != null) {
        kiln.close();
      }
    }
  }

  @Test
  void bulkIngestMakesATableQueriesRead() throws Exception {
    CallOption t = login();
    Schema schema = new Schema(List.of(
        new Field("id", FieldType.nullable(new ArrowType.Int(32, true)), null),
        new Field("name", FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
        new Field("price", FieldType.nullable(new ArrowType.Decimal(10, 2, 128)), null),
        new Field("day", FieldType.nullable(new ArrowType.Date(DateUnit.DAY)), null)));
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      root.allocateNew();
      for (int i = 0; i < 100; i++) {
        ((IntVector) root.getVector("id")).setSafe(i, i);
        ((VarCharVector) root.getVector("name")).setSafe(i, ("n" + (i % 10)).getBytes(StandardCharsets.UTF_8));
        ((DecimalVector) root.getVector("price")).setSafe(i, new BigDecimal(i + ".25"));
        ((DateDayVector) root.getVector("day")).setSafe(i, 19000 + i);
      }
      root.setRowCount(100);
      TableDefinitionOptions create = TableDefinitionOptions.newBuilder()
          .setIfNotExist(TableDefinitionOptions.TableNotExistOption.TABLE_NOT_EXIST_OPTION_CREATE)
          .setIfExists(TableDefinitionOptions.TableExistsOption.TABLE_EXISTS_OPTION_FAIL).build();
      assertEquals(100, sql.executeIngest(root, new FlightSqlClient.ExecuteIngestOptions("items", create, null, null,
          Map.of()), t));
      Result r = kiln.execute("SELECT count(*), sum(price), max(day), count(DISTINCT name) FROM items");
      assertEquals(List.of(100L, new BigDecimal("4975.00"), java.time.LocalDate.ofEpochDay(19099), 10L),
          r.rowLists().get(0));
      // again: the table exists and the options say fail
      FlightRuntimeException exists = assertThrows(FlightRuntimeException.class, () -> sql.executeIngest(root,
          new FlightSqlClient.ExecuteIngestOptions("items", create, null, null, Map.of()), t));
      assertEquals(FlightStatusCode.ALREADY_EXISTS, exists.status().code(), exists.getMessage());
      TableDefinitionOptions replace = create.toBuilder()
          .setIfExists(TableDefinitionOptions.TableExistsOption.TABLE_EXISTS_OPTION_REPLACE).build();
      root.setRowCount(10);
      assertEquals(10, sql.executeIngest(root, new FlightSqlClient.ExecuteIngestOptions("items", replace, null, null,
          Map.of()), t));
      assertEquals(10L, kiln.execute("SELECT count(*) FROM items").get(0, 0));
      // and read back through Flight SQL
      assertEquals(List.of(List.of("9", "n9")), rows(sql.execute("SELECT id, name FROM items WHERE id = 9", t), t));
      // appending goes where INSERT goes: onto the same in-memory table
      TableDefinitionOptions append = create.toBuilder()
          .setIfExists(TableDefinitionOptions.TableExistsOption.TABLE_EXISTS_OPTION_APPEND).build();
      assertEquals(10, sql.executeIngest(root, new FlightSqlClient.ExecuteIngestOptions("items", append, null, null,
          Map.of()), t));
      kiln.execute("INSERT INTO items VALUES (1000, 'sql', 1.5, DATE '2024-01-02')");
      assertEquals(List.of(21L, 1000), kiln.execute("SELECT count(*), max(id) FROM items").rowLists().get(0));
    }
  }

  @Test
  void typeInfoAndSqlInfo() {
    CallOption t = login();
    List<List<String>> types = rows(sql.getXdbcTypeInfo(t), t);
    List<String> names = types.stream().map(r -> r.get(0)).toList();
    assertTrue(names.containsAll(List.of("BIGINT", "DECIMAL", "VARCHAR", "DATE", "TIMESTAMP", "BOOLEAN")),
        names.toString());
    assertEquals(1, rows(sql.getXdbcTypeInfo(java.sql.Types.DATE, t), t).size());
    List<List<String>> info = rows(sql.getSqlInfo(new FlightSql.SqlInfo[] {FlightSql.SqlInfo.FLIGHT_SQL_SERVER_NAME},
        t), t);
    assertEquals(1, info.size());
    assertTrue(info.get(0).get(1).contains("Kiln"), info.toString());
  }

  @Test
  void sessionOptionsSetKilnSettings() {
    CallOption t = login();
    SetSessionOptionsResult set = client.setSessionOptions(new SetSessionOptionsRequest(Map.of("kiln.execution.mode",
        SessionOptionValueFactory.makeSessionOptionValue("interpreted"))), t);
    assertFalse(set.hasErrors(), set.getErrors().toString());
    assertEquals(ExecutionMode.INTERPRETED, kiln.executionMode());
    assertEquals("interpreted", client.getSessionOptions(new GetSessionOptionsRequest(), t).getSessionOptions()
        .get("kiln.execution.mode").acceptVisitor(new org.apache.arrow.flight.NoOpSessionOptionValueVisitor<String>() {
          @Override
          public String visit(String value) {
            return value;
          }
        }));
    SetSessionOptionsResult bad = client.setSessionOptions(new SetSessionOptionsRequest(Map.of("no.such.setting",
        SessionOptionValueFactory.makeSessionOptionValue("1"))), t);
    assertTrue(bad.getErrors().containsKey("no.such.setting"));
    kiln.setExecutionMode(ExecutionMode.COMPILED);
  }

  @Test
  void cancelFlightInfoStopsTheRunningQuery() throws Exception {
    CallOption t = login();
    // a join of two 200k-row in-memory tables on a key of 4 values: about 10^10 pairs
    ingestSeries("s1", 200_000, t);
    ingestSeries("s2", 200_000, t);
    FlightInfo slow = sql.execute("SELECT count(*) FROM s1 JOIN s2 ON s1.k = s2.k", t);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      try (FlightStream stream = sql.getStream(slow.getEndpoints().get(0).getTicket(), t)) {
        while (stream.next()) {
          // drain
        }
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (server.runningQueries() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(1, server.runningQueries());
    CancelFlightInfoResult result = sql.cancelFlightInfo(new CancelFlightInfoRequest(slow), t);
    assertEquals(CancelStatus.CANCELLED, result.getStatus());
    reader.join(30_000);
    assertFalse(reader.isAlive());
    assertTrue(failure.get() instanceof FlightRuntimeException, String.valueOf(failure.get()));
    assertEquals(FlightStatusCode.CANCELLED, ((FlightRuntimeException) failure.get()).status().code());
    // the client hears of the cancel before the server's call has wound down: wait for it, boundedly
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (server.runningQueries() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, server.runningQueries(), "the query still runs on the server 30 s after its cancel");
  }

  private static void ingestSeries(String table, int n, CallOption t) throws Exception {
    Schema schema = new Schema(List.of(new Field("k", FieldType.nullable(new ArrowType.Int(32, true)), null)));
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      root.allocateNew();
      for (int i = 0; i < n; i++) {
        ((IntVector) root.getVector(0)).setSafe(i, i % 4);
      }
      root.setRowCount(n);
      TableDefinitionOptions replace = TableDefinitionOptions.newBuilder()
          .setIfNotExist(TableDefinitionOptions.TableNotExistOption.TABLE_NOT_EXIST_OPTION_CREATE)
          .setIfExists(TableDefinitionOptions.TableExistsOption.TABLE_EXISTS_OPTION_REPLACE).build();
      sql.executeIngest(root, new FlightSqlClient.ExecuteIngestOptions(table, replace, null, null, Map.of()), t);
    }
  }

  @Test
  void tokensExpire() throws Exception {
    CallOption t = login();
    assertEquals(1, rows(sql.execute("SELECT 1 AS one", t), t).size());
    Thread.sleep(TOKEN_LIFETIME.toMillis() + 500);
    FlightRuntimeException e = assertThrows(FlightRuntimeException.class, () -> sql.execute("SELECT 1 AS one", t));
    assertEquals(FlightStatusCode.UNAUTHENTICATED, e.status().code());
    assertEquals(1, rows(sql.execute("SELECT 1 AS one", login()), login()).size(), "a new login works");
  }

  /** Every row of every endpoint, values as text. */
  private static List<List<String>> rows(FlightInfo info, CallOption t) {
    List<List<String>> rows = new ArrayList<>();
    for (org.apache.arrow.flight.FlightEndpoint e : info.getEndpoints()) {
      try (FlightStream stream = sql.getStream(e.getTicket(), t)) {
        while (stream.next()) {
          VectorSchemaRoot root = stream.getRoot();
          for (int r = 0; r < root.getRowCount(); r++) {
            List<String> row = new ArrayList<>();
            for (org.apache.arrow.vector.FieldVector v : root.getFieldVectors()) {
              Object o = v.getObject(r);
              row.add(o == null ? null : o.toString());
            }
            rows.add(row);
          }
        }
      } catch (Exception ex) {
        throw new IllegalStateException(ex);
      }
    }
    return rows;
  }
}
