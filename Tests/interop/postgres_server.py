"""`contact-import serve --database` for the tests of several servers on one PostgreSQL.

scripts/test starts PostgreSQL and names it in CONTACT_IMPORT_TEST_DATABASE (the password
in PGPASSWORD); without it these tests fail rather than pass unseen. Each test gets a
database of its own (`fresh_database`), dropped afterwards.
"""
import json
import os
import subprocess
import tempfile
import urllib.parse
import uuid

from api_server import ServeProcess
from api_server import server_environment as environment

BIN = os.environ.get("CONTACT_IMPORT_BIN")


def server_url():
    url = os.environ.get("CONTACT_IMPORT_TEST_DATABASE")
    assert url, "CONTACT_IMPORT_TEST_DATABASE must name a PostgreSQL server (scripts/test starts one)"
    return url


def psql(url, sql):
    done = subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-Atc", sql], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode().strip()


class FreshDatabase:
    """A new database on the test server; `url` has no password (PGPASSWORD carries it)."""

    def __init__(self):
        base = server_url()
        self.name = "test_" + uuid.uuid4().hex[:16]
        psql(base, f"CREATE DATABASE {self.name}")
        parts = urllib.parse.urlsplit(base)
        self.url = urllib.parse.urlunsplit(parts._replace(path="/" + self.name))
        self._base = base

    def query(self, sql):
        return psql(self.url, sql)

    def drop(self):
        psql(self._base, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


def add_account(database_url, name, env=None):
    """`accounts add NAME --database URL`: its one JSON line (domain_key, domain_password)."""
    assert BIN, "CONTACT_IMPORT_BIN must name the contact-import binary (scripts/test sets it)"
    done = subprocess.run([BIN, "accounts", "add", name, "--database", database_url], capture_output=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


class DatabaseServer(ServeProcess):
    """One `contact-import serve --database URL` on 127.0.0.1 and a port the system picks."""

    def __init__(self, database_url, settings=None):
        self.folder = tempfile.TemporaryDirectory(prefix="api-server-pg-")
        self.env = environment(self.folder.name, settings)
        self._start(["--database", database_url], startup_timeout=60)

    def kill(self):
        """SIGKILL: the instance dies without a word, as a crashed machine would."""
        self.process.kill()
        self.process.wait(timeout=10)
