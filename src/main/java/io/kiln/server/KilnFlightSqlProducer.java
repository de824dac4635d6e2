package io.kiln.server;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.kiln.DataFrame;
import io.kiln.Kiln;
import io.kiln.Result;
import io.kiln.logical.ColumnRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.CancelFlightInfoRequest;
import org.apache.arrow.flight.CancelStatus;
import org.apache.arrow.flight.CloseSessionRequest;
import org.apache.arrow.flight.CloseSessionResult;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.GetSessionOptionsRequest;
import org.apache.arrow.flight.GetSessionOptionsResult;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.SchemaResult;
import org.apache.arrow.flight.SessionOptionValue;
import org.apache.arrow.flight.SessionOptionValueFactory;
import org.apache.arrow.flight.SessionOptionValueVisitor;
import org.apache.arrow.flight.SetSessionOptionsRequest;
import org.apache.arrow.flight.SetSessionOptionsResult;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.sql.BasicFlightSqlProducer;
import org.apache.arrow.flight.sql.FlightSqlProducer.Schemas;
import org.apache.arrow.flight.sql.SqlInfoBuilder;
import org.apache.arrow.flight.sql.impl.FlightSql;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Kiln behind Arrow Flight SQL: what the official JDBC driver calls. Every statement is prepared
 * (planned, so SQL errors come back at once); GetFlightInfo fixes the text with its bound values
 * under a one-use ticket, and DoGet runs it and streams the answer, so the query runs for as long
 * as the client's call and stops when the client cancels it. Metadata is answered from the session's
 * catalog; bulk ingest registers an in-memory table.
 */
public final class KilnFlightSqlProducer extends BasicFlightSqlProducer {
  /** A fixed statement waiting for its DoGet; dropped if none comes within this time. */
  private static final long PENDING_NANOS = TimeUnit.MINUTES.toNanos(30);

  private final Kiln kiln;
  private final BufferAllocator allocator;
  private final CatalogListings listings;
  private final SqlInfoBuilder sqlInfo;
  private final Map<ByteString, PreparedQuery> prepared = new ConcurrentHashMap<>();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final RunningQueries running = new RunningQueries();

  /** A statement fixed by GetFlightInfo: a query to run, or the rows of a command that already ran. */
  private record Pending(String sql, Result rows, long created) {}

  public KilnFlightSqlProducer(Kiln kiln, BufferAllocator allocator, String version) {
    this.kiln = kiln;
    this.allocator = allocator;
    this.listings = new CatalogListings(kiln);
    this.sqlInfo = new SqlInfoBuilder()
        .withFlightSqlServerName("Kiln")
        .withFlightSqlServerVersion(version)
        .withFlightSqlServerArrowVersion(org.apache.arrow.vector.types.pojo.Schema.class.getPackage()
            .getImplementationVersion() == null ? "18.3.0"
            : org.apache.arrow.vector.types.pojo.Schema.class.getPackage().getImplementationVersion())
        .withFlightSqlServerReadOnly(false)
        .withFlightSqlServerSql(true)
        .withFlightSqlServerSubstrait(false)
        .withFlightSqlServerTransaction(FlightSql.SqlSupportedTransaction.SQL_SUPPORTED_TRANSACTION_NONE)
        .withFlightSqlServerCancel(true)
        .withFlightSqlServerBulkIngestion(true)
        .withFlightSqlServerBulkIngestionTransaction(false)
        .withSqlIdentifierQuoteChar("\"")
        .withSqlIdentifierCase(FlightSql.SqlSupportedCaseSensitivity.SQL_CASE_SENSITIVITY_CASE_INSENSITIVE)
        .withSqlQuotedIdentifierCase(FlightSql.SqlSupportedCaseSensitivity.SQL_CASE_SENSITIVITY_CASE_INSENSITIVE)
        .withSqlDdlCatalog(false)
        .withSqlDdlSchema(false)
        .withSqlDdlTable(false)
        .withSqlAllTablesAreSelectable(true)
        .withSqlNullOrdering(FlightSql.SqlNullOrdering.SQL_NULLS_SORTED_AT_END)
        .withSqlSupportsColumnAliasing(true)
        .withSqlNullPlusNullIsNull(true)
        .withSqlSupportsTableCorrelationNames(true)
        .withSqlSupportsDifferentTableCorrelationNames(true)
        .withSqlSupportsExpressionsInOrderBy(true)
        .withSqlSupportsOrderByUnrelated(true)
        .withSqlSupportsLikeEscapeClause(false)
        .withSqlSupportsNonNullableColumns(false)
        .withSqlCorrelatedSubqueriesSupported(true)
        .withSqlTransactionsSupported(false)
        .withSqlBatchUpdatesSupported(false)
        .withSqlSavepointsSupported(false)
        .withSqlNamedParametersSupported(false)
        .withSqlStoredProceduresSupported(false)
        .withSqlSelectForUpdateSupported(false)
        .withSqlSchemaTerm("schema")
        .withSqlCatalogTerm("catalog")
        .withSqlProcedureTerm("procedure")
        .withSqlSearchStringEscape("\\")
        .withSqlExtraNameCharacters("")
        .withSqlMaxColumnsInTable(0)
        .withSqlDefaultTransactionIsolation(0);
  }

