"""Two `contact-import serve` instances on one PostgreSQL, as behind a load balancer:
an import begun on the first is polled and downloaded on the second; when the first is
killed mid-import, the second ends the import with ERROR 518 once the lease lapses, so
no client polls forever.
"""
import base64
import subprocess
import time

import pytest
import requests

from postgres_server import BIN, DatabaseServer, FreshDatabase, add_account, environment

TIMEOUT = 15
LEASE_SECONDS = 4
VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Smith;Jane;;;\r\nFN:Jane Smith\r\n"
    "EMAIL;TYPE=home:jane@example.com\r\nTEL;TYPE=home:555.5678\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Müller;Zoë;;;\r\nFN:Zoë Müller\r\nEMAIL:zoe@example.com\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;John;;;\r\nFN:John Doe\r\nEMAIL:john@example.com\r\nEND:VCARD\r\n"
)


@pytest.fixture
def database():
    fresh = FreshDatabase()
    yield fresh
    fresh.drop()


@pytest.fixture
def pair(database, tmp_path):
    account = add_account(database.url, "alpha", env=environment(str(tmp_path)))
    settings = {"server.lease-seconds": LEASE_SECONDS}
    first = DatabaseServer(database.url, settings)
    try:
        second = DatabaseServer(database.url, settings)
    except BaseException:
        first.stop()
        raise
    yield first, second, account
    first.stop()
    second.stop()


def auth(account):
    token = base64.b64encode(f"{account['domain_key']}:{account['domain_password']}".encode()).decode()
    return {"Authorization": "Basic " + token}


def get(server, path, account, params=None):
    return requests.get(server.base + path, params=params, headers=auth(account), timeout=TIMEOUT)


def begin_upload(server, account):
    answer = requests.post(server.base + "/begin_import/user_consent", params={"service": "vcard"}, headers=auth(account),
                           timeout=TIMEOUT)
    assert answer.status_code == 200, answer.text
    return answer.json()


