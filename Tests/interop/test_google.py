"""Google imports end to end: the contact-import binary against the local fake of Google's
OAuth and People API (fakes/google.py). Consent is given over HTTP the way a browser would,
by headless Chromium, or by pasting the address into the terminal UI. After every test no
token, code, verifier or client secret the fake knows may appear in what the program printed
or in any file it wrote.
"""
import json
import os
import pathlib
import queue
import re
import shlex
import subprocess
import threading
import time
import urllib.parse

import pytest

from fakes.google import CONTACTS_OTHER_READONLY, FakeGoogle
from fakes import people
from tmux_session import TmuxUI

BIN = os.environ.get("CONTACT_IMPORT_BIN")
AUTH_LINE = re.compile(r"^http://127\.0\.0\.1:\d+/o/oauth2/v2/auth\?\S+$")


def environment(fake, home, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTACT_IMPORT_") or k == "CONTACT_IMPORT_BIN"}
    env.update({
        "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"), "LANG": "C.UTF-8",
        "CONTACT_IMPORT_GOOGLE_CLIENT_ID": fake.client_id,
        "CONTACT_IMPORT_GOOGLE_CLIENT_SECRET": fake.client_secret,
        "CONTACT_IMPORT_GOOGLE_AUTH_URL": fake.auth_url,
        "CONTACT_IMPORT_GOOGLE_TOKEN_URL": fake.token_url,
        "CONTACT_IMPORT_GOOGLE_REVOKE_URL": fake.revoke_url,
        "CONTACT_IMPORT_GOOGLE_PEOPLE_URL": fake.people_url,
        # Retries a twentieth of a second apart: the tests need not wait a second per try.
        "CONTACT_IMPORT_API_RETRY_DELAY_MS": "50",
        "CONTACT_IMPORT_API_TIMEOUT": "10",
    })
    env.update(extra)
    return env


class GoogleImport:
    """`contact-import import --service gmail` in the background, stderr read line by line."""

    def __init__(self, fake, home, *args, env=None):
        assert BIN, "CONTACT_IMPORT_BIN must name the contact-import binary (scripts/test sets it)"
        self.output = home / "contacts.json"
        command = [BIN, "import", "--service", "gmail", "--events", "json", "--qr", "none", "--format", "json",
                   "--output", str(self.output), *args]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=home,
                                        env=environment(fake, home, **(env or {})))
        self.lines = queue.Queue()
        self.stderr = []
        self.stdout = b""
        threading.Thread(target=self._read_stderr, daemon=True).start()
        self._stdout_reader = threading.Thread(target=self._read_stdout, daemon=True)
        self._stdout_reader.start()

    def _read_stderr(self):
        for raw in self.process.stderr:
            line = raw.decode("utf-8", errors="replace").rstrip("\n")
            self.stderr.append(line)
            self.lines.put(line)

    def _read_stdout(self):
        self.stdout = self.process.stdout.read()

    def consent_url(self, timeout=20):
        deadline = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if AUTH_LINE.match(line):
                return line

    def finish(self, timeout=45):
        status = self.process.wait(timeout=timeout)
        self._stdout_reader.join(timeout=10)
        time.sleep(0.05)
        return status

    def payload(self):
        return json.loads(self.output.read_text())

    def events(self):
        found = []
        for line in self.stderr:
            try:
                found.append(json.loads(line))
            except ValueError:
                continue
        return found

    def error_code(self):
        for event in self.events():
            for item in event.get("events", []) if isinstance(event, dict) else []:
                if item.get("status") == "ERROR":
                    return item.get("value")
        return None

    @property
    def text(self):
        return "\n".join(self.stderr) + self.stdout.decode("utf-8", errors="replace")

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def assert_no_secrets(fake, home, *texts):
    secrets = [s for s in fake.secrets if s]
    assert secrets, "the fake issued nothing to look for"
    written = [p for p in pathlib.Path(home).rglob("*") if p.is_file()]
    for secret in secrets:
        for text in texts:
            assert secret not in text, f"a secret ({secret[:8]}…) was printed"
        for path in written:
            assert secret.encode() not in path.read_bytes(), f"a secret ({secret[:8]}…) is in {path.name}"


@pytest.fixture
def google_import(tmp_path):
    started = []

    def start(fake, *args, env=None):
        job = GoogleImport(fake, tmp_path, *args, env=env)
        started.append(job)
        return job

    yield start
    for job in started:
        job.stop()


# -- what the program should make of the fake's records -------------------------------------