  /** Queries running now (for tests: a cancelled query is gone from here). */
  public int runningQueries() {
    return running.count();
  }

  // ---- prepared statements

  @Override
  public void createPreparedStatement(FlightSql.ActionCreatePreparedStatementRequest request, CallContext context,
      StreamListener<org.apache.arrow.flight.Result> listener) {
    try {
      PreparedQuery query = PreparedQuery.prepare(kiln, request.getQuery(), listings::columnType);
      ByteString handle = ByteString.copyFromUtf8(UUID.randomUUID().toString());
      prepared.put(handle, query);
      FlightSql.ActionCreatePreparedStatementResult result = FlightSql.ActionCreatePreparedStatementResult.newBuilder()
          .setPreparedStatementHandle(handle)
          .setDatasetSchema(ByteString.copyFrom(CatalogListings.ipc(query.resultSchema)))
          .setParameterSchema(ByteString.copyFrom(CatalogListings.ipc(query.parameterSchema)))
          .build();
      listener.onNext(new org.apache.arrow.flight.Result(Any.pack(result).toByteArray()));
      listener.onCompleted();
    } catch (RuntimeException e) {
      listener.onError(FlightErrors.of(e));
    }
  }

  @Override
  public void closePreparedStatement(FlightSql.ActionClosePreparedStatementRequest request, CallContext context,
      StreamListener<org.apache.arrow.flight.Result> listener) {
    prepared.remove(request.getPreparedStatementHandle());
    listener.onCompleted();
  }

  private PreparedQuery prepared(ByteString handle) {
    PreparedQuery q = prepared.get(handle);
    if (q == null) {
      throw CallStatus.NOT_FOUND.withDescription("no prepared statement with this handle (closed already?)")
          .toRuntimeException();
    }
    return q;
  }

  @Override
  public FlightInfo getFlightInfoPreparedStatement(FlightSql.CommandPreparedStatementQuery command,
      CallContext context, FlightDescriptor descriptor) {
    try {
      return fix(prepared(command.getPreparedStatementHandle()), descriptor);
    } catch (RuntimeException e) {
      throw FlightErrors.of(e);
    }
  }

  @Override
  public FlightInfo getFlightInfoStatement(FlightSql.CommandStatementQuery command, CallContext context,
      FlightDescriptor descriptor) {
    try {
      return fix(PreparedQuery.prepare(kiln, command.getQuery(), listings::columnType), descriptor);
    } catch (RuntimeException e) {
      throw FlightErrors.of(e);
    }
  }

  @Override
  public SchemaResult getSchemaStatement(FlightSql.CommandStatementQuery command, CallContext context,
      FlightDescriptor descriptor) {
    try {
      return new SchemaResult(PreparedQuery.prepare(kiln, command.getQuery(), listings::columnType).resultSchema);
    } catch (RuntimeException e) {
      throw FlightErrors.of(e);
    }
  }

  @Override
  public SchemaResult getSchemaPreparedStatement(FlightSql.CommandPreparedStatementQuery command, CallContext context,
      FlightDescriptor descriptor) {
    return new SchemaResult(prepared(command.getPreparedStatementHandle()).resultSchema);
  }

