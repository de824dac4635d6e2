"""PEP 249's exception hierarchy, and the server's gRPC statuses mapped onto it."""

import pyarrow as pa
import pyarrow.flight as flight


class Warning(Exception):  # noqa: A001 - the name PEP 249 asks for
    pass


class Error(Exception):
    pass


class InterfaceError(Error):
    pass


class DatabaseError(Error):
    pass


class DataError(DatabaseError):
    pass


class OperationalError(DatabaseError):
    pass


class IntegrityError(DatabaseError):
    pass


class InternalError(DatabaseError):
    pass


class ProgrammingError(DatabaseError):
    pass


class NotSupportedError(DatabaseError):
    pass


def translated(e):
    """A Flight error as the DB-API error it stands for, keeping Kiln's message."""
    message = _server_message(e)
    if isinstance(e, (flight.FlightUnauthenticatedError, flight.FlightUnauthorizedError)):
        return OperationalError(message)
    if isinstance(e, flight.FlightCancelledError):
        return OperationalError(message)
    if isinstance(e, flight.FlightUnavailableError):
        return OperationalError(message)
    # pyarrow raises some statuses as plain Arrow errors: INVALID_ARGUMENT as ArrowInvalid, UNIMPLEMENTED as
    # ArrowNotImplementedError
    if isinstance(e, pa.ArrowNotImplementedError):
        return NotSupportedError(message)
    if isinstance(e, pa.ArrowInvalid):
        return ProgrammingError(message)
    if isinstance(e, flight.FlightServerError):
        text = str(e)
        if "invalid argument" in text or "INVALID_ARGUMENT" in text:
            return ProgrammingError(message)
        if "unimplemented" in text.lower():
            return NotSupportedError(message)
        return DatabaseError(message)
    return DatabaseError(message)


def _server_message(e):
    """pyarrow says 'Flight returned ... error, with message: <server's words>. gRPC client debug context: ...'."""
    text = str(e)
    marker = "with message: "
    if marker in text:
        text = text.split(marker, 1)[1]
    for tail in (". gRPC client debug context", ". Client context:", ". Detail:"):
        if tail in text:
            text = text.split(tail, 1)[0]
    return text.strip()
