"""`contact-import import --server`: the command line as a client of a CloudSponge-compatible
server, against FakeCloudSponge (written from the protocol document). The three stages, paging,
events, the server's error codes, 401, 404 then 200, 410, a server that stalls or drops, Ctrl-C,
and the domain password never in argv, output, files or URLs."""
import json
import os
import signal
import subprocess
import threading
import time

import pytest

from fakes import FakeCloudSponge

BIN = os.environ.get("CONTACT_IMPORT_BIN")


def environment(api, home, password=None, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTACT_IMPORT_")}
    env.update({"HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"), "LANG": "C.UTF-8",
                "CONTACT_IMPORT_DOMAIN_PASSWORD": api.domain_password if password is None else password})
    env.update(extra)
    return env


class Run:
    """The program running against the fake; answers the consent page when its URL shows."""

    def __init__(self, api, home, *args, password=None, allow=True, stdin=None, env=None):
        assert BIN, "CONTACT_IMPORT_BIN must name the contact-import binary (scripts/test sets it)"
        self.command = [BIN, "import", "--server", api.url, "--domain-key", api.domain_key, "--qr", "none",
                        "--events", "lines", *args]
        self.process = subprocess.Popen(self.command, cwd=home, env=env or environment(api, home, password),
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.api = api
        self.allow = allow
        self.url = None
        self.saw_url = threading.Event()
        self.stderr_lines = []
        self.cmdline = None
        try:
            with open(f"/proc/{self.process.pid}/cmdline", "rb") as handle:
                self.cmdline = handle.read().decode(errors="replace")
        except OSError:
            pass
        if stdin is not None:
            self.process.stdin.write(stdin.encode())
        self.process.stdin.close()
        self.reader = threading.Thread(target=self._read_stderr, daemon=True)
        self.stdout_data = []
        self.out_reader = threading.Thread(target=lambda: self.stdout_data.append(self.process.stdout.read()), daemon=True)
        self.reader.start()
        self.out_reader.start()

    def _read_stderr(self):
        for raw in self.process.stderr:
            line = raw.decode(errors="replace").rstrip("\n")
            self.stderr_lines.append(line)
            if self.url is None and line.strip().startswith(self.api.url + "/n/"):
                self.url = line.strip()
                self.saw_url.set()
                if self.allow is not None:
                    try:
                        self.api.consent(self.url, allow=self.allow)
                    except AssertionError as refusal:
                        self.stderr_lines.append(f"(test: {refusal})")

    def finish(self, timeout=60):
        status = self.process.wait(timeout=timeout)
        self.reader.join(timeout=5)
        self.out_reader.join(timeout=5)
        return status

    @property
    def stderr(self):
        return "\n".join(self.stderr_lines)

    @property
    def stdout(self):
        return b"".join(self.stdout_data).decode(errors="replace")


def assert_password_kept(api, run, home):
    """The domain password is in no argument, output, file or URL the program made."""
    secret = api.domain_password
    assert secret not in " ".join(run.command)
    assert run.cmdline is None or secret not in run.cmdline
    assert secret not in run.stdout and secret not in run.stderr
    for path in home.rglob("*"):
        if path.is_file():
            assert secret not in path.read_text(errors="replace"), path
    for recorded in api.requests:
        assert all(secret not in v for values in recorded.query.values() for v in values)
        assert all(secret not in v for values in recorded.form.values() for v in values)


def test_the_three_stages_write_the_servers_contacts_as_vcard(tmp_path):
    with FakeCloudSponge(contacts=12) as api:
        run = Run(api, tmp_path, "--service", "demo", "--output", "book.vcf")
        assert run.finish() == 0, run.stderr
        cards = (tmp_path / "book.vcf").read_text().count("BEGIN:VCARD")
        assert cards == 12
        assert "wrote 12 contacts to book.vcf" in run.stderr
        # The consent URL is the server's, shown for the person to open.
        assert run.url.startswith(api.url + "/n/")
        begin = api.requests_to("/begin_import/")
        assert [(r.method, r.path) for r in begin] == [("POST", "/begin_import/user_consent.json")]
        assert begin[0].form["service"] == ["demo"]
        assert begin[0].headers["Authorization"].startswith("Basic ")
        import_id = next(iter(api.imports))
        events = api.requests_to(f"/events/{import_id}")
        assert len(events) >= 4 and all(r.status == 200 for r in events)
        # Polled no faster than once a second (protocol §5).
        gaps = [b.arrived - a.arrived for a, b in zip(events, events[1:])]
        assert min(gaps) >= 0.9, gaps
        assert "GATHERING COMPLETED 12" in run.stderr and "COMPLETE COMPLETED 0" in run.stderr
        assert_password_kept(api, run, tmp_path)


def test_json_output_keeps_the_servers_import_id_and_owner(tmp_path):
    with FakeCloudSponge(contacts=3) as api:
        run = Run(api, tmp_path, "--service", "GMAIL", "--format", "json")
        assert run.finish() == 0, run.stderr
        payload = json.loads(run.stdout)
        import_id = next(iter(api.imports))
        assert payload["import_id"] == import_id and payload["id"] == import_id
        assert payload["contacts_owner"]["email"][0]["address"] == "ada.owner@example.org"
        assert [c["email"][0]["address"] for c in payload["contacts"]] == [
            "remote001@example.org", "remote002@example.org", "remote003@example.org"]
        assert api.requests_to("/begin_import/")[0].form["service"] == ["gmail"]


def test_a_server_that_pages_is_read_page_by_page(tmp_path):
    with FakeCloudSponge(contacts=10, page_limit=4) as api:
        run = Run(api, tmp_path, "--service", "demo", "--format", "json")
        assert run.finish() == 0, run.stderr
        payload = json.loads(run.stdout)
        assert len(payload["contacts"]) == 10
        assert len({c["first_name"] for c in payload["contacts"]}) == 10
        pages = [(r.query["start"], r.extra["count"]) for r in api.requests_to("/contacts/")]
        assert pages == [(["0"], 4), (["4"], 4), (["8"], 2)]


def test_json_events_carry_the_servers_counts(tmp_path):
    with FakeCloudSponge(contacts=30, steps=3) as api:
        run = Run(api, tmp_path, "--service", "demo", "--events", "json", "--output", "out.json")
        assert run.finish() == 0, run.stderr
        objects = [json.loads(line) for line in run.stderr_lines if line.startswith("{")]
        assert objects, run.stderr
        values = [e["value"] for o in objects for e in o["events"] if e["event_type"] == "GATHERING"]
        assert 10 in values and 20 in values and values[-1] == 30
        assert all(o["import_id"] == next(iter(api.imports)) for o in objects)
        last = objects[-1]["events"][-1]
        assert (last["event_type"], last["status"], last["value"]) == ("COMPLETE", "COMPLETED", 0)


def test_an_error_event_ends_the_import_with_its_code(tmp_path):
    with FakeCloudSponge(contacts=5, fail_with=264) as api:
        run = Run(api, tmp_path, "--service", "demo", "--output", "out.vcf")
        assert run.finish() == 1, run.stderr
        assert "error 264: The address book is temporarily unavailable." in run.stderr
        assert "The import failed with 264." in run.stderr
        assert not (tmp_path / "out.vcf").exists()
        assert not api.requests_to("/contacts/")


def test_refused_consent_is_abandoned(tmp_path):
    with FakeCloudSponge(contacts=5) as api:
        run = Run(api, tmp_path, "--service", "demo", allow=False)
        assert run.finish() == 2, run.stderr
        assert "error 514" in run.stderr


def test_bad_credentials_are_error_1_and_the_password_is_not_shown(tmp_path):
    with FakeCloudSponge() as api:
        wrong = "wrong-password-4711"
        run = Run(api, tmp_path, "--service", "demo", password=wrong)
        assert run.finish() == 1, run.stderr
        assert "error 1: The domain key and password could not be authenticated." in run.stderr
        assert api.domain_key in run.stderr
        assert "hint: check the domain key" in run.stderr
        assert wrong not in run.stderr and wrong not in run.stdout
        assert [r.status for r in api.requests] == [401]


def test_the_password_can_come_from_standard_input(tmp_path):
    with FakeCloudSponge(contacts=2) as api:
        env = environment(api, tmp_path)
        del env["CONTACT_IMPORT_DOMAIN_PASSWORD"]
        run = Run(api, tmp_path, "--service", "demo", "--domain-password-stdin", "--format", "json",
                  stdin=api.domain_password + "\n", env=env)
        assert run.finish() == 0, run.stderr
        assert len(json.loads(run.stdout)["contacts"]) == 2
        assert_password_kept(api, run, tmp_path)


def test_the_server_and_its_key_can_come_from_the_settings_file(tmp_path):
    with FakeCloudSponge(contacts=2, auto_consent=True, steps=1) as api:
        config = tmp_path / "config" / "contact-import"
        config.mkdir(parents=True)
        (config / "config").write_text(f"remote.url = {api.url}/\nremote.domain-key = {api.domain_key}\n")
        result = subprocess.run([BIN, "import", "--service", "demo", "--format", "json", "--qr", "none", "--events", "none"],
                                cwd=tmp_path, env=environment(api, tmp_path), capture_output=True, text=True,
                                timeout=60, stdin=subprocess.DEVNULL)
        assert result.returncode == 0, result.stderr
        assert len(json.loads(result.stdout)["contacts"]) == 2
        assert api.requests_to("/begin_import/")


def test_without_a_domain_key_or_password_it_is_a_usage_error(tmp_path):
    with FakeCloudSponge() as api:
        env = environment(api, tmp_path)
        result = subprocess.run([BIN, "import", "--server", api.url, "--service", "demo"], env=env,
                                capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
        assert result.returncode == 64
        assert "--domain-key" in result.stderr
        del env["CONTACT_IMPORT_DOMAIN_PASSWORD"]
        result = subprocess.run([BIN, "import", "--server", api.url, "--domain-key", api.domain_key, "--service", "demo"],
                                env=env, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
        assert result.returncode == 64
        assert "CONTACT_IMPORT_DOMAIN_PASSWORD" in result.stderr
        assert api.requests == []


def test_contacts_not_ready_yet_are_asked_for_again(tmp_path):
    with FakeCloudSponge(contacts=4, contacts_not_ready=2) as api:
        run = Run(api, tmp_path, "--service", "demo", "--format", "json")
        assert run.finish() == 0, run.stderr
        assert len(json.loads(run.stdout)["contacts"]) == 4
        assert [r.status for r in api.requests_to("/contacts/")] == [404, 404, 200]


def test_contacts_past_their_retention_are_gone(tmp_path):
    with FakeCloudSponge(contacts=4, retention=0) as api:
        run = Run(api, tmp_path, "--service", "demo", "--output", "out.vcf")
        assert run.finish() == 1, run.stderr
        assert "the retention window has passed" in run.stderr
        assert [r.status for r in api.requests_to("/contacts/")] == [410]
        assert not (tmp_path / "out.vcf").exists()


def test_unknown_service_and_missing_credentials_keep_the_servers_codes(tmp_path):
    with FakeCloudSponge() as api:
        run = Run(api, tmp_path, "--service", "hotmail.example")
        assert run.finish() == 1, run.stderr
        assert "error 261" in run.stderr and "not recognised" in run.stderr


def test_a_local_file_is_refused_before_anything_is_sent(tmp_path):
    (tmp_path / "book.vcf").write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nEND:VCARD\r\n")
    with FakeCloudSponge() as api:
        run = Run(api, tmp_path, "--service", "vcard", "--file", "book.vcf")
        assert run.finish() == 1, run.stderr
        assert "error 2" in run.stderr and "upload it on the server's page" in run.stderr
        assert api.requests == []


def test_a_username_password_service_sends_them_in_the_body(tmp_path):
    with FakeCloudSponge(contacts=3) as api:
        env = environment(api, tmp_path, CONTACT_IMPORT_PASSWORD="end-user-secret-99")
        run = Run(api, tmp_path, "--service", "icloud", "--username", "ada@example.org", "--format", "json", env=env)
        assert run.finish() == 0, run.stderr
        begin = api.requests_to("/begin_import/")[0]
        assert begin.path == "/begin_import/import.json"
        assert begin.form["username"] == ["ada@example.org"] and begin.form["password"] == ["end-user-secret-99"]
        assert begin.query == {}
        assert "end-user-secret-99" not in run.stderr + run.stdout
        assert len(json.loads(run.stdout)["contacts"]) == 3


@pytest.mark.parametrize("knob", ["stall_events", "drop_events"])
def test_a_server_that_stalls_or_drops_ends_with_518(tmp_path, knob):
    with FakeCloudSponge(auto_consent=True, **{knob: True}) as api:
        env = environment(api, tmp_path, CONTACT_IMPORT_REMOTE_TIMEOUT="1")
        run = Run(api, tmp_path, "--service", "demo", "--output", "out.vcf", env=env, allow=None)
        assert run.finish(timeout=90) == 1, run.stderr
        assert "error 518" in run.stderr
        assert f"The server at {api.url.split('//')[1]} " in run.stderr
        if knob == "stall_events":
            assert "did not answer in time" in run.stderr
        assert not (tmp_path / "out.vcf").exists()


def test_a_server_that_stalls_on_the_contacts_ends_with_518(tmp_path):
    with FakeCloudSponge(auto_consent=True, steps=1, stall_contacts=True) as api:
        env = environment(api, tmp_path, CONTACT_IMPORT_REMOTE_TIMEOUT="1")
        run = Run(api, tmp_path, "--service", "demo", "--output", "out.vcf", env=env, allow=None)
        assert run.finish(timeout=90) == 1, run.stderr
        assert "error 518" in run.stderr and "did not answer in time" in run.stderr
        assert not (tmp_path / "out.vcf").exists()


def test_a_contact_the_client_cannot_read_is_listed_not_dropped(tmp_path):
    good = {"first_name": "Ada", "last_name": "Lovelace", "email": [{"address": "ada@example.org"}], "phone": []}
    broken = {"first_name": "Broken", "last_name": "Record", "email": 5, "phone": []}
    with FakeCloudSponge(contacts=[good, broken, dict(good, first_name="Alan")]) as api:
        run = Run(api, tmp_path, "--service", "demo", "--format", "json")
        assert run.finish() == 0, run.stderr
        assert [c["first_name"] for c in json.loads(run.stdout)["contacts"]] == ["Ada", "Alan"]
        assert "skipped 1 record" in run.stderr


def test_a_server_that_is_not_there_is_518(tmp_path):
    api = FakeCloudSponge().start()
    api.stop()
    run = Run(api, tmp_path, "--service", "demo")
    assert run.finish() == 1, run.stderr
    assert "error 518" in run.stderr


def test_ctrl_c_while_waiting_for_consent_is_517(tmp_path):
    with FakeCloudSponge() as api:
        run = Run(api, tmp_path, "--service", "demo", allow=None)
        assert run.saw_url.wait(30), run.stderr
        time.sleep(0.5)
        run.process.send_signal(signal.SIGINT)
        assert run.finish() == 2, run.stderr
        assert "error 517: The import was cancelled." in run.stderr
        assert_password_kept(api, run, tmp_path)
