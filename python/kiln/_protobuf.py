"""The few Flight SQL protobuf messages the client sends and reads, encoded by hand.

Flight SQL commands travel as ``google.protobuf.Any`` messages. The client needs only five
message types, all made of string and bytes fields, so it writes the wire format itself and
does not depend on the protobuf package or on generated code.
"""

_PREFIX = "type.googleapis.com/arrow.flight.protocol.sql."


def _varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _field(number, value):
    """A length-delimited field (strings and bytes)."""
    if isinstance(value, str):
        value = value.encode("utf-8")
    return _varint(number << 3 | 2) + _varint(len(value)) + value


def fields(data):
    """The length-delimited fields of a message, by number (varint fields are skipped)."""
    out = {}
    i = 0
    while i < len(data):
        key, i = _read_varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 2:
            length, i = _read_varint(data, i)
            out[number] = data[i:i + length]
            i += length
        elif wire == 0:
            _, i = _read_varint(data, i)
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        else:
            raise ValueError("unexpected protobuf wire type %d" % wire)
    return out


def _read_varint(data, i):
    shift = result = 0
    while True:
        b = data[i]
        i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7


def any_of(message_type, body):
    """``body`` (an encoded message) wrapped in an Any of Flight SQL's ``message_type``."""
    return _field(1, _PREFIX + message_type) + _field(2, body)


def unpack_any(data, message_type):
    """The body of an Any, checked to be a ``message_type``."""
    f = fields(data)
    type_url = f.get(1, b"").decode("utf-8")
    if type_url != _PREFIX + message_type:
        raise ValueError("expected %s, got %s" % (message_type, type_url))
    return f.get(2, b"")


def statement_query(sql):
    return any_of("CommandStatementQuery", _field(1, sql))


def create_prepared_statement(sql):
    return any_of("ActionCreatePreparedStatementRequest", _field(1, sql))


def prepared_statement_query(handle):
    return any_of("CommandPreparedStatementQuery", _field(1, handle))


def close_prepared_statement(handle):
    return any_of("ActionClosePreparedStatementRequest", _field(1, handle))