  /** The statement with its values, under a ticket of its own; a command (EXPLAIN, SET, ...) runs now. */
  private FlightInfo fix(PreparedQuery query, FlightDescriptor descriptor) {
    String sql = query.boundSql();
    Schema schema = query.resultSchema;
    Result rows = null;
    if (query.kind != PreparedQuery.Kind.QUERY) {
      rows = kiln.execute(sql);
      schema = textSchema(rows);
    }
    long now = System.nanoTime();
    pending.values().removeIf(p -> now - p.created() > PENDING_NANOS);
    String ticket = UUID.randomUUID().toString();
    pending.put(ticket, new Pending(sql, rows, now));
    FlightSql.TicketStatementQuery t = FlightSql.TicketStatementQuery.newBuilder()
        .setStatementHandle(ByteString.copyFromUtf8(ticket)).build();
    return new FlightInfo(schema, descriptor, List.of(new FlightEndpoint(new Ticket(Any.pack(t).toByteArray()))),
        -1, -1);
  }

  @Override
  public void getStreamStatement(FlightSql.TicketStatementQuery ticket, CallContext context,
      ServerStreamListener listener) {
    String id = ticket.getStatementHandle().toStringUtf8();
    Pending p = pending.remove(id);
    if (p == null) {
      listener.error(CallStatus.NOT_FOUND.withDescription("no statement for this ticket (fetched or cancelled already)")
          .toRuntimeException());
      return;
    }
    try (RunningQueries.Call call = running.start(id)) {
      listener.setOnCancelHandler(call::cancel);
      // gRPC runs a call's callbacks one at a time, so Flight's cancel handler would wait for this
      // method to return; the call's gRPC context is cancelled at once, from the transport thread.
      io.grpc.Context grpcCall = io.grpc.Context.current();
      io.grpc.Context.CancellationListener onCancel = cancelled -> call.cancel();
      grpcCall.addListener(onCancel, Runnable::run);
      try {
        if (p.rows() != null) {
          try (VectorSchemaRoot root = textRows(p.rows())) {
            send(root.getSchema(), List.of(root), listener);
          }
          return;
        }
        DataFrame query = kiln.sql(p.sql());
        Schema schema = schemaOf(query);
        List<VectorSchemaRoot> batches = query.collectArrow(allocator);
        try {
          send(schema, batches, listener);
        } finally {
          batches.forEach(VectorSchemaRoot::close);
        }
      } catch (RuntimeException e) {
        if (!listener.isCancelled()) {
          listener.error(FlightErrors.of(e));
        }
      } finally {
        grpcCall.removeListener(onCancel);
      }
    }
  }

  @Override
  public void getStreamPreparedStatement(FlightSql.CommandPreparedStatementQuery command, CallContext context,
      ServerStreamListener listener) {
    listener.error(CallStatus.INVALID_ARGUMENT.withDescription("fetch a prepared statement's answer with the ticket"
        + " GetFlightInfo gave").toRuntimeException());
  }

  private static Schema schemaOf(DataFrame query) {
    List<Field> fields = new ArrayList<>();
    for (ColumnRef c : query.logicalPlan().output()) {
      fields.add(new Field(c.name(), c.type().toFieldType(true), null));
    }
    return new Schema(fields);
  }

  /** Streams batches through one root of the answer's schema. */
  private static void send(Schema schema, List<VectorSchemaRoot> batches, ServerStreamListener listener,
      BufferAllocator allocator) {
    try (VectorSchemaRoot out = VectorSchemaRoot.create(schema, allocator)) {
      listener.start(out);
      VectorLoader loader = new VectorLoader(out);
      for (VectorSchemaRoot batch : batches) {
        try (ArrowRecordBatch rb = new VectorUnloader(batch).getRecordBatch()) {
          loader.load(rb);
        }
        listener.putNext();
      }
      listener.completed();
    }
  }

  private void send(Schema schema, List<VectorSchemaRoot> batches, ServerStreamListener listener) {
    send(schema, batches, listener, allocator);
  }

  /** The text answer of a command (all its columns are VARCHAR lines). */
  private static Schema textSchema(Result rows) {
    List<Field> fields = new ArrayList<>();
    for (String name : rows.columnNames()) {
      fields.add(new Field(name, io.kiln.types.DataType.VARCHAR.toFieldType(true), null));
    }
    return new Schema(fields);
  }

