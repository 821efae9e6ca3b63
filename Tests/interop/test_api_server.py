"""`contact-import serve` as the protocol document (cloudsponge-api.md) describes the
classic API, checked by a client written from that document alone: every path form of
§1.0 × format × credential form × method, the JSON and Rails-style XML shapes of §1.1–4
element by element, JSONP, the status codes of §1.7, the retention window, accounts,
limits, and bad input answered without disturbing anything else.
"""
import base64
import json
import os
import re
import subprocess
import time
import xml.etree.ElementTree as ET

import pytest
import requests

from api_server import APIServer

TIMEOUT = 15
VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Smith;Jane;;;\r\nFN:Jane Smith\r\n"
    "EMAIL;TYPE=home:jane@example.com\r\nTEL;TYPE=home:555.5678\r\n"
    "ADR;TYPE=home:;;3450 Sacramento St.;San Francisco;CA;94118;US\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;John;;;\r\nFN:John Doe\r\nEMAIL:john@example.com\r\nEND:VCARD\r\n"
)


@pytest.fixture(scope="module")
def server():
    running = APIServer({"server.begins-per-minute": 10000, "server.running-imports": 10000})
    yield running
    running.stop()


# ---------------------------------------------------------------- a small client


class Call:
    """One request with the credentials carried one of the ways §1.0 lists."""

    def __init__(self, server, account="alpha"):
        self.server = server
        self.key, self.password = server.credentials(account)

    def request(self, method, path, params=None, credentials="basic", files=None, headers=None):
        params = dict(params or {})
        url = self.server.base + path
        headers = dict(headers or {})
        body = None
        if credentials == "basic":
            headers["Authorization"] = "Basic " + base64.b64encode(f"{self.key}:{self.password}".encode()).decode()
        elif credentials == "query":
            params.update(domain_key=self.key, domain_password=self.password)
        elif credentials in ("form", "multipart"):
            assert method == "POST"
            body = {"domain_key": self.key, "domain_password": self.password}
        elif credentials == "challenge":
            # The Java client: no Authorization first; Basic only after a 401 that carries
            # `WWW-Authenticate: Basic realm=…`.
            first = requests.request(method, url, params=params, timeout=TIMEOUT)
            assert first.status_code == 401
            challenge = first.headers.get("WWW-Authenticate", "")
            assert re.match(r'Basic realm="[^"]+"', challenge), challenge
            headers["Authorization"] = "Basic " + base64.b64encode(f"{self.key}:{self.password}".encode()).decode()
        if method == "POST" and credentials not in ("form", "multipart"):
            # Node and ColdFusion: everything in the query string, an empty body.
            return requests.post(url, params=params, headers=headers, timeout=TIMEOUT)
        if method == "POST" and credentials == "form":
            return requests.post(url, params=params, data=body, headers=headers, timeout=TIMEOUT)
        if method == "POST" and credentials == "multipart":
            # What the PHP library's libcurl sends.
            fields = {name: (None, value) for name, value in {**body, **params}.items()}
            return requests.post(url, files=fields, headers=headers, timeout=TIMEOUT)
        return requests.request(method, url, params=params, headers=headers, timeout=TIMEOUT)

    def json(self, method, path, params=None, credentials="basic", status=200):
        response = self.request(method, path, params, credentials)
        assert response.status_code == status, (response.status_code, response.text)
        assert response.headers["Content-Type"].startswith("application/json")
        return response.json()


def begin_upload(server, service="vcard", params=None, account="alpha"):
    answer = Call(server, account).json("POST", "/begin_import/user_consent", {"service": service, **(params or {})})
    assert answer["status"] == "success"
    return answer


def upload(url, text, name="contacts.vcf"):
    page = requests.get(url, timeout=TIMEOUT)
    assert page.status_code == 200 and "<form" in page.text
    sent = requests.post(url, files={"file": (name, text.encode())}, data={"action": "upload"}, timeout=TIMEOUT,
                         allow_redirects=False)
    assert sent.status_code in (200, 303), sent.text
    return sent


