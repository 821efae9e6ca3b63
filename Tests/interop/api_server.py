"""`contact-import serve` for the API tests: accounts made with `accounts add`, the server
started on 127.0.0.1 with a port the system picks (read from its `listening` log line),
stopped when done. Settings come from the environment only (an empty config folder).
"""
import json
import os
import queue
import subprocess
import tempfile
import threading

BIN = os.environ.get("CONTACT_IMPORT_BIN")


def add_account(accounts_path, name, *extra, env=None):
    """Runs `accounts add` and returns its one JSON line: domain_key and domain_password."""
    assert BIN, "CONTACT_IMPORT_BIN must name the contact-import binary (scripts/test sets it)"
    done = subprocess.run([BIN, "accounts", "add", name, "--file", accounts_path, *extra],
                          capture_output=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def server_environment(folder, settings=None):
    """A server's environment: no settings of the caller's, only `settings` (as
    CONTACT_IMPORT_ variables) and an empty config folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTACT_IMPORT_")}
    env["XDG_CONFIG_HOME"] = folder
    for name, value in (settings or {}).items():
        env["CONTACT_IMPORT_" + name.upper().replace(".", "_").replace("-", "_")] = str(value)
    return env


class ServeProcess:
    """`contact-import serve ARGS --listen 127.0.0.1:0`: started, its JSON log read on a
    thread (`log`), its port taken from the `listening` line, stopped by `stop`."""

    def _start(self, arguments, startup_timeout):
        assert BIN, "CONTACT_IMPORT_BIN must name the contact-import binary (scripts/test sets it)"
        self.process = subprocess.Popen([BIN, "serve", *arguments, "--listen", "127.0.0.1:0"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=self.env)
        self.log = []
        self._lines = queue.Queue()
        threading.Thread(target=self._read_log, daemon=True).start()
        self.port = None
        while self.port is None:
            try:
                line = self._lines.get(timeout=startup_timeout)
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

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.folder.cleanup()


class APIServer(ServeProcess):
    """A running server with two accounts, `alpha` and `beta`."""

    def __init__(self, settings=None):
        self.folder = tempfile.TemporaryDirectory(prefix="api-server-")
        self.env = server_environment(self.folder.name, settings)
        self.accounts_path = os.path.join(self.folder.name, "accounts.json")
        self.alpha = add_account(self.accounts_path, "alpha", "--redirect-host", "shop.example.org", env=self.env)
        self.beta = add_account(self.accounts_path, "beta", env=self.env)
        self._start(["--accounts", self.accounts_path], startup_timeout=30)

    def credentials(self, account="alpha"):
        entry = getattr(self, account)
        return entry["domain_key"], entry["domain_password"]