EMAIL_LABELS = {"home": "home", "work": "work", "other": "other"}
PHONE_LABELS = {"home": "home", "work": "work", "other": "other", "mobile": "mobile", "main": "main",
                "homeFax": "home fax", "workFax": "work fax", "otherFax": "other fax", "pager": "pager"}


def text(value):
    return value if isinstance(value, str) and value.strip() else None


def label(kind, formatted, known):
    kind = text(kind)
    if kind is None:
        return text(formatted)
    return known.get(kind) or text(formatted) or kind


def ordered(items):
    items = list(items or [])
    for index, item in enumerate(items):
        if (item.get("metadata") or {}).get("primary"):
            return [items[index]] + items[:index] + items[index + 1:]
    return items


def east_asian(value):
    letters = 0
    for ch in value:
        code = ord(ch)
        if code in (0x20, 0x30FB, 0x3000):
            continue
        if (0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF
                or 0x20000 <= code <= 0x3134F or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F
                or 0xAC00 <= code <= 0xD7AF):
            letters += 1
        else:
            return False
    return letters > 0


def joined(first, middle, last):
    parts = [p for p in (first, middle, last) if p]
    if len(parts) <= 1:
        return parts[0] if parts else ""
    if all(east_asian(p) for p in parts):
        return "".join(p for p in (last, first, middle) if p)
    return " ".join(parts)


def calendar_date(date):
    if not isinstance(date, dict):
        return None
    year, month, day = date.get("year") or None, date.get("month"), date.get("day")
    if not month or not day or not 1 <= month <= 12 or day < 1:
        return None
    if day > [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]:
        return None
    if year is not None and month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return None
    return year, month, day


def expected_contact(person, group_names):
    name = ordered(person.get("names"))[0] if person.get("names") else {}
    first, middle, last = text(name.get("givenName")), text(name.get("middleName")), text(name.get("familyName"))
    prefix, suffix = text(name.get("honorificPrefix")), text(name.get("honorificSuffix"))
    display = text(name.get("displayName"))
    plain = joined(first, middle, last)
    if display in (plain, " ".join(p for p in (prefix, plain, suffix) if p)):
        display = None
    extra = []
    nicknames = [text(n.get("value")) for n in ordered(person.get("nicknames")) if text(n.get("value"))]
    extra += [f"Nickname: {n}" for n in nicknames[1:]]

    def entries(items, key, labels):
        values = [{key: text(i.get("value")), "type": label(i.get("type"), i.get("formattedType"), labels),
                   "flag": bool((i.get("metadata") or {}).get("primary"))} for i in items or [] if text(i.get("value"))]
        primary = next((v for v in values if v["flag"]), values[0] if values else None)
        result, marked = [], False
        for v in values:
            entry = {key: v[key], "type": v["type"]}
            if not marked and v == primary:
                entry["primary"] = True
                marked = True
            result.append(entry)
        return result

    addresses = []
    for a in person.get("addresses") or []:
        fields = {"type": label(a.get("type"), a.get("formattedType"), EMAIL_LABELS), "street": text(a.get("streetAddress")),
                  "city": text(a.get("city")), "region": text(a.get("region")), "postal_code": text(a.get("postalCode")),
                  "country": text(a.get("country")), "formatted": text(a.get("formattedValue")),
                  "po_box": text(a.get("poBox")), "extended": text(a.get("extendedAddress"))}
        if all(fields[k] is None for k in fields if k != "type"):
            continue
        if (a.get("metadata") or {}).get("primary"):
            fields["primary"] = True
        addresses.append(fields)
    organizations = ordered(person.get("organizations"))
    birthday = None
    for b in ordered(person.get("birthdays")):
        if birthday is None and b.get("date") is not None and calendar_date(b["date"]):
            birthday = calendar_date(b["date"])
        elif birthday is None and b.get("date") is None and text(b.get("text")):
            extra.append(f"Birthday: {b['text']}")
    for e in ordered(person.get("events")):
        date = calendar_date(e.get("date"))
        if date:
            shown = f"{date[0]:04d}-{date[1]:02d}-{date[2]:02d}" if date[0] else f"--{date[1]:02d}-{date[2]:02d}"
            extra.append(f"{text(e.get('formattedType')) or text(e.get('type')) or 'Date'}: {shown}")
    for u in person.get("userDefined") or []:
        if text(u.get("value")):
            extra.append(f"{u['key']}: {u['value']}" if text(u.get("key")) else u["value"])
    notes = "\n".join([text(b.get("value")) for b in ordered(person.get("biographies")) if text(b.get("value"))] + extra)
    groups = []
    for m in person.get("memberships") or []:
        group = text((m.get("contactGroupMembership") or {}).get("contactGroupId"))
        if group is None or group == "myContacts":
            continue
        shown = group_names.get(group, group)
        if shown not in groups:
            groups.append(shown)
    return {
        "first_name": first, "last_name": last,
        "phone": [{"number": e["value"], **{k: v for k, v in e.items() if k != "value"}}
                  for e in entries(person.get("phoneNumbers"), "value", PHONE_LABELS)],
        "email": [{"address": e["value"], **{k: v for k, v in e.items() if k != "value"}}
                  for e in entries(person.get("emailAddresses"), "value", EMAIL_LABELS)],
        "address": addresses, "groups": groups,
        "dob": f"{birthday[0]:04d}-{birthday[1]:02d}-{birthday[2]:02d}" if birthday and birthday[0] else None,
        "birthday": f"{birthday[1]:02d}-{birthday[2]:02d}" if birthday else None,
        "companies": [text(o.get("name")) for o in organizations if text(o.get("name"))],
        "job_title": text(organizations[0].get("title")) if organizations else None,
        "title": prefix,
        "photos": [p["url"] for p in person.get("photos") or [] if not p.get("default") and text(p.get("url"))],
        "locations": [], "middle_name": middle, "suffix": suffix, "display_name": display,
        "nickname": nicknames[0] if nicknames else None,
        "department": text(organizations[0].get("department")) if organizations else None,
        "urls": [{"url": u["value"], "type": text(u.get("type")) or text(u.get("formattedType"))}
                 for u in person.get("urls") or [] if text(u.get("value"))],
        "notes": notes or None, "uid": person.get("resourceName"),
    }