def wait_complete(server, import_id, account="alpha", limit=30):
    call = Call(server, account)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        events = call.json("GET", f"/events/{import_id}")["events"]
        if any(event["event_type"] == "COMPLETE" for event in events):
            return events
        time.sleep(0.2)
    raise AssertionError(f"import {import_id} did not complete")


def completed_import(server, params=None, account="alpha"):
    began = begin_upload(server, params=params, account=account)
    upload(began["url"], VCARD)
    events = wait_complete(server, began["import_id"], account)
    assert events[-1]["status"] == "COMPLETED", events
    return began["import_id"]


@pytest.fixture(scope="module")
def finished(server):
    return completed_import(server, {"include": "mailing_address", "user_id": "myUserId_0003"})


# ---------------------------------------------------------------- path forms × formats × credentials × methods

BEGIN_FORMS = [
    ("/begin_import/user_consent", "json"),
    ("/begin_import/user_consent/", "json"),
    ("/begin_import/user_consent.json", "json"),
    ("/begin_import/user_consent.xml", "xml"),
]
CREDENTIALS = {"GET": ["basic", "challenge", "query"], "POST": ["basic", "challenge", "query", "form", "multipart"]}
BEGIN_CASES = [(path, fmt, method, cred) for path, fmt in BEGIN_FORMS for method in CREDENTIALS for cred in CREDENTIALS[method]]


@pytest.mark.parametrize("path,fmt,method,credentials", BEGIN_CASES)
def test_begin_in_every_form(server, path, fmt, method, credentials):
    response = Call(server).request(method, path, {"service": "DEMO", "echo": "echo123", "_": "1459", "verbose": "1"},
                                    credentials)
    assert response.status_code == 200, response.text
    if fmt == "json":
        assert response.headers["Content-Type"].startswith("application/json")
        answer = response.json()
        assert answer["status"] == "success"
        assert answer["echo"] == "echo123"
        assert "user_id" in answer and answer["user_id"] is None
        assert isinstance(answer["import_id"], int) and 1 <= answer["import_id"] <= 2**31 - 1
        assert answer["id"] == answer["import_id"]
        assert answer["url"].startswith(server.base + "/")
    else:
        assert response.headers["Content-Type"].startswith("application/xml")
        root = ET.fromstring(response.content)
        assert root.tag == "result"
        assert root.findtext("status") == "success"
        assert root.findtext("url").startswith(server.base + "/")
        assert 1 <= int(root.findtext("import-id")) <= 2**31 - 1
        assert root.find("user-id").get("nil") == "true"
        assert root.findtext("echo") == "echo123"
        assert root.find("id").get("type") == "integer"
        assert root.findtext("id") == root.findtext("import-id")


STAGE_FORMS = [
    ("/{stage}/{id}", "json"),
    ("/{stage}/{id}/", "json"),
    ("/{stage}/{id}.json", "json"),
    ("/{stage}/{id}.xml", "xml"),
    ("/{stage}.json/{id}", "json"),
    ("/{stage}.xml/{id}", "xml"),
]
STAGE_CASES = [(stage, form, fmt, cred) for stage in ("events", "contacts") for form, fmt in STAGE_FORMS
               for cred in CREDENTIALS["GET"]]


@pytest.mark.parametrize("stage,form,fmt,credentials", STAGE_CASES)
def test_events_and_contacts_in_every_form(server, finished, stage, form, fmt, credentials):
    path = form.format(stage=stage, id=finished)
    # Parameters clients add and the server must ignore (§1.0).
    params = {"_": "1459", "import_id": str(finished), "service": "vcard", "unix_second_resolution_timestramp": "1"}
    response = Call(server).request("GET", path, params, credentials)
    assert response.status_code == 200, response.text
    if fmt == "json":
        answer = response.json()
        assert answer["import_id"] == finished and answer["id"] == finished
        assert answer["user_id"] == "myUserId_0003"
        assert "echo" in answer
        if stage == "events":
            assert [e["event_type"] for e in answer["events"]] == ["INITIALIZING", "GATHERING", "COMPLETE"]
        else:
            assert answer["total"] == 2
    else:
        root = ET.fromstring(response.content)
        assert root.tag == ("eventsResponse" if stage == "events" else "contactsResponse")
        assert root.findtext("import-id") == str(finished)
        assert root.findtext("user-id") == "myUserId_0003"
        assert root.find("echo") is not None


