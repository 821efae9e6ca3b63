"""docs/openapi.yaml kept true: schemathesis (pinned in scripts/test-requirements.txt)
generates requests from it against a running `contact-import serve` and checks every
answer against it (status codes, content types, schemas, headers, methods, auth), with
no failure allowed.
"""
import pathlib
import shutil
import subprocess
import sys
import tempfile

from api_server import APIServer

REPO = pathlib.Path(__file__).resolve().parents[2]


def schemathesis_command():
    found = shutil.which("schemathesis") or shutil.which("st")
    if found:
        return [found]
    # Installed for this interpreter but not on PATH.
    return [sys.executable, "-c", "import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())"]


def test_the_openapi_description_holds_for_the_running_server():
    server = APIServer({"server.begins-per-minute": 100000, "server.running-imports": 100000})
    try:
        key, password = server.credentials()
        with tempfile.TemporaryDirectory() as folder:
            done = subprocess.run(
                [*schemathesis_command(), "run", str(REPO / "docs" / "openapi.yaml"), "--url", server.base,
                 "--auth", f"{key}:{password}", "--checks", "all", "--max-examples", "40", "--seed", "2026",
                 "--no-color"],
                capture_output=True, text=True, timeout=900, cwd=folder)
        assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
        assert " passed" in done.stdout
    finally:
        server.stop()
