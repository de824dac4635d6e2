"""The server under test: started by the Java test PythonClientTest, which passes where it listens."""

import os

import pytest

import kiln


def _env(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError("%s is not set: these tests run from PythonClientTest (mvn test), which starts"
                           " kiln server and sets KILN_URL, KILN_USER, KILN_PASSWORD and KILN_TPCH_DIR" % name)
    return value


@pytest.fixture(scope="session")
def server():
    return {
        "url": _env("KILN_URL"),
        "user": _env("KILN_USER"),
        "password": _env("KILN_PASSWORD"),
        "tpch_dir": _env("KILN_TPCH_DIR"),
        "queries_dir": _env("KILN_TPCH_QUERIES"),
    }


@pytest.fixture(scope="session")
def conn(server):
    c = kiln.connect(server["url"], user=server["user"], password=server["password"])
    yield c
    c.close()