# ---------------------------------------------------------------- shapes, element by element


def test_answers_are_never_cached(server, finished):
    for path in [f"/events/{finished}", f"/contacts/{finished}.xml"]:
        response = Call(server).request("GET", path)
        assert response.headers["Cache-Control"] == "no-cache, private, no-store, max-age=0, must-revalidate"
        assert response.headers["Pragma"] == "no-cache"
        assert response.headers["Expires"] == "Mon, 01 Jan 1990 00:00:00 GMT"
    head = Call(server).request("HEAD", f"/events/{finished}")
    assert head.status_code == 200 and head.content == b""


def test_events_json_shape(server, finished):
    answer = Call(server).json("GET", f"/events/{finished}.json")
    assert set(answer) >= {"events", "import_id", "user_id", "id", "echo"}
    assert answer["echo"] is None
    events = answer["events"]
    assert [(e["event_type"], e["status"]) for e in events] == [
        ("INITIALIZING", "COMPLETED"), ("GATHERING", "COMPLETED"), ("COMPLETE", "COMPLETED")]
    assert events[1]["value"] == 2 and events[2]["value"] == 0
    for event in events:
        assert isinstance(event["value"], int)
        assert "description" in event
        assert event["import_id"] == finished
        assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)$", event["created_at"]), event["created_at"]


def test_events_xml_element_by_element(server, finished):
    response = Call(server).request("GET", f"/events.xml/{finished}")
    root = ET.fromstring(response.content)
    events = root.find("events")
    assert events.get("type") == "array"
    items = events.findall("event")
    assert [item.findtext("event-type") for item in items] == ["INITIALIZING", "GATHERING", "COMPLETE"]
    for item in items:
        assert item.findtext("status") == "COMPLETED"
        assert item.find("value").get("type") == "integer"
        description = item.find("description")
        assert description is not None and description.get("nil") == "true"
        assert item.find("created-at").get("type") == "datetime"
    assert items[1].findtext("value") == "2"
    assert items[2].findtext("value") == "0"
    assert root.find("echo").get("nil") == "true"
    assert root.findtext("import-id") == str(finished)


def test_contacts_json_shape(server, finished):
    answer = Call(server).json("GET", f"/contacts/{finished}")
    assert set(answer) >= {"contacts", "contacts_owner", "start", "count", "total", "import_id", "user_id", "id", "echo"}
    assert (answer["start"], answer["count"], answer["total"]) == (0, 2, 2)
    assert answer["contacts_owner"] is None
    jane = next(c for c in answer["contacts"] if c["first_name"] == "Jane")
    for key in ["first_name", "last_name", "phone", "email", "address", "groups", "companies", "photos", "locations"]:
        assert key in jane, key
    assert jane["last_name"] == "Smith"
    assert jane["email"][0]["address"] == "jane@example.com"
    assert jane["phone"][0]["number"] == "555.5678"
    address = jane["address"][0]
    assert (address["street"], address["city"], address["region"], address["postal_code"], address["country"]) == (
        "3450 Sacramento St.", "San Francisco", "CA", "94118", "US")


