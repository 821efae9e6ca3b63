"""`contact-import tui --server`: the terminal UI as a client of a CloudSponge-compatible server
(FakeCloudSponge): the services offered, the server's consent URL with its QR code, progress
from its events, then the downloaded contacts browsed, filtered and exported as after a local
import. The domain password comes from the environment and shows nowhere."""
import json
import os
import re
import shlex
import subprocess
import time

from fakes import FakeCloudSponge
from test_tui import qr_from_screen, write_pbm
from tmux_session import TmuxUI

BIN = os.environ.get("CONTACT_IMPORT_BIN")


def environment(api, home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTACT_IMPORT_")}
    env.update({"HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"), "LANG": "C.UTF-8",
                "CONTACT_IMPORT_DOMAIN_PASSWORD": api.domain_password})
    return env


def exit_status(path, timeout=20):
    """The status the wrapping shell wrote once the program ended (tmux's own report of a
    dead pane sometimes lacks it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return int(path.read_text())
        time.sleep(0.1)
    raise AssertionError("the program did not exit")


def wrapped(command, status):
    return "sh -c " + shlex.quote(f"{command}; echo $? > {shlex.quote(str(status))}")


def test_tui_with_a_server_imports_browses_and_exports_its_contacts(tmp_path):
    with FakeCloudSponge(contacts=40, page_limit=15, steps=2) as api:
        command = f"{shlex.quote(BIN)} tui --server {api.url} --domain-key {api.domain_key}"
        status = tmp_path / "status"
        session = TmuxUI(wrapped(command, status), tmp_path, environment(api, tmp_path), width=100, height=40)
        try:
            session.wait_for("Choose a service")
            # The services a server can begin are offered; the picker filters them as usual.
            session.type("demo")
            session.keys("Enter")
            match = session.wait_for(r"^\s*(http://127\.0\.0\.1:\d+/n/[A-Z0-9]{7})\s*$")
            url = match.group(1)
            assert url.startswith(api.url)

            # The QR code on the screen decodes to the server's consent URL.
            image = tmp_path / "screen-qr.pbm"
            write_pbm(qr_from_screen(session.screen().split("\n")), image)
            decoded = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True, timeout=30)
            assert decoded.returncode == 0, decoded.stderr
            assert decoded.stdout.strip() == url

            api.consent(url)
            session.wait_for(r"GATHERING", timeout=30)
            session.wait_for(r"COMPLETE 40", timeout=30)
            session.wait_for(r"40 contacts")
            import_id = next(iter(api.imports))
            # All three pages were downloaded.
            assert [r.query["start"] for r in api.requests_to("/contacts/")] == [["0"], ["15"], ["30"]]

            # Browse: the live filter finds the server's contacts.
            session.type("/")
            session.type("Remote03")
            session.wait_for(r"filter “Remote03”: 10 of 40")
            session.keys("Enter")

            # Export the filtered ones as JSON: the payload names the server's import and owner.
            session.keys("e")
            session.wait_for("Export contacts")
            session.keys("Right", "Right", "Right", "Right")
            session.wait_for("JSON")
            session.keys("Enter")
            session.wait_for(r"Wrote 10 contacts to contacts-demo\.json")
            payload = json.loads((tmp_path / "contacts-demo.json").read_text())
            assert sorted(c["first_name"] for c in payload["contacts"]) == [f"Remote{n:03d}" for n in range(30, 40)]
            assert payload["import_id"] == import_id and payload["id"] == import_id
            assert payload["contacts_owner"]["email"][0]["address"] == "ada.owner@example.org"

            # Everything as vCard, then quit.
            session.keys("Escape")
            session.wait_for(r"40 contacts")
            session.keys("e")
            session.wait_for("vCard 3.0")
            session.keys("Tab", "Left")
            session.wait_for(r"all 40")
            session.keys("Enter")
            session.wait_for(r"Wrote 40 contacts to contacts-demo\.vcf")
            assert (tmp_path / "contacts-demo.vcf").read_text().count("BEGIN:VCARD") == 40

            # The shell in the pane and the program it runs: the password is in no argument.
            shell = session.tmux(["display", "-p", "-t", "app", "#{pane_pid}"]).strip()
            with open(f"/proc/{shell}/task/{shell}/children") as handle:
                pids = [shell] + handle.read().split()
            assert len(pids) == 2
            for pid in pids:
                with open(f"/proc/{pid}/cmdline", "rb") as handle:
                    arguments = handle.read()
                assert api.domain_password.encode() not in arguments
            assert b"tui\0--server" in arguments
            assert api.domain_password not in session.screen()

            session.keys("q", "q", "q")
            assert exit_status(status) == 0
        finally:
            session.kill()
        for path in tmp_path.rglob("*"):
            if path.is_file():
                assert api.domain_password not in path.read_text(errors="replace")
        for recorded in api.requests:
            assert all(api.domain_password not in v for values in recorded.query.values() for v in values)


def test_tui_with_a_server_shows_its_error_code(tmp_path):
    with FakeCloudSponge(contacts=5, fail_with=264, auto_consent=True) as api:
        command = f"{shlex.quote(BIN)} tui --server {api.url} --domain-key {api.domain_key} --service demo"
        session = TmuxUI(command, tmp_path, environment(api, tmp_path), width=100, height=40)
        try:
            # The phase, not any 264 on the screen: the import's id can hold those digits.
            session.wait_for(r"ERROR 264\b", timeout=30)
            screen = session.screen()
            assert re.search(r"temporarily unavailable", screen), screen
        finally:
            session.kill()


def test_ctrl_c_in_the_tui_abandons_the_servers_import_with_517(tmp_path):
    with FakeCloudSponge(contacts=5) as api:
        command = f"{shlex.quote(BIN)} tui --server {api.url} --domain-key {api.domain_key} --service demo"
        status = tmp_path / "status"
        session = TmuxUI(wrapped(command, status), tmp_path, environment(api, tmp_path), width=100, height=40)
        try:
            session.wait_for(r"/n/[A-Z0-9]{7}", timeout=30)
            session.keys("C-c")
            session.wait_for(r"Error 517")
            # Following the import stopped with the cancellation: no poll in the next seconds.
            time.sleep(0.5)
            polls = len(api.requests_to("/events/"))
            time.sleep(2.5)
            assert len(api.requests_to("/events/")) == polls
            session.keys("C-c")
            assert exit_status(status) == 0
            assert not api.requests_to("/contacts/")
        finally:
            session.kill()
