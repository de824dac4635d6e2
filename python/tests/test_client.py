import datetime
import decimal
import math
import os
import re

import duckdb
import pyarrow as pa
import pytest

import kiln

TABLES = ["region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem"]


@pytest.fixture(scope="session")
def duck(server):
    db = duckdb.connect()
    for t in TABLES:
        path = os.path.join(server["tpch_dir"], t + ".parquet").replace("'", "''")
        db.execute("CREATE VIEW %s AS SELECT * FROM read_parquet('%s')" % (t, path))
    yield db
    db.close()


def _query_text(server, q):
    with open(os.path.join(server["queries_dir"], "q%d.sql" % q), encoding="utf-8") as f:
        return f.read()


def _has_outer_order_by(sql):
    text = re.sub(r"--[^\n]*", "", sql)
    depth = 0
    top = []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0:
            top.append(ch)
    return re.search(r"\border\s+by\b", "".join(top), re.IGNORECASE) is not None


def _same(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float, decimal.Decimal)) and isinstance(b, (int, float, decimal.Decimal)):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)
    return a == b


def _sort_key(row):
    return tuple((v is None, str(round(float(v), 6)) if isinstance(v, (float, decimal.Decimal)) else str(v))
                 for v in row)


@pytest.mark.parametrize("q", range(1, 23))
def test_tpch_answers_match_duckdb(conn, duck, server, q):
    sql = _query_text(server, q)
    cur = conn.cursor()
    cur.execute(sql)
    got = cur.fetchall()
    want = duck.execute(sql).fetchall()
    assert len(got) == len(want), "q%d: %d rows, DuckDB %d" % (q, len(got), len(want))
    if not _has_outer_order_by(sql):
        got, want = sorted(got, key=_sort_key), sorted(want, key=_sort_key)
    for i, (g, w) in enumerate(zip(got, want)):
        assert len(g) == len(w)
        assert all(_same(x, y) for x, y in zip(g, w)), "q%d row %d: kiln %r, duckdb %r" % (q, i, g, w)


def _count(conn, sql, params):
    cur = conn.cursor()
    cur.execute(sql, params)
    return cur.fetchone()[0]


@pytest.mark.parametrize("sql,params,duck_where", [
    ("SELECT count(*) FROM lineitem WHERE l_orderkey < ?", (100,), "l_orderkey < 100"),
    ("SELECT count(*) FROM lineitem WHERE l_discount = ?", (decimal.Decimal("0.05"),), "l_discount = 0.05"),
    ("SELECT count(*) FROM lineitem WHERE l_discount = ?", (0.05,), "l_discount = 0.05"),
    ("SELECT count(*) FROM lineitem WHERE l_shipdate < ?", (datetime.date(1995, 1, 1),),
     "l_shipdate < DATE '1995-01-01'"),
    ("SELECT count(*) FROM lineitem WHERE l_shipmode = ? AND l_returnflag IN (?, ?)", ("AIR", "R", "A"),
     "l_shipmode = 'AIR' AND l_returnflag IN ('R', 'A')"),
    ("SELECT count(*) FROM lineitem WHERE CAST(l_extendedprice AS DOUBLE) > CAST(? AS DOUBLE)", (50000.5,),
     "CAST(l_extendedprice AS DOUBLE) > 50000.5"),
    ("SELECT count(*) FROM orders WHERE CAST(o_orderdate AS TIMESTAMP) < CAST(? AS TIMESTAMP)",
     (datetime.datetime(1994, 3, 1, 12, 0),), "CAST(o_orderdate AS TIMESTAMP) < TIMESTAMP '1994-03-01 12:00:00'"),
    ("SELECT count(*) FROM lineitem WHERE CAST(? AS BOOLEAN)", (True,), "true"),
    ("SELECT count(*) FROM lineitem WHERE l_orderkey = ?", (None,), "false"),
    ("SELECT count(*) FROM lineitem WHERE l_comment = ?", ("it's",), "l_comment = 'it''s'"),
])
def test_parameters(conn, duck, sql, params, duck_where):
    table = re.search(r"FROM (\w+)", sql).group(1)
    want = duck.execute("SELECT count(*) FROM %s WHERE %s" % (table, duck_where)).fetchone()[0]
    assert _count(conn, sql, params) == want


def test_arrow_pandas_and_polars(conn):
    query = conn.sql("SELECT n_nationkey, n_name FROM nation WHERE n_regionkey = ? ORDER BY n_nationkey", (1,))
    table = query.to_arrow()
    assert isinstance(table, pa.Table)
    assert table.column_names == ["n_nationkey", "n_name"]
    assert table.num_rows == 5
    df = query.to_pandas()
    assert list(df["n_name"])[0] == "ARGENTINA"
    pl = query.to_polars()
    assert pl.shape == (5, 2)


def test_cursor_description_and_fetching(conn):
    cur = conn.cursor()
    cur.execute("SELECT r_regionkey, r_name FROM region ORDER BY r_regionkey")
    assert [d[0] for d in cur.description] == ["r_regionkey", "r_name"]
    assert cur.description[0][1] == kiln.NUMBER
    assert cur.description[1][1] == kiln.STRING
    assert cur.rowcount == 5
    assert cur.fetchone() == (0, "AFRICA")
    assert len(cur.fetchmany(2)) == 2
    assert len(cur.fetchall()) == 2
    assert cur.fetchone() is None


def test_bad_sql_keeps_kilns_message(conn):
    with pytest.raises(kiln.ProgrammingError) as e:
        conn.cursor().execute("SELECT l_orderkey\nFROM lineitem WHER x")
    assert "syntax error" in str(e.value) and "line 2, column" in str(e.value), str(e.value)
    with pytest.raises(kiln.DatabaseError) as e:
        conn.cursor().execute("SELECT * FROM no_such_table")
    assert "no_such_table" in str(e.value)
    # the connection goes on working
    assert _count(conn, "SELECT count(*) FROM region", None) == 5


def test_wrong_password_is_refused(server):
    with pytest.raises(kiln.OperationalError):
        kiln.connect(server["url"], user=server["user"], password="wrong")
    with pytest.raises(kiln.OperationalError):
        kiln.connect(server["url"]).cursor().execute("SELECT 1")


def test_settings_run_as_statements(conn):
    cur = conn.cursor()
    cur.execute("SET kiln.execution.mode = interpreted")
    cur.execute("SET kiln.execution.mode = compiled")
    cur.execute("EXPLAIN SELECT count(*) FROM nation")
    assert cur.description[0][0] == "plan"
    assert len(cur.fetchall()) > 3