def test_contacts_xml_element_by_element(server, finished):
    response = Call(server).request("GET", f"/contacts/{finished}.xml")
    assert response.headers["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "contactsResponse"
    assert root.find("contacts").get("type") == "array"
    contacts = root.find("contacts").findall("contact")
    assert len(contacts) == 2
    for contact in contacts:
        # Every element the .NET and Java clients dereference is there (§4).
        for name in ["first-name", "last-name"]:
            assert contact.find(name) is not None, name
        for name in ["email", "phone", "address"]:
            assert contact.find(name) is not None and contact.find(name).get("type") == "array", name
        for email in contact.find("email").findall("email"):
            assert email.find("address") is not None and email.find("type") is not None
    jane = next(c for c in contacts if c.findtext("first-name") == "Jane")
    phone = jane.find("phone").find("phone")
    assert phone.findtext("number") == "555.5678"
    assert phone.find("type") is not None
    address = jane.find("address").find("address")
    for name, value in [("street", "3450 Sacramento St."), ("city", "San Francisco"), ("region", "CA"),
                        ("postal-code", "94118"), ("country", "US")]:
        assert address.findtext(name) == value, name
    assert address.find("formatted") is not None
    john = next(c for c in contacts if c.findtext("first-name") == "John")
    assert john.find("phone").get("type") == "array" and john.find("phone").findall("phone") == []
    assert root.find("contacts-owner").get("nil") == "true"
    assert root.findtext("import-id") == str(finished)
    assert root.findtext("user-id") == "myUserId_0003"
    assert root.find("echo").get("nil") == "true"


def test_contacts_paging(server, finished):
    call = Call(server)
    page = call.json("GET", f"/contacts/{finished}", {"start": "1", "count": "1"})
    assert (page["start"], page["count"], page["total"], len(page["contacts"])) == (1, 1, 2, 1)
    # count alone is ignored (§1.5).
    assert len(call.json("GET", f"/contacts/{finished}", {"count": "1"})["contacts"]) == 2


def test_addresses_only_with_include_mailing_address(server):
    plain = completed_import(server)
    contacts = Call(server).json("GET", f"/contacts/{plain}")["contacts"]
    assert all(contact["address"] == [] for contact in contacts)
    # A comma list, as the PHP demo sends it.
    listed = completed_import(server, {"include": "name,email,mailing_address"})
    contacts = Call(server).json("GET", f"/contacts/{listed}")["contacts"]
    assert any(contact["address"] for contact in contacts)


def test_user_id_and_echo_pass_through(server):
    began = begin_upload(server, params={"user_id": "u-17", "echo": "first"})
    assert (began["user_id"], began["echo"]) == ("u-17", "first")
    call = Call(server)
    stored = call.json("GET", f"/events/{began['import_id']}")
    assert (stored["user_id"], stored["echo"]) == ("u-17", "first")
    given = call.json("GET", f"/events/{began['import_id']}", {"echo": "second"})
    assert given["echo"] == "second"
    # The PHP library's older name for user_id.
    tracked = begin_upload(server, params={"tracking_string": "t-9"})
    assert tracked["user_id"] == "t-9"
    assert call.json("GET", f"/events/{tracked['import_id']}")["user_id"] == "t-9"


def test_service_names_are_case_insensitive(server):
    for name in ["vcard", "VCARD", "VCard", "csv", "CSV", "demo", "Demo"]:
        assert begin_upload(server, name)["status"] == "success", name


def test_jsonp_wraps_the_json(server, finished):
    response = Call(server).request("GET", f"/events/{finished}", {"callback": "jQuery1830_1459", "_": "1"}, "query")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/javascript")
    match = re.fullmatch(r"/\*\*/jQuery1830_1459\((.*)\);\s*", response.text, re.S)
    assert match, response.text
    assert json.loads(match.group(1))["import_id"] == finished


# ---------------------------------------------------------------- status codes and errors (§1.7)


def error_of(response, status):
    assert response.status_code == status, (response.status_code, response.text)
    answer = response.json()
    assert answer["status"] == "error"
    assert isinstance(answer["error"]["message"], str) and answer["error"]["message"]
    return answer["error"].get("code")


def test_missing_or_wrong_credentials_are_401_with_a_challenge(server, finished):
    for headers in [{}, {"Authorization": "Basic " + base64.b64encode(b"nobody:nothing").decode()}]:
        response = requests.get(f"{server.base}/events/{finished}", headers=headers, timeout=TIMEOUT)
        assert error_of(response, 401) == 1
        assert response.headers["WWW-Authenticate"].startswith("Basic realm=")
    key, _ = server.credentials()
    wrong = requests.get(f"{server.base}/events/{finished}", params={"domain_key": key, "domain_password": "guess"},
                         timeout=TIMEOUT)
    assert error_of(wrong, 401) == 1


def test_another_accounts_import_is_401(server, finished):
    response = Call(server, "beta").request("GET", f"/contacts/{finished}")
    assert error_of(response, 401) == 1
    assert response.headers["WWW-Authenticate"].startswith("Basic realm=")
    assert Call(server, "beta").request("GET", f"/events/{finished}.xml").status_code == 401


def test_bad_begin_parameters_are_400_with_their_code(server):
    call = Call(server)
    assert error_of(call.request("POST", "/begin_import/user_consent", {}), 400) == 260
    assert error_of(call.request("POST", "/begin_import/user_consent", {"service": "hotmail.example"}), 400) == 261
    assert error_of(call.request("POST", "/begin_import/import", {"service": "icloud", "username": "a@b.c"}), 400) == 259
    assert error_of(call.request("POST", "/begin_import/import", {"service": "icloud"}), 400) == 259
    xml = call.request("GET", "/begin_import/user_consent.xml", {"service": "nonsense"})
    assert xml.status_code == 400
    root = ET.fromstring(xml.content)
    assert root.tag == "result" and root.findtext("status") == "error"
    assert root.find("error").findtext("message")
    assert root.find("import-id").get("nil") == "true" and root.find("echo") is not None


def test_redirect_url_must_be_on_a_listed_host(server):
    call = Call(server)
    refused = call.request("POST", "/begin_import/user_consent", {"service": "demo", "redirect_url": "https://evil.example/x"})
    assert error_of(refused, 400) == 513
    allowed = call.json("POST", "/begin_import/user_consent", {"service": "demo", "redirect_url": "https://shop.example.org/done"})
    sent = requests.post(allowed["url"], data={"action": "allow"}, allow_redirects=False, timeout=TIMEOUT)
    assert sent.status_code == 303 and sent.headers["Location"] == "https://shop.example.org/done"
    # An empty redirect_url is one of the parameters to tolerate (§1.0).
    assert call.json("POST", "/begin_import/user_consent", {"service": "demo", "redirect_url": ""})["status"] == "success"
    assert error_of(Call(server, "beta").request("POST", "/begin_import/user_consent",
                                                 {"service": "demo", "redirect_url": "https://shop.example.org/"}), 400) == 513


@pytest.mark.parametrize("text", ["abc", "0", "-5", "2147483648", "99999999999999999999", "1e3", "12a"])
def test_ids_that_cannot_exist_are_400(server, text):
    for path in [f"/events/{text}", f"/contacts/{text}.json", f"/events.xml/{text}"]:
        response = Call(server).request("GET", path)
        assert response.status_code == 400, (path, response.text)


def test_an_unknown_import_is_404(server):
    assert error_of(Call(server).request("GET", "/events/2147483647"), 404) == 2


@pytest.mark.parametrize("callback", ["alert(1)", "a b", "1abc", "x;y", "<script>", "function", "a..b", ""])
def test_an_invalid_callback_is_400(server, finished, callback):
    response = Call(server).request("GET", f"/events/{finished}", {"callback": callback})
    assert response.status_code == 400
    assert callback not in response.text or callback == ""
    assert response.headers["Content-Type"].startswith("application/json")


def test_oversized_and_malformed_bodies(server, finished):
    key, password = server.credentials()
    big = requests.post(f"{server.base}/begin_import/user_consent",
                        data={"domain_key": key, "domain_password": password, "service": "demo", "pad": "x" * 200_000},
                        timeout=TIMEOUT)
    assert big.status_code == 413
    broken = requests.post(f"{server.base}/begin_import/user_consent",
                           data=b"--xyz\r\nContent-Disposition: form-data; name=\"service\r\n\r\nde",
                           headers={"Content-Type": "multipart/form-data; boundary=xyz"}, timeout=TIMEOUT)
    assert broken.status_code in (400, 401)
    nonsense = requests.post(f"{server.base}/begin_import/user_consent", data=b"\xff\xfe\x00garbage",
                             headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=TIMEOUT)
    assert nonsense.status_code == 401
    # Nothing else was disturbed.
    assert Call(server).json("GET", f"/contacts/{finished}")["total"] == 2
    assert requests.get(f"{server.base}/healthz", timeout=TIMEOUT).status_code == 200


def test_unknown_paths_and_methods(server):
    assert requests.get(f"{server.base}/begin_import/nothing", timeout=TIMEOUT).status_code == 404
    assert requests.get(f"{server.base}/nothing/here", timeout=TIMEOUT).status_code == 404
    response = Call(server).request("DELETE", "/events/12")
    assert response.status_code == 405


def test_health_and_metrics(server):
    health = requests.get(f"{server.base}/healthz", timeout=TIMEOUT)
    assert health.status_code == 200 and health.text.strip() == "ok"
    metrics = requests.get(f"{server.base}/metrics", timeout=TIMEOUT)
    assert metrics.status_code == 200
    assert re.search(r'^contact_import_http_requests_total\{.*route="events".*\} \d+', metrics.text, re.M), metrics.text


def test_the_log_holds_no_secret(server, finished):
    key, password = server.credentials()
    Call(server).request("POST", "/begin_import/import", {"service": "demo", "username": "person@example.com",
                                                          "password": "end-user-secret"}, "form")
    requests.get(f"{server.base}/events/{finished}", params={"domain_key": key, "domain_password": password}, timeout=TIMEOUT)
    time.sleep(0.5)
    text = "\n".join(server.log)
    assert '"route":"events"' in text
    for secret in [password, "end-user-secret", base64.b64encode(f"{key}:{password}".encode()).decode()]:
        assert secret not in text
    with open(server.accounts_path) as accounts:
        assert password not in accounts.read()


# ---------------------------------------------------------------- retention, timeouts and limits


def test_contacts_404_then_200_then_410():
    server = APIServer({"server.retention-seconds": 2})
    try:
        began = begin_upload(server)
        call = Call(server)
        assert error_of(call.request("GET", f"/contacts/{began['import_id']}"), 404) == 2
        upload(began["url"], VCARD)
        wait_complete(server, began["import_id"])
        assert call.json("GET", f"/contacts/{began['import_id']}")["total"] == 2
        deadline = time.monotonic() + 30
        status = 200
        while status == 200 and time.monotonic() < deadline:
            time.sleep(0.3)
            status = call.request("GET", f"/contacts/{began['import_id']}").status_code
        assert status == 410
        # The events still answer.
        assert call.json("GET", f"/events/{began['import_id']}")["events"][-1]["event_type"] == "COMPLETE"
    finally:
        server.stop()


def test_consent_nobody_finishes_ends_with_516_and_a_cancel_with_517():
    server = APIServer({"server.consent-timeout-seconds": 2})
    try:
        waiting = begin_upload(server, "demo")
        events = wait_complete(server, waiting["import_id"])
        assert events[-1]["event_type"] == "COMPLETE" and events[-1]["status"] == "ERROR"
        assert events[-1]["value"] == 516
        assert any(e["event_type"] == "INITIALIZING" and e["status"] == "ERROR" and e["value"] == 516 for e in events)
        cancelled = begin_upload(server, "demo")
        requests.post(cancelled["url"], data={"action": "cancel"}, timeout=TIMEOUT)
        events = wait_complete(server, cancelled["import_id"])
        assert events[-1]["value"] == 517
    finally:
        server.stop()


def test_per_account_limits_answer_429_with_retry_after():
    server = APIServer({"server.begins-per-minute": 3, "server.running-imports": 100})
    try:
        for _ in range(3):
            begin_upload(server, "demo")
        refused = Call(server).request("POST", "/begin_import/user_consent", {"service": "demo"})
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) >= 1
        # Another account is not held back.
        assert begin_upload(server, "demo", account="beta")["status"] == "success"
    finally:
        server.stop()
    server = APIServer({"server.begins-per-minute": 100, "server.running-imports": 2})
    try:
        begin_upload(server, "demo")
        begin_upload(server, "demo")
        refused = Call(server).request("POST", "/begin_import/user_consent", {"service": "demo"})
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    finally:
        server.stop()


