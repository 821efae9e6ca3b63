"""Sign-ins begun through the API come back to the server's own `/auth` (§1.6): Gmail
through the local Google fake with `{base}/auth` as redirect URI, the code handed to the
import's code exchange, then the three stages to the contacts; the browser is sent on to
the account's `redirect_url`; a refusal ends the import with 514; an unknown state is 404.
"""
import time
from urllib.parse import parse_qs, urlsplit

import requests

from api_server import APIServer
from fakes import FakeGoogle, FakeMicrosoft
from test_api_server import Call, wait_complete

TIMEOUT = 15


def google_settings(fake):
    return {
        "google.client-id": fake.client_id, "google.client-secret": fake.client_secret,
        "google.auth-url": fake.auth_url, "google.token-url": fake.token_url,
        "google.revoke-url": fake.revoke_url, "google.people-url": fake.people_url,
        "api.retry-delay-ms": 50, "api.timeout": 10,
    }


def test_gmail_signs_in_through_auth_and_completes():
    with FakeGoogle(contacts=7) as google:
        server = APIServer(google_settings(google))
        try:
            call = Call(server)
            began = call.json("POST", "/begin_import/user_consent.json",
                              {"service": "GMAIL", "redirect_url": "https://shop.example.org/imported"})
            assert began["import_type"] == "OAUTH"
            query = parse_qs(urlsplit(began["url"]).query)
            assert query["redirect_uri"] == [server.base + "/auth"]
            location = google.consent(began["url"])
            assert location.startswith(server.base + "/auth?")
            # The customer's proxy forwards the callback without following redirects (§1.6).
            relayed = requests.get(location, allow_redirects=False, timeout=TIMEOUT)
            assert relayed.status_code == 303 and relayed.headers["Location"] == "https://shop.example.org/imported"
            events = wait_complete(server, began["import_id"])
            assert events[-1]["status"] == "COMPLETED", events
            contacts = call.json("GET", f"/contacts/{began['import_id']}")
            assert contacts["total"] == 7
            # The callback is single-use.
            assert requests.get(location, allow_redirects=False, timeout=TIMEOUT).status_code == 404
            time.sleep(0.3)
            log = "\n".join(server.log)
            assert not any(secret in log for secret in google.secrets)
        finally:
            server.stop()


def test_a_refused_sign_in_ends_with_514_and_an_unknown_state_is_404():
    with FakeGoogle(contacts=3) as google:
        server = APIServer(google_settings(google))
        try:
            began = Call(server).json("POST", "/begin_import/user_consent", {"service": "gmail"})
            location = google.consent(began["url"], allow=False)
            answer = requests.get(location, timeout=TIMEOUT)
            assert answer.status_code == 200 and "not granted" in answer.text
            events = wait_complete(server, began["import_id"])
            assert events[-1]["status"] == "ERROR" and events[-1]["value"] == 514
            assert requests.get(f"{server.base}/auth?state=nothing&code=x", timeout=TIMEOUT).status_code == 404
            assert requests.get(f"{server.base}/auth", timeout=TIMEOUT).status_code == 404
        finally:
            server.stop()


def test_outlook_signs_in_through_the_browser_and_auth():
    with FakeMicrosoft(contacts=4) as microsoft:
        server = APIServer({"microsoft.client-id": microsoft.client_id, "microsoft.login-url": microsoft.login_url,
                            "microsoft.graph-url": microsoft.graph_url, "api.retry-delay-ms": 50, "api.timeout": 10})
        try:
            call = Call(server)
            began = call.json("GET", "/begin_import/user_consent.json", {"service": "WINDOWSLIVE"})
            query = parse_qs(urlsplit(began["url"]).query)
            assert query["redirect_uri"] == [server.base + "/auth"]
            location = microsoft.consent(began["url"])
            answer = requests.get(location, timeout=TIMEOUT)
            assert answer.status_code == 200 and "Access granted" in answer.text
            events = wait_complete(server, began["import_id"])
            assert events[-1]["status"] == "COMPLETED", events
            assert call.json("GET", f"/contacts/{began['import_id']}")["total"] == 4
        finally:
            server.stop()
