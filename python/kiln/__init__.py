"""Python client for kiln server, Kiln's Arrow Flight SQL front door.

    import kiln
    conn = kiln.connect("grpc://127.0.0.1:31337", user="alice", password="...")
    cur = conn.cursor()
    cur.execute("SELECT n_name FROM nation WHERE n_regionkey = ?", (1,))
    cur.fetchall()
    conn.sql("SELECT * FROM region").to_pandas()
"""

from .client import (BINARY, DATETIME, NUMBER, ROWID, STRING, Connection, Cursor, Query, connect)
from .errors import (DatabaseError, DataError, Error, IntegrityError, InterfaceError, InternalError,
                     NotSupportedError, OperationalError, ProgrammingError, Warning)

apilevel = "2.0"
threadsafety = 1  # threads may share the module, not connections
paramstyle = "qmark"

__all__ = ["connect", "Connection", "Cursor", "Query", "apilevel", "threadsafety", "paramstyle",
           "STRING", "BINARY", "NUMBER", "DATETIME", "ROWID",
           "Warning", "Error", "InterfaceError", "DatabaseError", "DataError", "OperationalError",
           "IntegrityError", "InternalError", "ProgrammingError", "NotSupportedError"]
