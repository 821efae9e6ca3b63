"""Both halves together: `contact-import tui --server` and `contact-import import --server`
against `contact-import serve`. The consent and upload pages are answered the way a
browser would: the page is fetched, its form read, and the form submitted (the demo's
Allow button; a vCard file posted as multipart/form-data). The domain password comes from
the environment and is never in an argument, the screen, the output, a file, or either
program's log.
"""
import base64
import contextlib
import json
import os
import queue
import re
import shlex
import signal
import subprocess
import threading
import time
from html.parser import HTMLParser

import pytest
import requests

from api_server import APIServer
from tmux_session import TmuxUI

BIN = os.environ.get("CONTACT_IMPORT_BIN")
TIMEOUT = 15
PAGE = r"(http://127\.0\.0\.1:\d+/c/[A-Za-z0-9_-]+)"
VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lovelace;Ada;;;\r\nFN:Ada Lovelace\r\n"
    "EMAIL;TYPE=home:ada@example.org\r\nTEL;TYPE=cell:+44 20 7946 0001\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Hopper;Grace;;;\r\nFN:Grace Hopper\r\nEMAIL:grace@example.org\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Turing;Alan;;;\r\nFN:Alan Turing\r\nEMAIL:alan@example.org\r\nEND:VCARD\r\n"
)


# ---------------------------------------------------------------- the browser's part


class Forms(HTMLParser):
    """The forms of a page: method, action, enctype and their named controls."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append({"method": (attributes.get("method") or "get").lower(), "action": attributes.get("action"),
                               "enctype": attributes.get("enctype") or "application/x-www-form-urlencoded",
                               "controls": []})
        elif tag in ("input", "button") and self.forms:
            self.forms[-1]["controls"].append(attributes)


def page_forms(url):
    page = requests.get(url, timeout=TIMEOUT)
    assert page.status_code == 200, (page.status_code, page.text)
    parser = Forms()
    parser.feed(page.text)
    return page.text, parser.forms


def press(url, label):
    """Clicks the page's submit button whose text is `label`: its form is posted with the
    button's name and value, as a browser does."""
    text, forms = page_forms(url)
    for form in forms:
        buttons = [c for c in form["controls"] if c.get("type") == "submit" and c.get("name")]
        for button in buttons:
            if re.search(rf'value="{re.escape(button["value"])}">{re.escape(label)}<', text):
                assert form["method"] == "post"
                sent = requests.post(requests.compat.urljoin(url, form["action"] or ""),
                                     data={button["name"]: button["value"]}, timeout=TIMEOUT, allow_redirects=False)
                assert sent.status_code in (200, 303), (sent.status_code, sent.text)
                return sent
    raise AssertionError(f"no {label!r} button on {url}:\n{text}")


def upload(url, content, name="friends.vcf"):
    """Chooses `content` as the file of the page's file input and presses its submit button."""
    _, forms = page_forms(url)
    form = next(f for f in forms if any(c.get("type") == "file" for c in f["controls"]))
    assert form["method"] == "post" and form["enctype"] == "multipart/form-data"
    field = next(c["name"] for c in form["controls"] if c.get("type") == "file")
    submit = next(c for c in form["controls"] if c.get("type") == "submit")
    sent = requests.post(requests.compat.urljoin(url, form["action"] or ""),
                         files={field: (name, content.encode(), "text/vcard")},
                         data={submit["name"]: submit["value"]}, timeout=TIMEOUT, allow_redirects=False)
    assert sent.status_code in (200, 303), (sent.status_code, sent.text)
    return sent


# ---------------------------------------------------------------- the programs


def environment(home, password, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTACT_IMPORT_")}
    env.update({"HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"), "LANG": "C.UTF-8",
                "CONTACT_IMPORT_DOMAIN_PASSWORD": password})
    env.update(extra)
    return env


def events_of(server, import_id):
    key, password = server.credentials()
    answer = requests.get(f"{server.base}/events/{import_id}.json", timeout=TIMEOUT,
                          headers={"Authorization": "Basic " + base64.b64encode(f"{key}:{password}".encode()).decode()})
    assert answer.status_code == 200, answer.text
    return answer.json()["events"]


