"""Outlook.com and Microsoft 365 imports for real: the built program against the Microsoft
fake (identity platform with the device-code flow, and Graph contacts and folders). Each test
runs `contact-import import --service windowslive|office365`, plays the person at the
verification page through the fake's controls, and checks the outcome and that no token or
code the fake issued appears in the program's output or files.
"""
import http.client
import json
import os
import pathlib
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from fakes.microsoft import FakeMicrosoft, GraphError  # noqa: E402

BIN = os.environ.get("CONTACT_IMPORT_BIN")

# Short polls so that the file runs quickly; the device code lives long enough for any test.
FAST = {"interval": 0.2}


class MicrosoftImport:
    """`contact-import import --service SERVICE` in the background, pointed at `fake`."""

    def __init__(self, fake, tmp_path, service="windowslive", tenant=None, client_id=None, extra=(), events="lines",
                 env=None):
        assert BIN, "CONTACT_IMPORT_BIN must name the contact-import binary (scripts/test sets it)"
        overrides, env = env or {}, dict(os.environ)
        env.update({
            "CONTACT_IMPORT_MICROSOFT_CLIENT_ID": fake.client_id if client_id is None else client_id,
            "CONTACT_IMPORT_MICROSOFT_LOGIN_URL": fake.login_url,
            "CONTACT_IMPORT_MICROSOFT_GRAPH_URL": fake.graph_url,
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "HOME": str(tmp_path),
        })
        if tenant:
            env["CONTACT_IMPORT_MICROSOFT_TENANT"] = tenant
        env.update(overrides)
        self.tmp_path = tmp_path
        self.output = tmp_path / "contacts.json"
        self.argv = [BIN, "import", "--service", service, "--qr", "none", "--events", events,
                     "--output", str(self.output), *extra]
        self.process = subprocess.Popen(self.argv, env=env, cwd=tmp_path, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines = queue.Queue()
        self._stderr = []
        self._stdout = b""
        self._readers = [threading.Thread(target=self._read_stderr, daemon=True),
                         threading.Thread(target=self._read_stdout, daemon=True)]
        for reader in self._readers:
            reader.start()

    def _read_stderr(self):
        for raw in self.process.stderr:
            line = raw.decode("utf-8", errors="replace").rstrip("\n")
            self._stderr.append(line)
            self.lines.put(line)

    def _read_stdout(self):
        self._stdout = self.process.stdout.read()

    def wait_for_line(self, starting, timeout=20):
        """The first stderr line that starts with `starting`."""
        deadline = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            if line.startswith(starting):
                return line

    def finish(self, timeout=40):
        self.process.stdin.close()
        self.process.wait(timeout=timeout)
        for reader in self._readers:
            reader.join(timeout=10)
        self.stdout, self.stderr = self._stdout.decode(), "\n".join(self._stderr)
        return self.process.returncode

    def payload(self):
        return json.loads(self.output.read_text())


def wait_for_user_code(fake, timeout=20):
    """The user code the program asked for, once the fake has issued it."""
    deadline = time.monotonic() + timeout
    while fake.last_user_code is None:
        assert time.monotonic() < deadline, "the program never asked for a device code"
        time.sleep(0.02)
    return fake.last_user_code


def approve(fake):
    code = wait_for_user_code(fake)
    fake.approve(code)
    return code


def assert_no_secret(fake, run):
    """No token, device code or verifier the fake issued is in stdout, stderr, argv or any
    file the program wrote."""
    texts = [run.stdout, run.stderr, " ".join(run.argv)]
    texts += [p.read_text(errors="replace") for p in run.tmp_path.rglob("*") if p.is_file()]
    for secret in fake.secrets:
        if secret:
            for text in texts:
                assert secret not in text


@pytest.fixture
def tmp(tmp_path):
    return tmp_path


def started(**knobs):
    return FakeMicrosoft(**{**FAST, **knobs}).start()


def test_device_code_approved_imports_the_book_and_its_owner(tmp):
    with started(contacts=12) as fake:
        run = MicrosoftImport(fake, tmp)
        # The page and the code the program shows are the ones the fake sent.
        assert run.wait_for_line("Open this page") and run.wait_for_line(fake.verification_uri)
        shown = run.wait_for_line("and enter this code there:").split(":", 1)[1].strip()
        assert shown == fake.last_user_code
        fake.approve(shown)
        assert run.finish() == 0, run.stderr
        payload = run.payload()
        assert [c["uid"] for c in payload["contacts"]] == [c["id"] for c in fake.contacts]
        assert payload["contacts_owner"]["external_id"] == fake.owner["id"]
        # Outlook.com signs in at the consumers tenant.
        assert fake.requests_to("/consumers/oauth2/v2.0/devicecode")
        assert_no_secret(fake, run)


def test_declined_is_514(tmp):
    with started() as fake:
        run = MicrosoftImport(fake, tmp)
        fake.decline(wait_for_user_code(fake))
        assert run.finish() == 2
        assert "error 514" in run.stderr
        assert not run.output.exists()
        assert_no_secret(fake, run)


def test_expired_code_is_516(tmp):
    with started() as fake:
        run = MicrosoftImport(fake, tmp)
        wait_for_user_code(fake)
        fake.expire_device_codes()
        assert run.finish() == 2
        assert "error 516" in run.stderr
        assert_no_secret(fake, run)


class SlowDownCounting(FakeMicrosoft):
    """The fake, counting the polls it answered with slow_down."""

    slow_downs = 0

    def _polled_too_soon(self, credential):
        too_soon = super()._polled_too_soon(credential)
        self.slow_downs += too_soon
        return too_soon


def device_polls(fake):
    return [r for r in fake.requests_to("/oauth2/v2.0/token") if r.form.get("device_code")]


def test_slow_down_adds_five_seconds_for_good(tmp):
    # The fake answers the first poll with slow_down, and any later poll sooner than the
    # interval + 5 s after the one before with another slow_down. Approval waits for a second
    # poll, which a client that ignored slow_down would send too soon.
    with SlowDownCounting(**FAST, force_slow_down=1, slow_down_increment=5).start() as fake:
        run = MicrosoftImport(fake, tmp)
        code = wait_for_user_code(fake)
        deadline = time.monotonic() + 30
        while len(device_polls(fake)) < 2:
            assert time.monotonic() < deadline and run.process.poll() is None, "the program stopped polling"
            time.sleep(0.05)
        fake.approve(code)
        assert run.finish() == 0, run.stderr
        assert fake.slow_downs == 1
        assert [r.status for r in device_polls(fake)] == [400, 400, 200]
        assert_no_secret(fake, run)


def test_nested_folders_are_all_imported_with_their_names_as_groups(tmp):
    folders = [{"name": "Family", "contacts": 2, "children": [{"name": "Cousins", "contacts": 3}]},
               {"name": "Work", "contacts": 1, "children": [{"name": "Empty"}]}]
    with started(contacts=2, folders=folders) as fake:
        run = MicrosoftImport(fake, tmp)
        approve(fake)
        assert run.finish() == 0, run.stderr
        imported = {c["uid"]: c for c in run.payload()["contacts"]}
        assert set(imported) == {c["id"] for c in fake.all_contacts}
        for name in ("Family", "Cousins", "Work"):
            folder = fake.folders[fake.folder_id(name)]
            for record in folder["contacts"]:
                assert name in imported[record["id"]]["groups"]
        for record in fake.contacts:
            assert not {"Family", "Cousins", "Work", "Contacts"} & set(imported[record["id"]]["groups"])
        assert_no_secret(fake, run)


def test_three_pages_follow_the_next_links(tmp):
    with started(contacts=2500) as fake:
        run = MicrosoftImport(fake, tmp)
        approve(fake)
        assert run.finish() == 0, run.stderr
        assert len(run.payload()["contacts"]) == 2500
        pages = fake.requests_to("/v1.0/me/contacts")
        assert [r.query.get("$skip") for r in pages] == [None, ["1000"], ["2000"]]
        assert all(r.query.get("$top") == ["1000"] for r in pages)
        assert_no_secret(fake, run)


def test_429_with_retry_after_on_page_two_is_waited_out(tmp):
    with started(contacts=2100, rate_limit_on_page=2, retry_after=1) as fake:
        run = MicrosoftImport(fake, tmp)
        approve(fake)
        assert run.finish() == 0, run.stderr
        assert len(run.payload()["contacts"]) == 2100
        assert [r.status for r in fake.requests_to("/v1.0/me/contacts")] == [200, 429, 200, 200]
        assert_no_secret(fake, run)


def test_an_access_token_expiring_mid_import_is_refreshed_once(tmp):
    with started(contacts=2500, expire_after_requests=3) as fake:
        run = MicrosoftImport(fake, tmp)
        approve(fake)
        assert run.finish() == 0, run.stderr
        assert len(run.payload()["contacts"]) == 2500
        assert 401 in [r.status for r in fake.requests_to("/v1.0/")]
        refreshes = [r for r in fake.requests_to("/oauth2/v2.0/token") if r.form.get("grant_type") == ["refresh_token"]]
        assert len(refreshes) == 1
        assert_no_secret(fake, run)


def test_a_tenant_needing_admin_consent_is_512_saying_so(tmp):
    with started(consent_required_tenants=("organizations",)) as fake:
        run = MicrosoftImport(fake, tmp, service="office365")
        approve(fake)
        assert run.finish() == 1
        assert "error 512" in run.stderr
        assert "administrator" in run.stderr and "AADSTS65001" in run.stderr
        assert_no_secret(fake, run)


def test_malformed_records_are_skipped_and_listed(tmp):
    with started(contacts=20, malformed=6) as fake:
        run = MicrosoftImport(fake, tmp)
        approve(fake)
        assert run.finish() == 0, run.stderr
        assert len(run.payload()["contacts"]) == 20
        assert "skipped 6 records" in run.stderr
        for identifier in fake.malformed_ids:
            assert identifier in run.stderr
        assert_no_secret(fake, run)


def test_the_fake_going_away_mid_import_is_518(tmp):
    with started(contacts=2500, stop_after_page=1) as fake:
        run = MicrosoftImport(fake, tmp)
        approve(fake)
        assert run.finish() == 1
        assert "error 518" in run.stderr
        assert not run.output.exists()
        assert_no_secret(fake, run)


def test_the_tenant_setting_wins(tmp):
    with started(tenants=("contoso.example",)) as fake:
        run = MicrosoftImport(fake, tmp, service="office365", tenant="contoso.example")
        approve(fake)
        assert run.finish() == 0, run.stderr
        assert fake.requests_to("/contoso.example/oauth2/v2.0/token")
        assert_no_secret(fake, run)


def test_without_a_client_id_the_services_need_setup(tmp):
    with started() as fake:
        run = MicrosoftImport(fake, tmp, client_id="")
        assert run.finish() == 1
        assert "error 261" in run.stderr and "microsoft.client-id" in run.stderr
        assert not fake.requests


def test_an_unknown_client_id_is_refused_at_begin_with_entras_words(tmp):
    with started() as fake:
        run = MicrosoftImport(fake, tmp, client_id="00000000-0000-0000-0000-000000000000")
        assert run.finish() == 1
        assert "error 512" in run.stderr and "AADSTS700016" in run.stderr
        assert_no_secret(fake, run)


def test_a_token_refused_again_after_its_renewal_is_512(tmp):
    # Every access token is good for one request: the second request's 401 is renewed, the
    # third one's is not.
    with started(contacts=3, expire_after_requests=1) as fake:
        run = MicrosoftImport(fake, tmp)
        approve(fake)
        assert run.finish() == 1
        assert "error 512" in run.stderr and "refused the access token again" in run.stderr
        refreshes = [r for r in fake.requests_to("/oauth2/v2.0/token") if r.form.get("grant_type") == ["refresh_token"]]
        assert len(refreshes) == 1
        assert_no_secret(fake, run)


class ContactsForbidden(FakeMicrosoft):
    """Graph refusing the contacts, as for an account whose grant lacks Contacts.Read."""

    def _default_contacts(self):
        self._authenticate(["Contacts.Read"])
        raise GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")


def test_graph_refusing_the_contacts_is_514(tmp):
    with ContactsForbidden(**FAST).start() as fake:
        run = MicrosoftImport(fake, tmp)
        approve(fake)
        assert run.finish() == 2
        assert "error 514" in run.stderr and "ErrorAccessDenied" in run.stderr
        assert_no_secret(fake, run)


def test_ctrl_c_while_waiting_for_the_code_is_517(tmp):
    with started() as fake:
        run = MicrosoftImport(fake, tmp)
        wait_for_user_code(fake)
        # Polling has begun: the program has shown the page and handles Ctrl-C.
        deadline = time.monotonic() + 20
        while not device_polls(fake):
            assert time.monotonic() < deadline, "the program never polled"
            time.sleep(0.02)
        run.process.send_signal(signal.SIGINT)
        assert run.finish() == 2
        assert "error 517" in run.stderr
        assert_no_secret(fake, run)


def test_browser_sign_in_comes_back_through_the_loopback_redirect(tmp):
    with started(contacts=5) as fake:
        run = MicrosoftImport(fake, tmp, service="office365", extra=["--auth-flow", "browser"])
        url = run.wait_for_line(fake.authorize_url("organizations"))
        location = fake.consent(url, allow=True, deliver=True)
        assert location.startswith("http://127.0.0.1:")
        assert run.finish() == 0, run.stderr
        assert [c["uid"] for c in run.payload()["contacts"]] == [c["id"] for c in fake.contacts]
        exchange = [r for r in fake.requests_to("/oauth2/v2.0/token") if r.form.get("grant_type") == ["authorization_code"]]
        assert len(exchange) == 1 and exchange[0].form.get("code_verifier")
        assert not fake.user_codes
        assert_no_secret(fake, run)


def test_cancel_on_the_consent_page_is_514(tmp):
    with started() as fake:
        run = MicrosoftImport(fake, tmp, extra=["--auth-flow", "browser"])
        url = run.wait_for_line(fake.authorize_url("consumers"))
        location = fake.consent(url, allow=False)
        assert "error=access_denied" in location
        # The browser gets its page before the import ends (the listener hands the answer
        # over only once the page is written), so the program cannot exit under it.
        with urllib.request.urlopen(location, timeout=10) as answer:
            assert "access not granted" in answer.read().decode()
        assert run.finish() == 2
        assert "error 514" in run.stderr and "AADSTS65004" in run.stderr
        assert_no_secret(fake, run)
