"""Connections and cursors over Arrow Flight SQL, for kiln server."""

import datetime
import decimal

import pyarrow as pa
import pyarrow.flight as flight

from . import _protobuf
from .errors import InterfaceError, ProgrammingError, translated


def connect(uri, user=None, password=None, tls_root_certs=None):
    """A connection to kiln server at ``uri`` (``grpc://host:port``, or ``grpc+tls://`` with TLS).

    With ``user`` and ``password`` it logs in and sends the bearer token it gets on every call,
    logging in again if the token has expired. ``tls_root_certs``: the CA (PEM text or bytes)
    that signed the server's certificate.
    """
    return Connection(uri, user, password, tls_root_certs)


class Connection:
    """PEP 249 connection; also ``sql(text)`` for results as Arrow, pandas or polars."""

    def __init__(self, uri, user, password, tls_root_certs):
        kwargs = {}
        if tls_root_certs is not None:
            kwargs["tls_root_certs"] = tls_root_certs.encode() if isinstance(tls_root_certs, str) else tls_root_certs
        self._client = flight.FlightClient(uri, **kwargs)
        self._user = user
        self._password = password
        self._options = flight.FlightCallOptions()
        self._closed = False
        if user is not None:
            self._login()

    def _login(self):
        try:
            token = self._client.authenticate_basic_token(self._user, self._password or "")
        except flight.FlightError as e:
            raise translated(e) from None
        self._options = flight.FlightCallOptions(headers=[token])

    def _call(self, fn):
        """Runs one Flight call; an expired token means one new login and one more try."""
        if self._closed:
            raise InterfaceError("the connection is closed")
        try:
            return fn(self._options)
        except flight.FlightUnauthenticatedError as e:
            if self._user is None:
                raise translated(e) from None
            self._login()
            try:
                return fn(self._options)
            except (flight.FlightError, pa.ArrowException) as e2:
                raise translated(e2) from None
        except (flight.FlightError, pa.ArrowException) as e:
            raise translated(e) from None

    def cursor(self):
        return Cursor(self)

    def sql(self, text, parameters=None):
        """A query whose answer comes back as Arrow, pandas or polars."""
        return Query(self, text, parameters)

    def commit(self):
        pass  # Kiln has no transactions: every statement takes effect at once

    def rollback(self):
        raise ProgrammingError("Kiln has no transactions to roll back")

    def close(self):
        if not self._closed:
            self._closed = True
            self._client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- Flight SQL

    def _run(self, sql, parameters=None):
        """The whole answer of one statement as an Arrow table."""
        if not parameters:
            descriptor = flight.FlightDescriptor.for_command(_protobuf.statement_query(sql))
            return self._fetch(descriptor)
        handle, parameter_schema = self._prepare(sql)
        try:
            batch = _parameter_batch(parameter_schema, list(parameters))
            descriptor = flight.FlightDescriptor.for_command(_protobuf.prepared_statement_query(handle))

            def put(options):
                writer, _ = self._client.do_put(descriptor, batch.schema, options=options)
                writer.write_batch(batch)
                writer.close()

            self._call(put)
            return self._fetch(descriptor)
        finally:
            self._close_prepared(handle)

    def _fetch(self, descriptor):
        info = self._call(lambda options: self._client.get_flight_info(descriptor, options=options))
        tables = [self._call(lambda options, e=e: self._client.do_get(e.ticket, options=options).read_all())
                  for e in info.endpoints]
        if not tables:
            return info.schema.empty_table()
        return pa.concat_tables(tables) if len(tables) > 1 else tables[0]

    def _prepare(self, sql):
        action = flight.Action("CreatePreparedStatement", _protobuf.create_prepared_statement(sql))
        results = self._call(lambda options: list(self._client.do_action(action, options=options)))
        body = _protobuf.unpack_any(results[0].body.to_pybytes(), "ActionCreatePreparedStatementResult")
        f = _protobuf.fields(body)
        schema_bytes = f.get(3, b"")
        parameter_schema = pa.ipc.read_schema(pa.py_buffer(schema_bytes)) if schema_bytes else pa.schema([])
        return f[1], parameter_schema

    def _close_prepared(self, handle):
        action = flight.Action("ClosePreparedStatement", _protobuf.close_prepared_statement(handle))
        self._call(lambda options: list(self._client.do_action(action, options=options)))


def _parameter_batch(schema, values):
    """One row of parameters, each in the type the server gave it if the value fits, else its own."""
    if len(values) != len(schema):
        raise ProgrammingError("the statement has %d parameters, got %d values" % (len(schema), len(values)))
    arrays = []
    for field, value in zip(schema, values):
        arrays.append(_parameter_array(field.type, value))
    names = ["parameter_%d" % (i + 1) for i in range(len(values))]
    return pa.RecordBatch.from_arrays(arrays, names=names)