def test_desktop_applet_answers_with_an_upload_page(server):
    call = Call(server)
    for service in ["OUTLOOK", "addressbook"]:
        began = call.json("POST", "/begin_import/desktop_applet.json", {"service": service})
        assert began["status"] == "success" and began["id"] == began["import_id"]
        assert began["url"].startswith(server.base + "/c/")
    xml = call.request("GET", "/begin_import/desktop_applet.xml", {"service": "addressbook"})
    root = ET.fromstring(xml.content)
    assert root.findtext("status") == "success" and root.findtext("url").startswith(server.base)
    began = call.json("GET", "/begin_import/desktop_applet", {"service": "addressbook"})
    upload(began["url"], VCARD)
    assert wait_complete(server, began["import_id"])[-1]["status"] == "COMPLETED"
    assert call.json("GET", f"/contacts/{began['import_id']}")["total"] == 2


def test_a_request_cannot_name_a_file_or_server_for_the_import(server, tmp_path):
    secret = tmp_path / "private.vcf"
    secret.write_text(VCARD)
    call = Call(server)
    began = call.json("POST", "/begin_import/user_consent", {"service": "file", "file": str(secret)})
    # The path is ignored: the import waits for an upload like any other.
    assert began["url"].startswith(server.base + "/c/")
    time.sleep(0.5)
    events = call.json("GET", f"/events/{began['import_id']}")["events"]
    assert [(e["event_type"], e["status"]) for e in events] == [("INITIALIZING", "INPROGRESS")]
    refused = call.request("POST", "/begin_import/import", {"service": "carddav", "username": "a", "password": "b",
                                                            "url": "http://127.0.0.1:9/"})
    assert refused.status_code == 400