def poll_until_complete(server, import_id, account, limit):
    """Polls `events` once every 0.2 s until COMPLETE appears; the events and the seconds taken."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        answer = get(server, f"/events/{import_id}", account)
        assert answer.status_code == 200, answer.text
        events = answer.json()["events"]
        if any(event["event_type"] == "COMPLETE" for event in events):
            return events, time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"import {import_id} did not end within {limit} s")


def test_an_import_begun_on_one_instance_is_polled_and_downloaded_on_another(pair):
    first, second, account = pair
    began = begin_upload(first, account)
    import_id = began["import_id"]
    assert 1 <= import_id <= 2**31 - 1
    # Before the upload: the second instance knows the import and has no contacts yet.
    assert get(second, f"/events/{import_id}", account).json()["events"][0]["event_type"] == "INITIALIZING"
    assert get(second, f"/contacts/{import_id}", account).status_code == 404

    page = requests.get(began["url"], timeout=TIMEOUT)
    assert page.status_code == 200
    sent = requests.post(began["url"], files={"file": ("contacts.vcf", VCARD.encode())}, data={"action": "upload"},
                         timeout=TIMEOUT, allow_redirects=False)
    assert sent.status_code in (200, 303), sent.text

    events, _ = poll_until_complete(second, import_id, account, limit=60)
    assert [(e["event_type"], e["status"]) for e in events] == [
        ("INITIALIZING", "COMPLETED"), ("GATHERING", "COMPLETED"), ("COMPLETE", "COMPLETED")]
    assert events[1]["value"] == 3

    downloaded = get(second, f"/contacts/{import_id}", account)
    assert downloaded.status_code == 200, downloaded.text
    body = downloaded.json()
    assert body["total"] == 3 and body["import_id"] == import_id
    names = [(c["first_name"], c["last_name"]) for c in body["contacts"]]
    assert names == [("Jane", "Smith"), ("Zoë", "Müller"), ("John", "Doe")]
    # The first instance answers the same; paging works on either.
    assert get(first, f"/contacts/{import_id}", account).json()["contacts"] == body["contacts"]
    paged = get(second, f"/contacts/{import_id}", account, {"start": 1, "count": 1}).json()
    assert paged["contacts"] == body["contacts"][1:2] and paged["start"] == 1 and paged["count"] == 1
    # XML from the second instance too.
    xml = get(second, f"/contacts/{import_id}.xml", account)
    assert xml.status_code == 200 and "<first-name>Zoë</first-name>" in xml.text


def test_an_instance_killed_mid_import_is_reported_failed_by_another(pair, database):
    first, second, account = pair
    began = begin_upload(first, account)
    import_id = began["import_id"]
    # Nobody uploads: the import waits on the first instance, which renews its lease.
    time.sleep(LEASE_SECONDS * 2)
    events = get(second, f"/events/{import_id}", account).json()["events"]
    assert [(e["event_type"], e["status"]) for e in events] == [("INITIALIZING", "INPROGRESS")]

    first.kill()
    killed = time.monotonic()
    events, waited = poll_until_complete(second, import_id, account, limit=LEASE_SECONDS * 10 + 30)
    print(f"ERROR 518 reported {time.monotonic() - killed:.1f} s after the kill (lease {LEASE_SECONDS} s)")
    assert [(e["event_type"], e["status"], e["value"]) for e in events] == [
        ("INITIALIZING", "ERROR", 518), ("COMPLETE", "ERROR", 518)]
    # Written once, and it stays so.
    assert database.query(f"SELECT count(*) FROM events WHERE import_id = {import_id} AND type = 'COMPLETE'") == "1"
    again = get(second, f"/events/{import_id}", account).json()["events"]
    assert again == events
    contacts = get(second, f"/contacts/{import_id}", account)
    assert contacts.status_code == 200 and contacts.json()["contacts"] == []
    # The second instance goes on serving new imports.
    assert begin_upload(second, account)["status"] == "success"


def test_retention_on_the_database_answers_410_then_forgets_on_every_instance(database, tmp_path):
    account = add_account(database.url, "alpha", env=environment(str(tmp_path)))
    settings = {"server.lease-seconds": LEASE_SECONDS, "server.retention-seconds": 2, "server.forget-after-seconds": 4}
    first = DatabaseServer(database.url, settings)
    second = DatabaseServer(database.url, settings)
    try:
        began = begin_upload(first, account)
        import_id = began["import_id"]
        sent = requests.post(began["url"], files={"file": ("contacts.vcf", VCARD.encode())}, data={"action": "upload"},
                             timeout=TIMEOUT, allow_redirects=False)
        assert sent.status_code in (200, 303), sent.text
        poll_until_complete(second, import_id, account, limit=60)
        assert get(second, f"/contacts/{import_id}", account).status_code == 200
        statuses = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status = get(second, f"/contacts/{import_id}", account).status_code
            if not statuses or statuses[-1] != status:
                statuses.append(status)
            if status == 404:
                break
            time.sleep(0.2)
        # 200 until the retention window ends, 410 after it, and once the import is
        # forgotten its id is unknown (404) on both instances.
        assert statuses == [200, 410, 404], statuses
        assert get(first, f"/events/{import_id}", account).status_code == 404
        assert database.query(f"SELECT count(*) FROM contacts WHERE import_id = {import_id}") == "0"
    finally:
        first.stop()
        second.stop()


def test_the_database_password_never_goes_on_the_command_line_or_into_messages(database, tmp_path):
    env = environment(str(tmp_path))
    secret = env.get("PGPASSWORD", "")
    assert secret, "PGPASSWORD must hold the test database's password (scripts/test sets it)"
    with_password = database.url.replace("://contact_import@", f"://contact_import:{secret}@")
    assert secret in with_password
    refused = subprocess.run([BIN, "accounts", "add", "x", "--database", with_password], capture_output=True, timeout=60, env=env)
    assert refused.returncode != 0
    assert b"PGPASSWORD" in refused.stderr and secret.encode() not in refused.stderr + refused.stdout
    # From the environment the same URL is accepted, and nothing shows the password.
    env_without = {k: v for k, v in env.items() if k != "PGPASSWORD"}
    env_without["CONTACT_IMPORT_SERVER_DATABASE"] = with_password
    env_without["CONTACT_IMPORT_SERVER_LEASE_SECONDS"] = "3"
    server = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=env_without)
    try:
        deadline = time.monotonic() + 60
        listening = None
        lines = []
        while time.monotonic() < deadline and listening is None:
            line = server.stderr.readline()
            if not line:
                break
            lines.append(line)
            if b'"listening"' in line:
                listening = line
        assert listening, b"".join(lines).decode()
        assert b'"database":"postgres://contact_import@127.0.0.1:' in listening
        # A wrong password is told at once, by name, without the password.
        env_wrong = dict(env, PGPASSWORD="not-the-password")
        wrong = subprocess.run([BIN, "accounts", "add", "x", "--database", database.url], capture_output=True, timeout=60,
                               env=env_wrong)
        assert wrong.returncode != 0 and b"password authentication failed" in wrong.stderr
        assert b"not-the-password" not in wrong.stderr
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)
    assert secret.encode() not in b"".join(lines) + out + err