def _parameter_array(arrow_type, value):
    if value is None:
        return pa.array([None], type=arrow_type)
    if pa.types.is_decimal(arrow_type) and isinstance(value, (int, float, decimal.Decimal)):
        value = decimal.Decimal(str(value)).quantize(decimal.Decimal(1).scaleb(-arrow_type.scale))
    try:
        if _fits(arrow_type, value):
            return pa.array([value], type=arrow_type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        pass
    return pa.array([value])  # the value's own type: the server turns it into a literal of that type


def _fits(arrow_type, value):
    """Whether a Python value belongs in a column of ``arrow_type`` without changing its meaning."""
    if isinstance(value, bool):
        return pa.types.is_boolean(arrow_type)
    if isinstance(value, int):
        return pa.types.is_integer(arrow_type) or pa.types.is_decimal(arrow_type)
    if isinstance(value, float):
        return pa.types.is_floating(arrow_type)
    if isinstance(value, decimal.Decimal):
        return pa.types.is_decimal(arrow_type)
    if isinstance(value, str):
        return pa.types.is_string(arrow_type)
    if isinstance(value, datetime.datetime):
        return pa.types.is_timestamp(arrow_type)
    if isinstance(value, datetime.date):
        return pa.types.is_date(arrow_type)
    return False


class Query:
    """``connection.sql(text)``: runs when asked for its answer."""

    def __init__(self, connection, text, parameters):
        self._connection = connection
        self._text = text
        self._parameters = parameters

    def to_arrow(self):
        return self._connection._run(self._text, self._parameters)

    def to_pandas(self):
        return self.to_arrow().to_pandas()

    def to_polars(self):
        import polars

        return polars.from_arrow(self.to_arrow())


class _TypeObject:
    """PEP 249 type objects compare equal to the Arrow types of their kind."""

    def __init__(self, name, test):
        self._name = name
        self._test = test

    def __eq__(self, other):
        return isinstance(other, pa.DataType) and self._test(other)

    def __hash__(self):
        return hash(self._name)

    def __repr__(self):
        return self._name


STRING = _TypeObject("STRING", pa.types.is_string)
BINARY = _TypeObject("BINARY", pa.types.is_binary)
NUMBER = _TypeObject("NUMBER", lambda t: pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t))
DATETIME = _TypeObject("DATETIME", lambda t: pa.types.is_date(t) or pa.types.is_timestamp(t))
ROWID = _TypeObject("ROWID", lambda t: False)


class Cursor:
    """PEP 249 cursor. Parameters use the qmark style: ``execute("... WHERE x = ?", (5,))``."""

    arraysize = 1

    def __init__(self, connection):
        self._connection = connection
        self._table = None
        self._rows = None
        self._position = 0
        self.description = None
        self.rowcount = -1

    def execute(self, operation, parameters=None):
        table = self._connection._run(operation, parameters)
        self._table = table
        self._rows = None
        self._position = 0
        self.description = [(f.name, f.type, None, None, getattr(f.type, "precision", None),
                             getattr(f.type, "scale", None), f.nullable) for f in table.schema] or None
        self.rowcount = table.num_rows if table.num_columns else -1
        return self

    def executemany(self, operation, seq_of_parameters):
        for parameters in seq_of_parameters:
            self.execute(operation, parameters)
        return self

    def _all_rows(self):
        if self._table is None:
            raise ProgrammingError("no statement has run on this cursor")
        if self._rows is None:
            columns = [c.to_pylist() for c in self._table.columns]
            self._rows = list(zip(*columns)) if columns else []
        return self._rows

    def fetchone(self):
        rows = self._all_rows()
        if self._position >= len(rows):
            return None
        self._position += 1
        return rows[self._position - 1]

    def fetchmany(self, size=None):
        rows = self._all_rows()
        n = self.arraysize if size is None else size
        out = rows[self._position:self._position + n]
        self._position += len(out)
        return out

    def fetchall(self):
        rows = self._all_rows()
        out = rows[self._position:]
        self._position = len(rows)
        return out

    def fetch_arrow_table(self):
        if self._table is None:
            raise ProgrammingError("no statement has run on this cursor")
        return self._table

    def setinputsizes(self, sizes):
        pass

    def setoutputsize(self, size, column=None):
        pass

    def close(self):
        self._table = None
        self._rows = None

    def __iter__(self):
        return iter(self.fetchone, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


__all__ = ["connect", "Connection", "Cursor", "Query", "STRING", "BINARY", "NUMBER", "DATETIME", "ROWID"]
