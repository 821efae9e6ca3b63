"""The page server under a flood of idle connections, and with a client that asks before
sending its upload. Under the flood: 2,000 connections that never send a
request must not keep the person with the real upload page from getting it. The server
runs with 1,024 file descriptors, as a default shell gives it; before it had a connection
limit and timeouts, about 1,020 idle connections used them all and the page request got
no answer.
"""
import os
import queue
import re
import resource
import selectors
import socket
import subprocess
import threading
import time
import urllib.request

import pytest

BIN = os.environ.get("CONTACT_IMPORT_BIN")
URL_LINE = re.compile(r"^http://127\.0\.0\.1:(\d+)/\S+$")
IDLE_CONNECTIONS = 2000


def limit_descriptors():
    resource.setrlimit(resource.RLIMIT_NOFILE, (1024, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))


@pytest.fixture
def upload_page():
    """`contact-import import --service vcard` waiting on its upload page: (url, port, pid)."""
    assert BIN, "CONTACT_IMPORT_BIN must name the contact-import binary (scripts/test sets it)"
    process = subprocess.Popen(
        [BIN, "import", "--service", "vcard", "--events", "lines", "--qr", "none"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=limit_descriptors)
    lines = queue.Queue()

    def read():
        for raw in process.stderr:
            lines.put(raw.decode("utf-8", errors="replace").strip())

    threading.Thread(target=read, daemon=True).start()
    try:
        deadline = time.monotonic() + 30
        while True:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            match = URL_LINE.match(line)
            if match:
                break
        yield line, int(match.group(1)), process.pid
    finally:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture
def many_descriptors():
    """This test process holds 2,000 sockets: its own soft limit is raised for the test."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = IDLE_CONNECTIONS + 256
    if soft < wanted:
        assert hard >= wanted, f"the hard descriptor limit ({hard}) is below {wanted}"
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def open_idle(port, count, within=15):
    """Opens up to `count` connections that send nothing, all started at once and given
    `within` seconds in all to connect; returns the connected sockets."""
    pending = []
    for _ in range(count):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.connect_ex(("127.0.0.1", port))
        pending.append(sock)
    connected = []
    deadline = time.monotonic() + within
    poller = selectors.DefaultSelector()
    for sock in pending:
        poller.register(sock, selectors.EVENT_WRITE)
    while len(poller.get_map()) and time.monotonic() < deadline:
        for key, _ in poller.select(timeout=max(0.0, deadline - time.monotonic())):
            sock = key.fileobj
            poller.unregister(sock)
            if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                connected.append(sock)
            else:
                sock.close()
    for key in list(poller.get_map().values()):
        poller.unregister(key.fileobj)
        key.fileobj.close()
    poller.close()
    return connected


def test_the_page_is_served_while_two_thousand_idle_connections_are_open(upload_page, many_descriptors):
    url, port, pid = upload_page
    idle = open_idle(port, IDLE_CONNECTIONS)
    try:
        assert len(idle) > 1100, "the flood itself did not get through"
        with urllib.request.urlopen(url, timeout=20) as reply:
            assert reply.status == 200
            assert "vCard file" in reply.read().decode("utf-8")
        # The server keeps a bounded number of connections (256): the rest were closed
        # to make room, and its descriptors are far from running out.
        assert len(os.listdir(f"/proc/{pid}/fd")) <= 256 + 64
    finally:
        for sock in idle:
            sock.close()


def test_a_connection_that_stops_in_its_headers_is_closed(upload_page):
    url, port, _ = upload_page
    silent = socket.create_connection(("127.0.0.1", port), timeout=5)
    halfway = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        halfway.sendall(b"GET /c/x HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        for sock in (silent, halfway):
            # The idle timeout is 15 s; the test waits at most 40 s for the close.
            sock.settimeout(40)
            assert sock.recv(4096) == b"", "the server answered or kept the connection"
        with urllib.request.urlopen(url, timeout=20) as reply:
            assert reply.status == 200
    finally:
        silent.close()
        halfway.close()


def test_an_upload_that_expects_100_continue_gets_it_before_sending_the_file(upload_page):
    """curl sends `Expect: 100-continue` before a body over 1 MB and, unanswered, waits a
    second before sending the file anyway."""
    url, port, _ = upload_page
    path = "/" + url.split("/", 3)[3]
    card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEND:VCARD\r\n"
    body = (b"--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.vcf\"\r\n\r\n" + card
            + b"\r\n--b0undary--\r\n")
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nExpect: 100-continue\r\n"
            f"Content-Type: multipart/form-data; boundary=b0undary\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(head)
        sock.settimeout(0.5)
        interim = sock.recv(4096)
        assert interim.startswith(b"HTTP/1.1 100 Continue\r\n"), interim
        sock.settimeout(20)
        sock.sendall(body)
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 200 "), reply[:200]
    assert b"1 contact arrived" in reply
