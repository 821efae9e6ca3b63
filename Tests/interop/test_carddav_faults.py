"""Network faults between the CardDAV client and Radicale: the fault proxy spoils the
third `addressbook-multiget` (REPORT) of an import of 1,000 cards (batches of 200, two in
flight). A reset or a truncated answer must end the import with 518, a stall longer than
the request timeout (`carddav.timeout`, 3 s here) or an answer sent a byte a second with
258, each within a bounded wait,
and the cards of the batches that arrived before must still count in the report (the
GATHERING events). Radicale runs on 127.0.0.1 for the test and is stopped after it.
"""
import base64
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from fault_proxy import FaultProxy
from import_events import codes_and_gathered

BIN = os.environ.get("CONTACT_IMPORT_BIN")
USER, PASSWORD = "alice", "secret"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def radicale(tmp_path):
    port = free_port()
    (tmp_path / "users").write_text(f"{USER}:{PASSWORD}\n")
    (tmp_path / "config").write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n[auth]\ntype = htpasswd\nhtpasswd_filename = {tmp_path}/users\n"
        f"htpasswd_encryption = plain\ndelay = 0\n[rights]\ntype = owner_only\n"
        f"[storage]\nfilesystem_folder = {tmp_path}/collections\n[web]\ntype = none\n[logging]\nlevel = warning\n")
    log = open(tmp_path / "radicale.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(tmp_path / "config")],
                               stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, (tmp_path / "radicale.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "radicale did not listen within 120 s"
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def dav(port, method, path, body=b"", content_type="application/xml; charset=utf-8", depth=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method=method)
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    request.add_header("Authorization", f"Basic {token}")
    request.add_header("Content-Type", content_type)
    if depth is not None:
        request.add_header("Depth", depth)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def fill_book(port, cards):
    dav(port, "PROPFIND", f"/{USER}/", b'<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>', depth="0")
    text = "".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-{i}\r\nFN:Person {i}\r\nN:{i};Person;;;\r\n"
                   f"EMAIL:person{i}@example.org\r\nEND:VCARD\r\n" for i in range(cards))
    assert dav(port, "PUT", f"/{USER}/contacts/", text.encode(), content_type="text/vcard; charset=utf-8") == 201


FAULT_CODES = {
    "reset": 518,     # the connection keeps dropping mid-request
    "truncate": 518,  # an answer cut short is no answer
    "stall": 258,     # no answer within the request timeout
    "trickle": 258,   # a byte a second never finishes within the request timeout
}


@pytest.mark.parametrize("fault", sorted(FAULT_CODES))
def test_a_spoiled_multiget_ends_with_its_code_and_keeps_what_was_gathered(radicale, tmp_path, fault):
    assert BIN, "CONTACT_IMPORT_BIN must name the contact-import binary (scripts/test sets it)"
    fill_book(radicale, 1000)
    with FaultProxy(radicale, fault, target="REPORT", spare=2) as proxy:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CONTACT_IMPORT_")}
        env.update({"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"), "LANG": "C.UTF-8",
                    "CONTACT_IMPORT_PASSWORD": PASSWORD, "CONTACT_IMPORT_CARDDAV_TIMEOUT": "3"})
        started = time.monotonic()
        result = subprocess.run(
            [BIN, "import", "--service", "carddav", "--url", f"http://127.0.0.1:{proxy.port}", "--username", USER,
             "--events", "json", "--format", "json", "--output", str(tmp_path / "out.json")],
            capture_output=True, text=True, env=env, timeout=90)
        elapsed = time.monotonic() - started
    assert result.returncode != 0, result.stderr
    # A few tries of at most 3 s each, their pauses, and the rest of the import.
    assert elapsed < 45, f"the import took {elapsed:.0f} s"
    assert proxy.spoiled >= 1
    codes, gathered = codes_and_gathered(result.stderr)
    # The GATHERING stage and the import as a whole both end with it.
    assert codes and set(codes) == {FAULT_CODES[fault]}, result.stderr
    assert gathered and max(gathered) >= 400, result.stderr
    assert PASSWORD not in result.stderr + result.stdout
    assert not (tmp_path / "out.json").exists()