def group_names(fake):
    names = {group_id: name for group_id, name in people.GOOGLE_SYSTEM_GROUPS}
    names.update({g["id"]: g["name"] for g in fake.groups})
    return names


# -- the tests ------------------------------------------------------------------------------

def test_three_pages_with_groups_owner_progress_and_revocation(google_import, tmp_path):
    with FakeGoogle(contacts=2345) as fake:
        job = google_import(fake)
        url = job.consent_url()
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
        assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
        assert query["access_type"] == ["offline"] and query["prompt"] == ["consent"]
        assert query["scope"] == ["https://www.googleapis.com/auth/contacts.readonly"]
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", query["redirect_uri"][0])
        assert len(query["state"][0]) >= 32
        fake.consent(url, deliver=True)
        assert job.finish() == 0, job.text
        payload = job.payload()
        assert len(payload["contacts"]) == 2345
        assert payload["contacts_owner"]["first_name"] == "Ada"
        assert payload["contacts_owner"]["email"][0]["address"] == "ada.tester@gmail.example"
        pages = fake.requests_to("/v1/people/me/connections")
        assert len(pages) == 3
        # Every page repeats the first request's parameters.
        for page in pages:
            assert page.query["pageSize"] == ["1000"]
            assert page.query["personFields"] == pages[0].query["personFields"]
        assert "pageToken" not in pages[0].query and all("pageToken" in p.query for p in pages[1:])
        gathering = [e["value"] for ev in job.events() if isinstance(ev, dict)
                     for e in ev.get("events", []) if e.get("event_type") == "GATHERING"]
        assert gathering and max(gathering) == 2345
        assert fake.revoked, "the grant was not revoked"
        assert fake.errors == []
        assert_no_secrets(fake, tmp_path, job.text)


def test_empty_address_book_completes_with_no_contacts(google_import, tmp_path):
    with FakeGoogle(contacts=0) as fake:
        job = google_import(fake)
        fake.consent(job.consent_url(), deliver=True)
        assert job.finish() == 0, job.text
        assert job.payload()["contacts"] == []
        assert fake.revoked
        assert_no_secrets(fake, tmp_path, job.text)


def test_contacts_box_left_unticked_is_514(google_import, tmp_path):
    with FakeGoogle(contacts=5) as fake:
        job = google_import(fake, "--param", "include=other-contacts")
        fake.consent(job.consent_url(), scopes=[CONTACTS_OTHER_READONLY], deliver=True)
        assert job.finish() != 0
        assert job.error_code() == 514, job.text
        assert "your contacts was not granted" in job.text
        assert fake.requests_to("/v1/people/me/connections") == []
        assert fake.revoked
        assert_no_secrets(fake, tmp_path, job.text)


def test_cancel_on_googles_page_is_514(google_import, tmp_path):
    with FakeGoogle(contacts=5) as fake:
        job = google_import(fake)
        location = fake.consent(job.consent_url(), allow=False, deliver=True)
        assert "error=access_denied" in location
        assert job.finish() != 0
        assert job.error_code() == 514, job.text
        assert "denied on Google's page" in job.text
        assert fake.token_responses == []


