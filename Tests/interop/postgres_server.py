"""`contact-import serve --database` for the tests of several servers on one PostgreSQL.

scripts/test starts PostgreSQL and names it in CONTACT_IMPORT_TEST_DATABASE (the password
in PGPASSWORD); without it these tests fail rather than pass unseen. Each test gets a
database of its own (`fresh_database`), dropped afterwards.
"""
import json
import os
import queue
import subprocess
import tempfile
import threading
import urllib.parse
import uuid

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


class DatabaseServer:
    """One `contact-import serve --database URL` on 127.0.0.1 and a port the system picks."""

    def __init__(self, database_url, settings=None):
        assert BIN, "CONTACT_IMPORT_BIN must name the contact-import binary (scripts/test sets it)"
        self.folder = tempfile.TemporaryDirectory(prefix="api-server-pg-")
        self.env = environment(self.folder.name, settings)
        self.process = subprocess.Popen([BIN, "serve", "--database", database_url, "--listen", "127.0.0.1:0"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=self.env)
        self.log = []
        self._lines = queue.Queue()
        threading.Thread(target=self._read_log, daemon=True).start()
        self.port = None
        while self.port is None:
            try:
                line = self._lines.get(timeout=60)
            except queue.Empty:
                self.stop()
                raise AssertionError("the server did not say it was listening:\n" + "\n".join(self.log))
            if line is None:
                raise AssertionError("the server ended:\n" + "\n".join(self.log))
            entry = json.loads(line)
            if entry.get("message") == "listening":
                self.port = int(entry["address"].rsplit(":", 1)[1])
        self.base = f"http://127.0.0.1:{self.port}"

    def _read_log(self):
        for raw in self.process.stderr:
            line = raw.decode("utf-8", errors="replace").rstrip("\n")
            self.log.append(line)
            self._lines.put(line)
        self._lines.put(None)

    def kill(self):
        """SIGKILL: the instance dies without a word, as a crashed machine would."""
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.folder.cleanup()


def environment(folder, settings=None):
    """The environment of a server: no settings but `settings` (as variables) and PGPASSWORD."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTACT_IMPORT_")}
    env["XDG_CONFIG_HOME"] = folder
    for name, value in (settings or {}).items():
        env["CONTACT_IMPORT_" + name.upper().replace(".", "_").replace("-", "_")] = str(value)
    return env