def test_an_address_book_past_the_contact_limit_ends_with_an_error():
    server = APIServer({"server.max-contacts": 1})
    try:
        began = begin_upload(server)
        upload(began["url"], VCARD)
        events = wait_complete(server, began["import_id"])
        assert events[-1]["event_type"] == "COMPLETE" and events[-1]["status"] == "ERROR"
        assert events[-1]["value"] == 512
        assert Call(server).json("GET", f"/contacts/{began['import_id']}")["total"] == 0
    finally:
        server.stop()


# ---------------------------------------------------------------- the commands


def run_command(*args, env=None):
    from api_server import BIN
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=60, env=env)


def test_accounts_add_and_serve_refuse_what_they_cannot_use(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTACT_IMPORT_")}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    path = tmp_path / "accounts.json"
    first = run_command("accounts", "add", "shop", "--file", str(path), env=env)
    assert first.returncode == 0
    issued = json.loads(first.stdout)
    assert set(issued) == {"domain_key", "domain_password"}
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert issued["domain_password"] not in path.read_text()
    again = run_command("accounts", "add", "shop", "--file", str(path), env=env)
    assert again.returncode != 0 and "already has an account named shop" in again.stderr
    assert again.stdout == ""
    link = tmp_path / "link.json"
    link.symlink_to(path)
    linked = run_command("accounts", "add", "other", "--file", str(link), env=env)
    assert linked.returncode != 0 and "not a regular file" in linked.stderr
    assert link.is_symlink() and len(json.loads(path.read_text())["accounts"]) == 1
    bad_host = run_command("accounts", "add", "x", "--file", str(path), "--redirect-host", "http://a/b", env=env)
    assert bad_host.returncode == 64
    no_accounts = run_command("serve", env=env)
    assert no_accounts.returncode == 64 and "--accounts" in no_accounts.stderr
    empty = run_command("serve", "--accounts", str(tmp_path / "none.json"), env=env)
    assert empty.returncode == 64 and "no accounts yet" in empty.stderr
    (tmp_path / "broken.json").write_text("{not json")
    broken = run_command("serve", "--accounts", str(tmp_path / "broken.json"), env=env)
    assert broken.returncode != 0 and "is not an accounts file" in broken.stderr