def test_429_with_retry_after_on_page_two_is_waited_out(google_import, tmp_path):
    with FakeGoogle(contacts=2100, rate_limit_on_page=2, retry_after=1) as fake:
        job = google_import(fake)
        fake.consent(job.consent_url(), deliver=True)
        assert job.finish() == 0, job.text
        assert len(job.payload()["contacts"]) == 2100
        statuses = [r.status for r in fake.requests_to("/v1/people/me/connections")]
        assert statuses == [200, 429, 200, 200]
        assert_no_secrets(fake, tmp_path, job.text)


def test_access_token_expiring_mid_import_is_refreshed_once(google_import, tmp_path):
    # Groups and page 1 use the first token; page 2 gets 401, the token is refreshed.
    with FakeGoogle(contacts=2100, expire_after_requests=2) as fake:
        job = google_import(fake)
        fake.consent(job.consent_url(), deliver=True)
        assert job.finish() == 0, job.text
        assert len(job.payload()["contacts"]) == 2100
        grants = [r.form.get("grant_type") for r in fake.requests_to("/token")]
        assert grants[0] == ["authorization_code"] and len(grants) >= 2
        assert all(g == ["refresh_token"] for g in grants[1:])
        assert 401 in [r.status for r in fake.requests_to("/v1/people/me/connections")]
        assert_no_secrets(fake, tmp_path, job.text)


def test_provider_gone_mid_import_is_518(google_import, tmp_path):
    with FakeGoogle(contacts=2100, stop_after_page=1) as fake:
        # A refused connection is tried again until the connect timeout: a short one here.
        job = google_import(fake, env={"CONTACT_IMPORT_API_IMPORT_DEADLINE": "30", "CONTACT_IMPORT_API_ATTEMPTS": "3",
                                       "CONTACT_IMPORT_API_TIMEOUT": "2"})
        fake.consent(job.consent_url(), deliver=True)
        assert job.finish(timeout=40) != 0
        # 518 (unreachable), not 258: the failure was seen, not the import's deadline.
        assert job.error_code() == 518, job.text
        assert not job.output.exists()
        assert_no_secrets(fake, tmp_path, job.text)


def test_malformed_person_records_are_skipped_and_reported(google_import, tmp_path):
    with FakeGoogle(contacts=40, malformed=6) as fake:
        job = google_import(fake)
        fake.consent(job.consent_url(), deliver=True)
        assert job.finish() == 0, job.text
        uids = {c["uid"] for c in job.payload()["contacts"]}
        skipped = next(e for e in job.events() if isinstance(e, dict) and "skipped" in e)["skipped"]
        reasons = "\n".join(s["reason"] for s in skipped)
        # Records that break the schema are skipped, each named; null names and a membership
        # of another kind are valid Person JSON and are imported.
        broken = [n for n in fake.malformed_resource_names if not n.endswith(("names-null", "membership-without-group"))]
        assert len(skipped) == len(broken) == 4
        for name in broken:
            assert name in reasons and name not in uids
        assert len(uids) == 40 + 2
        assert "emailAddresses[0].value is not text" in reasons
        assert_no_secrets(fake, tmp_path, job.text)


def test_five_thousand_contacts_arrive_with_every_field(google_import, tmp_path):
    with FakeGoogle(contacts=5000, other_contacts=30) as fake:
        job = google_import(fake, "--param", "include=other-contacts")
        fake.consent(job.consent_url(), deliver=True)
        assert job.finish(timeout=60) == 0, job.text
        contacts = job.payload()["contacts"]
        names = group_names(fake)
        expected = [expected_contact(p, names) for p in fake.contacts + fake.other_contacts]
        assert len(contacts) == len(expected) == 5030
        for got, want in zip(contacts, expected):
            assert got == want, f"{want['uid']}: {got} != {want}"
        assert_no_secrets(fake, tmp_path, job.text)


# -- consent through a browser and through the terminal UI -----------------------------------