def assert_no_password(server, home, *texts):
    """Neither the client's output, its files, nor the server's access log hold the password."""
    key, password = server.credentials()
    basic = base64.b64encode(f"{key}:{password}".encode()).decode()
    for text in texts:
        assert password not in text and basic not in text
    for path in home.rglob("*"):
        if path.is_file():
            assert password not in path.read_text(errors="replace"), path
    log = "\n".join(server.log)
    assert '"route":"events"' in log
    assert password not in log and basic not in log


class CommandLine:
    """`contact-import import --server` in the background, its stderr read line by line."""

    def __init__(self, server, home, *args, password=None, **settings):
        assert BIN, "CONTACT_IMPORT_BIN must name the contact-import binary (scripts/test sets it)"
        key, right = server.credentials()
        self.command = [BIN, "import", "--server", server.base, "--domain-key", key, "--qr", "none",
                        "--events", "lines", *args]
        self.process = subprocess.Popen(self.command, cwd=home, env=environment(home, password or right, **settings),
                                        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        with open(f"/proc/{self.process.pid}/cmdline", "rb") as handle:
            self.cmdline = handle.read()
        self.lines = queue.Queue()
        self.stderr_lines = []
        self.stdout = b""
        threading.Thread(target=self._read_stderr, daemon=True).start()
        self.out_reader = threading.Thread(target=self._read_stdout, daemon=True)
        self.out_reader.start()

    def _read_stderr(self):
        for raw in self.process.stderr:
            line = raw.decode(errors="replace").rstrip("\n")
            self.stderr_lines.append(line)
            self.lines.put(line)
        self.lines.put(None)

    def _read_stdout(self):
        self.stdout = self.process.stdout.read()

    def page(self):
        while True:
            line = self.lines.get(timeout=30)
            assert line is not None, self.stderr
            found = re.match(rf"^\s*{PAGE}\s*$", line)
            if found:
                return found.group(1)

    def finish(self, timeout=60):
        status = self.process.wait(timeout=timeout)
        self.out_reader.join(timeout=10)
        return status

    @property
    def stderr(self):
        return "\n".join(self.stderr_lines)


def exit_status(path, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return int(path.read_text())
        time.sleep(0.1)
    raise AssertionError("the program did not exit")


@pytest.fixture
def server():
    """A server with the two accounts of `APIServer`, stopped after the test."""
    running = APIServer()
    try:
        yield running
    finally:
        running.stop()


@contextlib.contextmanager
def terminal_ui(server, home, *args, password=None, **extra):
    """`contact-import tui --server` in tmux: the session and the file its exit status goes
    to; the session is closed when the block ends. `extra` goes to its environment."""
    key, right = server.credentials()
    status = home / "status"
    command = " ".join(shlex.quote(part) for part in [BIN, "tui", "--server", server.base, "--domain-key", key, *args])
    wrapped = "sh -c " + shlex.quote(f"{command}; echo $? > {shlex.quote(str(status))}")
    session = TmuxUI(wrapped, home, environment(home, password or right, **extra), width=110, height=40)
    try:
        yield session, status
    finally:
        session.kill()


def assert_not_in_argv(session, password):
    shell = session.tmux(["display", "-p", "-t", "app", "#{pane_pid}"]).strip()
    with open(f"/proc/{shell}/task/{shell}/children") as handle:
        pids = [shell] + handle.read().split()
    assert len(pids) == 2
    for pid in pids:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            assert password.encode() not in handle.read()


# ---------------------------------------------------------------- the terminal UI


def test_tui_imports_the_demo_through_our_server_and_exports_it(tmp_path, server):
    with terminal_ui(server, tmp_path) as (session, status):
        session.wait_for("Choose a service")
        session.type("demo")
        session.keys("Enter")
        url = session.wait_for(rf"^\s*{PAGE}\s*$", timeout=30).group(1)
        assert url.startswith(server.base + "/c/")
        press(url, "Allow")
        session.wait_for(r"COMPLETE 250", timeout=30)
        session.wait_for(r"250 contacts")

        # Browse: the live filter works on the downloaded contacts.
        session.type("/")
        session.type("mar")
        matches = int(session.wait_for(r"filter “mar”: (\d+) of 250").group(1))
        assert 0 < matches < 250
        session.keys("Enter")
        session.keys("e")
        session.wait_for("Export contacts")
        session.keys("Right", "Right", "Right", "Right")
        session.wait_for("JSON")
        session.keys("Enter")
        session.wait_for(rf"Wrote {matches} contacts to contacts-demo\.json")
        payload = json.loads((tmp_path / "contacts-demo.json").read_text())
        assert len(payload["contacts"]) == matches
        # The export names the server's import, which the server knows as complete.
        assert payload["id"] == payload["import_id"]
        assert events_of(server, payload["import_id"])[-1]["event_type"] == "COMPLETE"
        assert payload["contacts_owner"]["owner"] is True

        session.keys("Escape")
        session.wait_for(r"250 contacts")
        session.keys("e")
        session.wait_for("vCard 3.0")
        session.keys("Tab", "Left")
        session.wait_for(r"all 250")
        session.keys("Enter")
        session.wait_for(r"Wrote 250 contacts to contacts-demo\.vcf")
        assert (tmp_path / "contacts-demo.vcf").read_text().count("BEGIN:VCARD") == 250

        assert_not_in_argv(session, server.credentials()[1])
        screen = session.screen()
        session.keys("q", "q", "q")
        assert exit_status(status) == 0
    assert_no_password(server, tmp_path, screen)


def test_tui_imports_a_file_uploaded_on_our_servers_page(tmp_path, server):
    with terminal_ui(server, tmp_path) as (session, status):
        session.wait_for("Choose a service")
        session.type("vcard")
        session.keys("Enter")
        url = session.wait_for(rf"^\s*{PAGE}\s*$", timeout=30).group(1)
        upload(url, VCARD)
        session.wait_for(r"COMPLETE 3", timeout=30)
        session.wait_for(r"3 contacts")
        screen = session.screen()
        assert "Ada Lovelace" in screen and "Grace Hopper" in screen and "Alan Turing" in screen
        session.keys("Enter")
        session.wait_for(r"Email \(home\)\s+ada@example\.org")
        session.keys("Escape")
        session.keys("e")
        session.wait_for("vCard 3.0")
        session.keys("Enter")
        session.wait_for(r"Wrote 3 contacts to contacts-vcard\.vcf")
        assert (tmp_path / "contacts-vcard.vcf").read_text().count("BEGIN:VCARD") == 3
        screen += session.screen()
        session.keys("q", "q", "q")
        assert exit_status(status) == 0
    assert_no_password(server, tmp_path, screen)


def test_tui_with_a_wrong_password_shows_error_1(tmp_path, server):
    with terminal_ui(server, tmp_path, "--service", "demo", password="not-the-password-4711") as (session, _):
        session.wait_for(r"Error 1\b", timeout=30)
        screen = session.screen(joined=True)
        assert "not-the-password-4711" not in screen
        assert server.credentials()[0] in screen
    assert '"status":"401"' in "\n".join(server.log).replace(" ", "")


def test_tui_shows_a_service_our_server_does_not_offer_as_its_refusal(tmp_path, server):
    # Gmail needs the server's own OAuth client, which this server has not.
    with terminal_ui(server, tmp_path) as (session, status):
        session.wait_for(rf"imports run on 127\.0\.0\.1:{server.port}")
        session.type("gmail")
        session.keys("Enter")
        session.wait_for("Include")
        session.keys("Enter")
        session.wait_for(r"Error 261", timeout=30)
        screen = session.screen(joined=True)
        assert re.search(rf"server at 127\.0\.0\.1:{server.port} does not offer gmail", screen), screen
        assert "set up on the server, by its operator" in screen
        session.keys("q")
        session.keys("Escape")
        session.wait_for(r"gmail\s+Gmail / Google Contacts\s+not offered by this server \(error 261\)")
        session.keys("q")
        assert exit_status(status) == 0


def test_tui_shows_518_when_our_server_stops_mid_import(tmp_path, server):
    with terminal_ui(server, tmp_path, "--service", "demo", CONTACT_IMPORT_REMOTE_TIMEOUT="2") as (session, status):
        session.wait_for(rf"^\s*{PAGE}\s*$", timeout=30)
        server.process.terminate()
        server.process.wait(timeout=15)
        session.wait_for(r"Error 518", timeout=60)
        assert re.search(rf"server at 127\.0\.0\.1:{server.port}", session.screen(joined=True))
        session.keys("q", "q")
        assert exit_status(status) == 0


# ---------------------------------------------------------------- the command line


def test_import_the_demo_through_our_server_into_a_vcard_file(tmp_path, server):
    run = CommandLine(server, tmp_path, "--service", "demo", "--output", "demo.vcf")
    press(run.page(), "Allow")
    assert run.finish() == 0, run.stderr
    assert (tmp_path / "demo.vcf").read_text().count("BEGIN:VCARD") == 250
    assert "wrote 250 contacts to demo.vcf" in run.stderr
    assert server.credentials()[1].encode() not in run.cmdline
    assert_no_password(server, tmp_path, run.stderr, run.stdout.decode(errors="replace"))


def test_import_an_upload_through_our_server_into_a_vcard_file(tmp_path, server):
    run = CommandLine(server, tmp_path, "--service", "vcard", "--output", "book.vcf")
    upload(run.page(), VCARD)
    assert run.finish() == 0, run.stderr
    written = (tmp_path / "book.vcf").read_text()
    assert written.count("BEGIN:VCARD") == 3
    assert "ada@example.org" in written and "FN:Grace Hopper" in written
    assert_no_password(server, tmp_path, run.stderr, run.stdout.decode(errors="replace"))


def test_a_wrong_password_is_error_1(tmp_path, server):
    run = CommandLine(server, tmp_path, "--service", "demo", "--output", "demo.vcf", password="not-the-password-4711")
    assert run.finish() == 1, run.stderr
    assert "error 1: The domain key and password could not be authenticated." in run.stderr
    assert "not-the-password-4711" not in run.stderr
    assert not (tmp_path / "demo.vcf").exists()


def test_a_server_stopped_mid_import_is_error_518(tmp_path, server):
    run = CommandLine(server, tmp_path, "--service", "demo", "--output", "demo.vcf", CONTACT_IMPORT_REMOTE_TIMEOUT="2")
    run.page()
    server.process.terminate()
    server.process.wait(timeout=15)
    assert run.finish(timeout=90) == 1, run.stderr
    assert "error 518" in run.stderr
    assert f"The server at 127.0.0.1:{server.port} " in run.stderr
    assert not (tmp_path / "demo.vcf").exists()


def test_contacts_past_the_servers_retention_are_gone(tmp_path):
    server = APIServer({"server.retention-seconds": 1})
    try:
        run = CommandLine(server, tmp_path, "--service", "vcard", "--output", "book.vcf")
        page = run.page()
        # The client is held still while the import completes and its retention passes.
        run.process.send_signal(signal.SIGSTOP)
        try:
            upload(page, VCARD)
            import_id = int(re.search(r'"import_id":"?(\d+)', "\n".join(server.log)).group(1))
            gone_after(server, import_id)
        finally:
            run.process.send_signal(signal.SIGCONT)
        assert run.finish() == 1, run.stderr
        assert "the retention window has passed" in run.stderr
        assert not (tmp_path / "book.vcf").exists()
    finally:
        server.stop()


def gone_after(server, import_id, limit=30):
    """Waits until the server answers 410 for the import's contacts."""
    key, password = server.credentials()
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        status = requests.get(f"{server.base}/contacts/{import_id}.json", auth=(key, password), timeout=TIMEOUT).status_code
        if status == 410:
            return
        time.sleep(0.3)
    raise AssertionError(f"import {import_id}'s contacts did not expire")


def test_a_service_our_server_does_not_offer_says_it_is_the_servers(tmp_path, server):
    run = CommandLine(server, tmp_path, "--service", "gmail")
    assert run.finish() == 1, run.stderr
    assert "error 261: The service is not recognised." in run.stderr
    assert f"The server at 127.0.0.1:{server.port} does not offer gmail (it says: " in run.stderr
    assert "services are set up on the server, by its operator" in run.stderr


def test_services_that_need_a_server_address_are_not_offered_over_the_api(server):
    # The API never takes a server address from a request, so these cannot run there.
    key, password = server.credentials()
    for service in ["carddav", "nextcloud"]:
        for path in ["/begin_import/import.json", "/begin_import/user_consent.json"]:
            answer = requests.post(server.base + path, auth=(key, password), timeout=TIMEOUT,
                                   data={"service": service, "username": "ada", "password": "secret",
                                         "url": "https://dav.example.org/"})
            assert answer.status_code == 400, answer.text
            assert answer.json()["error"]["code"] == 261, answer.text