  private VectorSchemaRoot textRows(Result rows) {
    List<Object[]> text = new ArrayList<>();
    for (Object[] row : rows.rows()) {
      Object[] t = new Object[row.length];
      for (int i = 0; i < row.length; i++) {
        t[i] = row[i] == null ? null : row[i].toString();
      }
      text.add(t);
    }
    return Rows.of(textSchema(rows), text, allocator);
  }

  // ---- parameters and updates

  @Override
  public Runnable acceptPutPreparedStatementQuery(FlightSql.CommandPreparedStatementQuery command, CallContext context,
      FlightStream stream, StreamListener<PutResult> ack) {
    return () -> {
      try {
        PreparedQuery query = prepared(command.getPreparedStatementHandle());
        List<List<String>> rows = parameterRows(stream);
        if (!rows.isEmpty()) {
          query.bind(rows.get(rows.size() - 1));
        }
        ack.onCompleted();
      } catch (RuntimeException e) {
        ack.onError(FlightErrors.of(e));
      }
    };
  }

  @Override
  public Runnable acceptPutPreparedStatementUpdate(FlightSql.CommandPreparedStatementUpdate command,
      CallContext context, FlightStream stream, StreamListener<PutResult> ack) {
    return () -> {
      try {
        PreparedQuery query = prepared(command.getPreparedStatementHandle());
        List<List<String>> rows = parameterRows(stream);
        long written = 0;
        if (rows.isEmpty()) {
          written = rowsWritten(kiln.execute(query.boundSql()));
        }
        for (List<String> row : rows) {
          query.bind(row);
          written += rowsWritten(kiln.execute(query.boundSql()));
        }
        acknowledge(ack, written);
      } catch (RuntimeException e) {
        ack.onError(FlightErrors.of(e));
      }
    };
  }

  @Override
  public Runnable acceptPutStatement(FlightSql.CommandStatementUpdate command, CallContext context,
      FlightStream stream, StreamListener<PutResult> ack) {
    return () -> {
      try {
        acknowledge(ack, rowsWritten(kiln.execute(command.getQuery())));
      } catch (RuntimeException e) {
        ack.onError(FlightErrors.of(e));
      }
    };
  }

  /**
   * The update count of a statement: INSERT, COPY and CREATE TABLE ... AS answer with the rows
   * they wrote (one row, one BIGINT column named count); other statements changed no rows.
   */
  private static long rowsWritten(io.kiln.Result r) {
    boolean count = r.rowCount() == 1 && r.columnNames().equals(List.of("count"))
        && r.columnTypes().equals(List.of(io.kiln.types.DataType.BIGINT));
    return count ? ((Number) r.get(0, 0)).longValue() : 0;
  }