@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=412,915"]:
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def test_chromium_clicks_allow_and_lands_on_the_loopback_page(google_import, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    with FakeGoogle(contacts=25) as fake:
        job = google_import(fake)
        url = job.consent_url()
        redirect = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["redirect_uri"][0]
        browser.get(url)
        WebDriverWait(browser, 15).until(expected_conditions.element_to_be_clickable((By.ID, "allow"))).click()
        WebDriverWait(browser, 15).until(lambda b: "You may close this tab" in b.page_source)
        assert browser.current_url.startswith(redirect + "/?")
        assert "access granted" in browser.title
        assert job.finish() == 0, job.text
        assert len(job.payload()["contacts"]) == 25
        assert_no_secrets(fake, tmp_path, job.text)


def test_terminal_ui_takes_the_pasted_address_when_the_redirect_fails(tmp_path):
    with FakeGoogle(contacts=12) as fake:
        session = TmuxUI(f"{shlex.quote(BIN)} tui --service gmail", tmp_path, environment(fake, tmp_path))
        try:
            session.wait_for(r"^Open the page above")
            lines = session.screen().split("\n")
            end = next(i for i, line in enumerate(lines) if line.startswith("Open the page above"))
            url = "".join(line.strip() for line in lines[1:end])
            assert AUTH_LINE.match(url), session.screen()
            session.wait_for(r"press p and paste the address")
            # The browser is elsewhere: the redirect never reaches the program.
            location = fake.consent(url, deliver=False)
            state = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)["state"][0]
            session.keys("p")
            session.wait_for(r"^Address: ")
            session.type(location.replace(state, "not-this-sign-in"))
            session.keys("Enter")
            session.wait_for(r"state does not match")
            assert "waiting for consent" in session.screen()
            session.type(location)
            session.keys("Enter")
            session.wait_for(r"COMPLETE: 12 contacts", timeout=30)
            code = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)["code"][0]
            assert code not in session.screen()
            assert fake.revoked
            assert_no_secrets(fake, tmp_path)
        finally:
            session.kill()


def test_import_on_a_terminal_asks_for_the_address_while_it_waits(tmp_path):
    with FakeGoogle(contacts=7) as fake:
        command = f"{shlex.quote(BIN)} import --service gmail --qr none --events lines --format json --output out.json"
        session = TmuxUI(command, tmp_path, environment(fake, tmp_path), width=120, height=40)
        try:
            session.wait_for(r"Paste the address your browser ended on")
            screen = session.screen(joined=True)
            url = next(line.strip() for line in screen.split("\n") if AUTH_LINE.match(line.strip()))
            port = urllib.parse.urlsplit(urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["redirect_uri"][0]).port
            assert f"ssh -L {port}:127.0.0.1:{port}" in screen
            location = fake.consent(url, deliver=False)
            state = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)["state"][0]
            session.type(location.replace(state, "not-this-sign-in"))
            session.keys("Enter")
            session.wait_for(r"does not match")
            session.type(location)
            session.keys("Enter")
            session.wait_for(r"got the address")
            deadline = time.monotonic() + 30
            while not (tmp_path / "out.json").exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(0.3)
            payload = json.loads((tmp_path / "out.json").read_text())
            assert len(payload["contacts"]) == 7
            assert fake.revoked
            assert_no_secrets(fake, tmp_path)
        finally:
            session.kill()


class BrokenPeopleAPI:
    """A People API that answers every contacts page one way (the sign-in stays with the
    fake): a body that is not JSON, a 403, or a 401 whatever the token."""

    def __init__(self, answer):
        import http.server

        status, body = answer
        self.pages = 0
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path.startswith("/v1/contactGroups"):
                    code, text = 200, '{"contactGroups": []}'
                else:
                    # The account's profile is asked for beside the first page; only the
                    # pages of contacts are counted.
                    if self.path.startswith("/v1/people/me/connections"):
                        owner.pages += 1
                    code, text = status, body
                data = text.encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("answer, code", [
    ((200, '{"connections": [ {"names": '), 518),
    ((403, '{"error": {"code": 403, "message": "The caller does not have permission", "status": "PERMISSION_DENIED"}}'), 514),
    ((401, '{"error": {"code": 401, "message": "Request had invalid authentication credentials.", "status": "UNAUTHENTICATED"}}'), 512),
])
def test_people_api_refusals_end_with_their_codes(google_import, tmp_path, answer, code):
    api = BrokenPeopleAPI(answer)
    try:
        with FakeGoogle(contacts=5) as fake:
            job = google_import(fake, env={"CONTACT_IMPORT_GOOGLE_PEOPLE_URL": api.url, "CONTACT_IMPORT_API_ATTEMPTS": "3"})
            fake.consent(job.consent_url(), deliver=True)
            assert job.finish() != 0
            assert job.error_code() == code, job.text
            # Unreadable pages are fetched again up to the tries; refusals are not.
            assert api.pages == (3 if code == 518 else 2 if code == 512 else 1)
            if code == 512:
                assert [r.form.get("grant_type") for r in fake.requests_to("/token")][-1] == ["refresh_token"]
            assert fake.revoked
            assert_no_secrets(fake, tmp_path, job.text)
    finally:
        api.stop()