  /** Each row of the client's parameter batches as SQL literals. */
  private static List<List<String>> parameterRows(FlightStream stream) {
    List<List<String>> rows = new ArrayList<>();
    while (stream.next()) {
      VectorSchemaRoot root = stream.getRoot();
      for (int r = 0; r < root.getRowCount(); r++) {
        List<String> row = new ArrayList<>();
        for (FieldVector v : root.getFieldVectors()) {
          row.add(SqlLiterals.of(v, r));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private void acknowledge(StreamListener<PutResult> ack, long records) {
    byte[] bytes = FlightSql.DoPutUpdateResult.newBuilder().setRecordCount(records).build().toByteArray();
    try (ArrowBuf buf = allocator.buffer(bytes.length)) {
      buf.writeBytes(bytes);
      ack.onNext(PutResult.metadata(buf));
    }
    ack.onCompleted();
  }

  // ---- bulk ingest

  @Override
  public Runnable acceptPutStatementBulkIngest(FlightSql.CommandStatementIngest command, CallContext context,
      FlightStream stream, StreamListener<PutResult> ack) {
    return () -> {
      List<VectorSchemaRoot> copies = new ArrayList<>();
      try {
        String table = command.getTable();
        boolean exists = kiln.catalog().find(table) != null;
        FlightSql.CommandStatementIngest.TableDefinitionOptions options = command.getTableDefinitionOptions();
        boolean append = exists && options.getIfExists()
            == FlightSql.CommandStatementIngest.TableDefinitionOptions.TableExistsOption.TABLE_EXISTS_OPTION_APPEND;
        if (exists && !append && options.getIfExists()
            != FlightSql.CommandStatementIngest.TableDefinitionOptions.TableExistsOption.TABLE_EXISTS_OPTION_REPLACE) {
          throw CallStatus.ALREADY_EXISTS.withDescription("ingest: table " + table + " exists").toRuntimeException();
        }
        if (!exists && options.getIfNotExist()
            == FlightSql.CommandStatementIngest.TableDefinitionOptions.TableNotExistOption.TABLE_NOT_EXIST_OPTION_FAIL) {
          throw CallStatus.NOT_FOUND.withDescription("ingest: no table " + table).toRuntimeException();
        }
        long rows = 0;
        while (stream.next()) {
          copies.add(copy(stream.getRoot()));
          rows += stream.getRoot().getRowCount();
        }
        if (append) {
          kiln.appendArrow(table, copies); // as INSERT does: the table is swapped whole, or left as it was
        } else {
          if (copies.isEmpty()) {
            copies.add(VectorSchemaRoot.create(stream.getSchema(), allocator));
          }
          kiln.registerArrow(table, copies);
        }
        acknowledge(ack, rows);
      } catch (RuntimeException e) {
        ack.onError(FlightErrors.of(e));
      } finally {
        copies.forEach(VectorSchemaRoot::close);
      }
    };
  }

  private VectorSchemaRoot copy(VectorSchemaRoot root) {
    VectorSchemaRoot copy = VectorSchemaRoot.create(root.getSchema(), allocator);
    try (ArrowRecordBatch rb = new VectorUnloader(root).getRecordBatch()) {
      new VectorLoader(copy).load(rb);
    } catch (RuntimeException e) {
      copy.close();
      throw e;
    }
    return copy;
  }

  // ---- cancellation and session options

  @Override
  public void cancelFlightInfo(CancelFlightInfoRequest request, CallContext context,
      StreamListener<CancelStatus> listener) {
    CancelStatus status = CancelStatus.NOT_CANCELLABLE;
    for (FlightEndpoint endpoint : request.getInfo().getEndpoints()) {
      String id = ticketId(endpoint.getTicket());
      if (id != null && (pending.remove(id) != null | running.cancel(id))) {
        status = CancelStatus.CANCELLED;
      }
    }
    listener.onNext(status);
    listener.onCompleted();
  }

  private static String ticketId(Ticket ticket) {
    try {
      Any any = Any.parseFrom(ticket.getBytes());
      if (any.is(FlightSql.TicketStatementQuery.class)) {
        return any.unpack(FlightSql.TicketStatementQuery.class).getStatementHandle().toStringUtf8();
      }
      return null;
    } catch (InvalidProtocolBufferException e) {
      return null; // not one of this server's tickets: nothing of ours to cancel
    }
  }

  @Override
  public void setSessionOptions(SetSessionOptionsRequest request, CallContext context,
      StreamListener<SetSessionOptionsResult> listener) {
    Map<String, SetSessionOptionsResult.Error> errors = new HashMap<>();
    request.getSessionOptions().forEach((name, value) -> {
      String text = value.acceptVisitor(new OptionText());
      try {
        kiln.execute("SET " + name + " = " + text);
      } catch (RuntimeException e) {
        errors.put(name, new SetSessionOptionsResult.Error(name.equalsIgnoreCase("kiln.execution.mode")
            ? SetSessionOptionsResult.ErrorValue.INVALID_VALUE : SetSessionOptionsResult.ErrorValue.INVALID_NAME));
      }
    });
    listener.onNext(new SetSessionOptionsResult(errors));
    listener.onCompleted();
  }

  @Override
  public void getSessionOptions(GetSessionOptionsRequest request, CallContext context,
      StreamListener<GetSessionOptionsResult> listener) {
    Map<String, SessionOptionValue> options = Map.of("kiln.execution.mode",
        SessionOptionValueFactory.makeSessionOptionValue(kiln.executionMode().name().toLowerCase(java.util.Locale.ROOT)));
    listener.onNext(new GetSessionOptionsResult(options));
    listener.onCompleted();
  }

  @Override
  public void closeSession(CloseSessionRequest request, CallContext context,
      StreamListener<CloseSessionResult> listener) {
    listener.onNext(new CloseSessionResult(CloseSessionResult.Status.CLOSED));
    listener.onCompleted();
  }

  /** A session option's value as the text SET takes. */
  private static final class OptionText implements SessionOptionValueVisitor<String> {
    @Override
    public String visit(String value) {
      return value;
    }

    @Override
    public String visit(boolean value) {
      return Boolean.toString(value);
    }

    @Override
    public String visit(long value) {
      return Long.toString(value);
    }

    @Override
    public String visit(double value) {
      return Double.toString(value);
    }

    @Override
    public String visit(String[] value) {
      return String.join(",", value);
    }

    @Override
    public String visit(Void value) {
      return "";
    }
  }

  // ---- metadata

  @Override
  protected <T extends Message> List<FlightEndpoint> determineEndpoints(T request, FlightDescriptor descriptor,
      Schema schema) {
    return List.of(new FlightEndpoint(new Ticket(Any.pack(request).toByteArray())));
  }

  @Override
  public void getStreamSqlInfo(FlightSql.CommandGetSqlInfo command, CallContext context,
      ServerStreamListener listener) {
    sqlInfo.send(command.getInfoList(), listener);
  }

  @Override
  public void getStreamTypeInfo(FlightSql.CommandGetXdbcTypeInfo command, CallContext context,
      ServerStreamListener listener) {
    sendRoot(() -> listings.typeInfo(command, allocator), listener);
  }

  @Override
  public void getStreamCatalogs(CallContext context, ServerStreamListener listener) {
    sendRoot(() -> Rows.of(Schemas.GET_CATALOGS_SCHEMA, List.of(), allocator), listener);
  }

  @Override
  public void getStreamSchemas(FlightSql.CommandGetDbSchemas command, CallContext context,
      ServerStreamListener listener) {
    sendRoot(() -> Rows.of(Schemas.GET_SCHEMAS_SCHEMA, List.of(), allocator), listener);
  }

  @Override
  public void getStreamTables(FlightSql.CommandGetTables command, CallContext context,
      ServerStreamListener listener) {
    sendRoot(() -> listings.tables(command, allocator), listener);
  }

  @Override
  public void getStreamTableTypes(CallContext context, ServerStreamListener listener) {
    sendRoot(() -> listings.tableTypes(allocator), listener);
  }

  /** Kiln declares no keys: these listings are empty. */
  @Override
  public void getStreamPrimaryKeys(FlightSql.CommandGetPrimaryKeys command, CallContext context,
      ServerStreamListener listener) {
    sendRoot(() -> Rows.of(Schemas.GET_PRIMARY_KEYS_SCHEMA, List.of(), allocator), listener);
  }

  @Override
  public void getStreamExportedKeys(FlightSql.CommandGetExportedKeys command, CallContext context,
      ServerStreamListener listener) {
    sendRoot(() -> Rows.of(Schemas.GET_EXPORTED_KEYS_SCHEMA, List.of(), allocator), listener);
  }

  @Override
  public void getStreamImportedKeys(FlightSql.CommandGetImportedKeys command, CallContext context,
      ServerStreamListener listener) {
    sendRoot(() -> Rows.of(Schemas.GET_IMPORTED_KEYS_SCHEMA, List.of(), allocator), listener);
  }

  @Override
  public void getStreamCrossReference(FlightSql.CommandGetCrossReference command, CallContext context,
      ServerStreamListener listener) {
    sendRoot(() -> Rows.of(Schemas.GET_CROSS_REFERENCE_SCHEMA, List.of(), allocator), listener);
  }

  private void sendRoot(java.util.function.Supplier<VectorSchemaRoot> rows, ServerStreamListener listener) {
    try (VectorSchemaRoot root = rows.get()) {
      send(root.getSchema(), List.of(root), listener);
    } catch (RuntimeException e) {
      listener.error(FlightErrors.of(e));
    }
  }

  /** Cancels every query running now (the server is stopping). */
  void cancelRunning() {
    running.cancelAll();
  }

  @Override
  public void close() {
    prepared.clear();
    pending.clear();
  }
}
