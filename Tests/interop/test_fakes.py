"""The provider fakes keep the protocol rules the importer is tested against: each rule is
shown here with real HTTP against a running fake.
"""
import base64
import hashlib
import re
import secrets
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from fakes import ConsentError, FakeGoogle, FakeMicrosoft, people
from fakes.google import CONTACTS_OTHER_READONLY, CONTACTS_READONLY

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
MS_SCOPES = "offline_access Contacts.Read User.Read"
GOOGLE_FIELDS = {"names", "nicknames", "emailAddresses", "phoneNumbers", "addresses", "organizations", "birthdays",
                 "events", "urls", "biographies", "memberships", "photos", "userDefined", "relations", "metadata",
                 "imClients", "sipAddresses"}


def pkce_pair():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def query_of(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


# -- Google helpers ------------------------------------------------------------------------------


class GoogleLogin:
    """One authorization request to a FakeGoogle, as the importer would build it."""

    def __init__(self, fake, redirect_uri="http://127.0.0.1:49152/", scopes=(CONTACTS_READONLY,),
                 state="st4te", offline=True, **extra):
        self.fake = fake
        self.verifier, challenge = pkce_pair()
        self.redirect_uri = redirect_uri
        params = {"client_id": fake.client_id, "redirect_uri": redirect_uri, "response_type": "code",
                  "scope": " ".join(scopes), "code_challenge": challenge, "code_challenge_method": "S256",
                  "state": state}
        if offline:
            params["access_type"] = "offline"
        params.update(extra)
        self.params = {k: v for k, v in params.items() if v is not None}
        self.url = fake.auth_url + "?" + urlencode(self.params)

    def code(self, **consent):
        return query_of(self.fake.consent(self.url, **consent))["code"]

    def exchange(self, code, verifier=None, redirect_uri=None):
        return requests.post(self.fake.token_url, data={
            "grant_type": "authorization_code", "code": code, "code_verifier": verifier or self.verifier,
            "redirect_uri": redirect_uri or self.redirect_uri, "client_id": self.fake.client_id,
            "client_secret": self.fake.client_secret})

    def token(self, **consent):
        answer = self.exchange(self.code(**consent))
        assert answer.status_code == 200, answer.text
        return answer.json()


def google_refresh(fake, refresh_token):
    return requests.post(fake.token_url, data={"grant_type": "refresh_token", "refresh_token": refresh_token,
                                               "client_id": fake.client_id, "client_secret": fake.client_secret})


def bearer(token):
    return {"Authorization": f"Bearer {token['access_token'] if isinstance(token, dict) else token}"}


def connections(fake, token, session=requests, **params):
    params.setdefault("personFields", "names,emailAddresses")
    return session.get(fake.people_url + "/v1/people/me/connections", params=params, headers=bearer(token))


def assert_google_error(answer, code, status, reason=None):
    assert answer.status_code == code, answer.text
    error = answer.json()["error"]
    assert error["code"] == code and error["status"] == status and error["message"]
    detail = error["details"][0]
    assert detail["@type"] == "type.googleapis.com/google.rpc.ErrorInfo"
    if reason:
        assert detail["reason"] == reason


@pytest.fixture
def google():
    with FakeGoogle(contacts=250) as fake:
        yield fake
        assert fake.errors == []


# -- Google OAuth --------------------------------------------------------------------------------


def test_google_code_flow_grants_the_consented_scopes_with_a_refresh_token(google):
    login = GoogleLogin(google, scopes=("openid", CONTACTS_READONLY))
    token = login.token()
    assert token["token_type"] == "Bearer"
    assert token["expires_in"] == 3599
    assert token["scope"] == f"openid {CONTACTS_READONLY}"
    assert token["refresh_token"] and token["access_token"]
    assert connections(google, token).status_code == 200


def test_google_gives_no_refresh_token_without_offline_access(google):
    token = GoogleLogin(google, offline=False).token()
    assert "refresh_token" not in token


def test_google_refuses_a_pkce_verifier_that_does_not_match(google):
    login = GoogleLogin(google)
    answer = login.exchange(login.code(), verifier=pkce_pair()[0])
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"
    code = login.code()
    missing = requests.post(google.token_url, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": login.redirect_uri,
        "client_id": google.client_id, "client_secret": google.client_secret})
    assert missing.status_code == 400 and "code_verifier" in missing.json()["error_description"]
    assert login.exchange(code).status_code == 200  # the right verifier still works


@pytest.mark.parametrize("challenge", [{"code_challenge": None, "code_challenge_method": None},
                                       {"code_challenge_method": "plain"}])
def test_google_requires_an_s256_code_challenge(google, challenge):
    login = GoogleLogin(google, **challenge)
    location = google.consent(login.url)
    assert location.startswith(login.redirect_uri)
    assert query_of(location) == {"error": "invalid_request", "error_description": query_of(location)[
        "error_description"], "state": "st4te"}


def test_google_state_comes_back_verbatim_on_allow_and_on_cancel(google):
    state = "a b&c=d/é+%"
    allowed = query_of(google.consent(GoogleLogin(google, state=state).url))
    assert allowed["state"] == state and allowed["code"]
    cancelled = query_of(google.consent(GoogleLogin(google, state=state).url, allow=False))
    assert cancelled == {"error": "access_denied", "state": state}
    # A client comparing states sees a foreign one as foreign: the fake never rewrites it.
    assert query_of(google.consent(GoogleLogin(google, state="other").url))["state"] != state


@pytest.mark.parametrize("redirect_uri", ["https://example.org/cb", "http://localhost:8080/",
                                          "http://127.0.0.1.example.org/", "http://user@127.0.0.1:5/",
                                          "urn:ietf:wg:oauth:2.0:oob"])
def test_google_refuses_a_redirect_that_is_not_loopback(google, redirect_uri):
    with pytest.raises(ConsentError) as refused:
        google.consent(GoogleLogin(google, redirect_uri=redirect_uri).url)
    assert refused.value.status == 400
    assert 'id=\'error\'' in refused.value.body


@pytest.mark.parametrize("redirect_uri", ["http://127.0.0.1:1/", "http://127.0.0.1:65535/callback",
                                          "http://[::1]:8080/", "http://127.0.0.1/"])
def test_google_accepts_loopback_redirects_on_any_port_and_path(google, redirect_uri):
    login = GoogleLogin(google, redirect_uri=redirect_uri)
    location = google.consent(login.url)
    assert location.startswith(redirect_uri + ("&" if "?" in redirect_uri else "?"))
    assert login.exchange(query_of(location)["code"]).status_code == 200


def test_google_token_exchange_needs_the_same_redirect_uri_and_a_fresh_code(google):
    login = GoogleLogin(google, redirect_uri="http://127.0.0.1:40000/")
    code = login.code()
    other = login.exchange(code, redirect_uri="http://127.0.0.1:40001/")
    assert other.status_code == 400 and other.json()["error"] == "invalid_grant"
    assert login.exchange(code).status_code == 200
    again = login.exchange(code)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_google_token_endpoint_checks_the_client_secret(google):
    login = GoogleLogin(google)
    answer = requests.post(google.token_url, data={
        "grant_type": "authorization_code", "code": login.code(), "code_verifier": login.verifier,
        "redirect_uri": login.redirect_uri, "client_id": google.client_id, "client_secret": "wrong"})
    assert answer.status_code in (400, 401) and answer.json()["error"] == "invalid_client"


def test_google_granular_consent_without_contacts_gives_permission_denied(google):
    login = GoogleLogin(google, scopes=("openid", CONTACTS_READONLY))
    token = login.token(scopes=["openid"])
    assert token["scope"] == "openid"
    assert_google_error(connections(google, token), 403, "PERMISSION_DENIED", "ACCESS_TOKEN_SCOPE_INSUFFICIENT")


def test_google_consent_page_has_the_documented_form(google):
    login = GoogleLogin(google, scopes=(CONTACTS_READONLY, CONTACTS_OTHER_READONLY))
    page = requests.get(login.url)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    for element in ("allow", "cancel", "scope-contacts.readonly", "scope-contacts.other.readonly"):
        assert f"id='{element}'" in page.text
    assert re.search(r"<form method='post' action='/o/oauth2/v2/auth\?[^']*code_challenge=", page.text)
    assert page.text.count("name='granted_scope'") == 2


def test_google_consent_delivers_the_redirect_to_the_loopback_listener(google):
    from http.server import BaseHTTPRequestHandler, HTTPServer
    import threading

    seen = []

    class Listener(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"You can close this tab.")

        def log_message(self, *args):
            pass

    listener = HTTPServer(("127.0.0.1", 0), Listener)
    threading.Thread(target=listener.handle_request, daemon=True).start()
    try:
        login = GoogleLogin(google, redirect_uri=f"http://127.0.0.1:{listener.server_port}/")
        location = google.consent(login.url, deliver=True)
    finally:
        listener.server_close()
    assert seen == [location[len(login.redirect_uri) - 1:]]


def test_google_revocation_revokes_the_whole_grant_and_is_recorded(google):
    token = GoogleLogin(google).token()
    answer = requests.post(google.revoke_url, data={"token": token["refresh_token"]})
    assert answer.status_code == 200 and answer.json() == {}
    assert google.revoked == [token["refresh_token"]]
    assert_google_error(connections(google, token), 401, "UNAUTHENTICATED")
    assert google_refresh(google, token["refresh_token"]).json()["error"] == "invalid_grant"
    again = requests.post(google.revoke_url, data={"token": token["refresh_token"]})
    assert again.status_code == 400 and again.json()["error"] == "invalid_token"
    other = GoogleLogin(google).token()
    in_query = requests.post(google.revoke_url + "?" + urlencode({"token": other["access_token"]}))
    assert in_query.status_code == 200 and google.revoked[-1] == other["access_token"]
    assert google_refresh(google, other["refresh_token"]).json()["error"] == "invalid_grant"


def test_google_secrets_list_every_credential_it_issued_or_received(google):
    login = GoogleLogin(google)
    code = login.code()
    token = login.exchange(code).json()
    refreshed = google_refresh(google, token["refresh_token"]).json()
    for secret in (google.client_secret, code, login.verifier, token["access_token"], token["refresh_token"],
                   refreshed["access_token"]):
        assert secret in google.secrets
    assert "refresh_token" not in refreshed  # Google keeps the first refresh token


# -- Google People API ---------------------------------------------------------------------------


def test_google_connections_come_in_three_pages_with_totals(google):
    token = GoogleLogin(google).token()
    fields = "names,emailAddresses,phoneNumbers,memberships"
    pages, page_token = [], None
    with requests.Session() as session:
        while True:
            params = {"personFields": fields, "pageSize": 100}
            if page_token:
                params["pageToken"] = page_token
            answer = connections(google, token, session, **params)
            assert answer.status_code == 200, answer.text
            body = answer.json()
            pages.append(body)
            page_token = body.get("nextPageToken")
            if not page_token:
                break
    assert [len(p["connections"]) for p in pages] == [100, 100, 50]
    assert all(p["totalItems"] == 250 and p["totalPeople"] == 250 for p in pages)
    served = [c for p in pages for c in p["connections"]]
    assert [c["resourceName"] for c in served] == [c["resourceName"] for c in google.contacts]
    assert all(set(c) <= {"resourceName", "etag", *fields.split(",")} for c in served)
    assert served[0]["names"] == google.contacts[0]["names"]
    assert [r.extra.get("page") for r in google.requests_to("/connections")] == [1, 2, 3]


def test_google_page_tokens_demand_the_first_calls_parameters(google):
    token = GoogleLogin(google).token()
    first = connections(google, token, pageSize=100).json()
    changed = connections(google, token, pageSize=50, pageToken=first["nextPageToken"])
    assert_google_error(changed, 400, "INVALID_ARGUMENT")
    other_fields = connections(google, token, personFields="names", pageSize=100, pageToken=first["nextPageToken"])
    assert_google_error(other_fields, 400, "INVALID_ARGUMENT")
    bogus = connections(google, token, pageSize=100, pageToken="not-a-token")
    assert_google_error(bogus, 400, "INVALID_ARGUMENT")
    same = connections(google, token, pageSize=100, pageToken=first["nextPageToken"])
    assert same.status_code == 200


def test_google_connections_check_their_parameters(google):
    token = GoogleLogin(google).token()
    url = google.people_url + "/v1/people/me/connections"
    assert_google_error(requests.get(url, headers=bearer(token)), 400, "INVALID_ARGUMENT")
    assert "personFields" in requests.get(url, headers=bearer(token)).json()["error"]["message"]
    assert_google_error(connections(google, token, personFields="names,shoeSize"), 400, "INVALID_ARGUMENT")
    assert_google_error(connections(google, token, pageSize=1001), 400, "INVALID_ARGUMENT")
    assert_google_error(connections(google, token, pageSize=-1), 400, "INVALID_ARGUMENT")
    assert_google_error(connections(google, token, sortOrder="BY_MOOD"), 400, "INVALID_ARGUMENT")
    assert_google_error(connections(google, token, pageSzie=10), 400, "INVALID_ARGUMENT")
    assert len(connections(google, token, pageSize=0).json()["connections"]) == 100
    assert len(connections(google, token).json()["connections"]) == 100
    assert len(connections(google, token, pageSize=1000).json()["connections"]) == 250


def test_google_person_fields_select_what_is_served(google):
    token = GoogleLogin(google).token()
    every = ",".join(sorted(GOOGLE_FIELDS))
    served = connections(google, token, personFields=every, pageSize=1000).json()["connections"]
    assert served == google.contacts
    only_names = connections(google, token, personFields="names").json()["connections"]
    assert all(set(p) <= {"resourceName", "etag", "names"} for p in only_names)


def test_google_empty_book_answers_without_a_connections_key():
    with FakeGoogle(contacts=0) as fake:
        token = GoogleLogin(fake).token()
        answer = connections(fake, token)
        assert answer.status_code == 200 and answer.json() == {}


def test_google_rate_limit_answers_429_with_retry_after_once():
    with FakeGoogle(contacts=30, rate_limit_on_page=2, retry_after=7) as fake:
        token = GoogleLogin(fake).token()
        first = connections(fake, token, pageSize=10)
        params = {"pageSize": 10, "pageToken": first.json()["nextPageToken"]}
        limited = connections(fake, token, **params)
        assert_google_error(limited, 429, "RESOURCE_EXHAUSTED", "RATE_LIMIT_EXCEEDED")
        assert limited.headers["Retry-After"] == "7"
        retried = connections(fake, token, **params)
        assert retried.status_code == 200
        assert [p["resourceName"] for p in retried.json()["connections"]] == \
               [p["resourceName"] for p in fake.contacts[10:20]]
        assert connections(fake, token, pageSize=10, pageToken=retried.json()["nextPageToken"]).status_code == 200
        assert [r.status for r in fake.requests_to("/connections")] == [200, 429, 200, 200]


def test_google_token_expiring_mid_import_answers_401_and_a_refresh_continues():
    with FakeGoogle(contacts=30, expire_after_requests=2) as fake:
        token = GoogleLogin(fake).token()
        first = connections(fake, token, pageSize=10).json()
        second = connections(fake, token, pageSize=10, pageToken=first["nextPageToken"]).json()
        params = {"pageSize": 10, "pageToken": second["nextPageToken"]}
        expired = connections(fake, token, **params)
        assert_google_error(expired, 401, "UNAUTHENTICATED", "ACCESS_TOKEN_EXPIRED")
        assert expired.headers["WWW-Authenticate"].startswith("Bearer ")
        refreshed = google_refresh(fake, token["refresh_token"])
        assert refreshed.status_code == 200 and refreshed.json()["scope"] == CONTACTS_READONLY
        third = connections(fake, refreshed.json(), **params)
        assert third.status_code == 200 and "nextPageToken" not in third.json()


def test_google_access_tokens_expire_on_request_and_by_time():
    with FakeGoogle(contacts=3, access_token_lifetime=0) as fake:
        token = GoogleLogin(fake).token()
        assert token["expires_in"] == 0
        time.sleep(0.01)
        assert_google_error(connections(fake, token), 401, "UNAUTHENTICATED")
    with FakeGoogle(contacts=3) as fake:
        token = GoogleLogin(fake).token()
        assert connections(fake, token).status_code == 200
        fake.expire_access_tokens()
        assert_google_error(connections(fake, token), 401, "UNAUTHENTICATED")
        assert_google_error(requests.get(fake.people_url + "/v1/people/me/connections",
                                         params={"personFields": "names"}), 401, "UNAUTHENTICATED",
                            "CREDENTIALS_MISSING")


def test_google_goes_away_after_the_configured_page():
    with FakeGoogle(contacts=30, stop_after_page=1) as fake:
        token = GoogleLogin(fake).token()
        with requests.Session() as session:
            first = connections(fake, token, session, pageSize=10)
            assert first.status_code == 200
            with pytest.raises(requests.ConnectionError):
                connections(fake, token, session, pageSize=10, pageToken=first.json()["nextPageToken"])
        assert fake.gone and fake.pages_served == 1


def test_google_contact_groups_list_system_and_user_groups(google):
    token = GoogleLogin(google).token()
    answer = requests.get(google.people_url + "/v1/contactGroups", headers=bearer(token),
                          params={"pageSize": 1000, "groupFields": "name,groupType,memberCount"})
    assert answer.status_code == 200
    groups = {g["resourceName"]: g for g in answer.json()["contactGroups"]}
    assert answer.json()["totalItems"] == len(groups) == 5 + len(people.google_user_groups())
    assert groups["contactGroups/myContacts"]["formattedName"] == "My Contacts"
    assert groups["contactGroups/myContacts"]["groupType"] == "SYSTEM_CONTACT_GROUP"
    assert groups["contactGroups/myContacts"]["memberCount"] == 250
    assert groups["contactGroups/starred"]["formattedName"] == "Starred"
    family = groups["contactGroups/4c1d9e3f7a20"]
    assert family["name"] == "Família" and family["groupType"] == "USER_CONTACT_GROUP"
    members = sum(1 for p in google.contacts for m in p["memberships"]
                  if m["contactGroupMembership"]["contactGroupId"] == "4c1d9e3f7a20")
    assert family["memberCount"] == members > 0
    paged = requests.get(google.people_url + "/v1/contactGroups", headers=bearer(token), params={"pageSize": 2})
    assert len(paged.json()["contactGroups"]) == 2 and paged.json()["nextPageToken"]


def test_google_other_contacts_need_their_own_scope_and_report_total_size():
    with FakeGoogle(contacts=1, other_contacts=15) as fake:
        url = fake.people_url + "/v1/otherContacts"
        narrow = GoogleLogin(fake).token()
        params = {"readMask": "names,emailAddresses", "pageSize": 10}
        assert_google_error(requests.get(url, params=params, headers=bearer(narrow)), 403, "PERMISSION_DENIED")
        token = GoogleLogin(fake, scopes=(CONTACTS_READONLY, CONTACTS_OTHER_READONLY)).token()
        first = requests.get(url, params=params, headers=bearer(token)).json()
        assert first["totalSize"] == 15 and len(first["otherContacts"]) == 10
        rest = requests.get(url, params=dict(params, pageToken=first["nextPageToken"]), headers=bearer(token)).json()
        assert len(rest["otherContacts"]) == 5 and "nextPageToken" not in rest
        assert_google_error(requests.get(url, params={"readMask": "birthdays"}, headers=bearer(token)), 400,
                            "INVALID_ARGUMENT")


def test_google_people_me_is_the_account_owner(google):
    token = GoogleLogin(google, scopes=("openid", "email")).token()
    answer = requests.get(google.people_url + "/v1/people/me", headers=bearer(token),
                          params={"personFields": "names,emailAddresses"})
    assert answer.status_code == 200
    assert answer.json()["emailAddresses"][0]["value"] == google.owner["emailAddresses"][0]["value"]
    assert set(answer.json()) == {"resourceName", "etag", "names", "emailAddresses"}


def test_google_serves_malformed_records_among_good_ones():
    with FakeGoogle(contacts=20, malformed=6) as fake:
        token = GoogleLogin(fake).token()
        served = connections(fake, token, personFields="names,emailAddresses,phoneNumbers,birthdays,memberships",
                             pageSize=1000).json()
        assert served["totalItems"] == 26
        broken = {p["resourceName"]: p for p in served["connections"] if p["resourceName"] in
                  fake.malformed_resource_names}
        assert len(broken) == 6
        assert any(isinstance(p.get("names"), dict) for p in broken.values())
        assert any(isinstance((p.get("emailAddresses") or [{}])[0].get("value"), int) for p in broken.values())
        positions = [i for i, p in enumerate(served["connections"]) if p["resourceName"] in broken]
        assert positions[0] > 0 and positions[-1] < 25


def test_google_latency_is_added_to_every_answer_and_recorded():
    with FakeGoogle(contacts=5, latency=0.05) as fake:
        token = GoogleLogin(fake).token()
        connections(fake, token)
        assert len(fake.durations) == len(fake.requests) == 4  # consent GET and POST, token, one page
        assert all(d >= 0.05 for d in fake.durations)


def test_google_photo_urls_point_at_the_fake(google):
    photo = google.contacts[0]["photos"][0]["url"]
    assert photo.startswith(google.url + "/photos/")
    answer = requests.get(photo)
    assert answer.status_code == 200 and answer.content.startswith(b"\x89PNG")


# -- Microsoft helpers ---------------------------------------------------------------------------


def device_code(fake, tenant="common", scope=MS_SCOPES):
    answer = requests.post(fake.devicecode_url(tenant), data={"client_id": fake.client_id, "scope": scope})
    assert answer.status_code == 200, answer.text
    return answer.json()


def poll(fake, code, tenant="common"):
    return requests.post(fake.token_url(tenant), data={"grant_type": DEVICE_GRANT, "client_id": fake.client_id,
                                                       "device_code": code["device_code"]})


def assert_login_error(answer, error, aadsts=None, status=400):
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert body["error"] == error
    if aadsts is not None:
        assert body["error_codes"] == [aadsts]
        assert body["error_description"].startswith(f"AADSTS{aadsts}: ")
    return body


def ms_token(fake, tenant="common", scope=MS_SCOPES):
    code = device_code(fake, tenant, scope)
    fake.approve(code["user_code"])
    answer = poll(fake, code, tenant)
    assert answer.status_code == 200, answer.text
    return answer.json()


def ms_refresh(fake, refresh_token):
    return requests.post(fake.token_url(), data={"grant_type": "refresh_token", "client_id": fake.client_id,
                                                 "refresh_token": refresh_token, "scope": MS_SCOPES})


def assert_graph_error(answer, status, code):
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert error["code"] == code and error["message"]
    assert set(error["innerError"]) >= {"date", "request-id"}


def graph_get(fake, path, token, session=requests, **params):
    url = path if path.startswith("http") else fake.graph_url + path
    return session.get(url, params=params or None, headers=bearer(token))


@pytest.fixture
def microsoft():
    with FakeMicrosoft(contacts=25, interval=1, enforced_interval=0.2, slow_down_increment=0.2) as fake:
        yield fake
        assert fake.errors == []


# -- Microsoft login -----------------------------------------------------------------------------


def test_microsoft_device_code_answer_has_the_documented_fields(microsoft):
    code = device_code(microsoft)
    assert set(code) == {"device_code", "user_code", "verification_uri", "expires_in", "interval", "message"}
    assert code["verification_uri"] == microsoft.verification_uri == microsoft.url + "/link"
    assert code["expires_in"] == 900 and code["interval"] == 1
    assert re.fullmatch(r"[A-Z0-9]{8}", code["user_code"])
    assert code["user_code"] in code["message"] and code["verification_uri"] in code["message"]
    assert microsoft.last_user_code == code["user_code"]
    assert code["device_code"] in microsoft.secrets and code["user_code"] not in microsoft.secrets


def test_microsoft_device_flow_pending_then_slow_down_then_approved():
    with FakeMicrosoft(interval=60, slow_down_increment=0) as fake:
        code = device_code(fake)
        assert_login_error(poll(fake, code), "authorization_pending", 70016)
        too_soon = assert_login_error(poll(fake, code), "slow_down")  # 60 s have not passed
        assert too_soon["error_codes"] == []
        fake.approve(code["user_code"].lower())
        token = poll(fake, code)
        assert token.status_code == 200
        body = token.json()
        assert body["token_type"] == "Bearer" and body["scope"] == MS_SCOPES
        assert body["access_token"] and body["refresh_token"] and body["expires_in"] == 3599
        assert_login_error(poll(fake, code), "bad_verification_code", 70000)  # a code gives one token
        assert graph_get(fake, "/v1.0/me", body).status_code == 200


def test_microsoft_device_flow_polled_at_the_interval_stays_pending():
    with FakeMicrosoft(interval=1, enforced_interval=0.1, slow_down_increment=0) as fake:
        code = device_code(fake)
        for _ in range(3):
            assert_login_error(poll(fake, code), "authorization_pending", 70016)
            time.sleep(0.15)


def test_microsoft_forced_slow_down_answers_regardless_of_timing():
    with FakeMicrosoft(interval=0, force_slow_down=1, slow_down_increment=60) as fake:
        code = device_code(fake)
        assert_login_error(poll(fake, code), "slow_down")
        assert_login_error(poll(fake, code), "slow_down")  # polled again at once: the gap grew to 60 s
    with FakeMicrosoft(interval=0, force_slow_down=1, slow_down_increment=0) as fake:
        code = device_code(fake)
        assert_login_error(poll(fake, code), "slow_down")
        assert_login_error(poll(fake, code), "authorization_pending", 70016)


def test_microsoft_device_flow_declined(microsoft):
    code = device_code(microsoft)
    microsoft.decline(code["user_code"])
    assert_login_error(poll(microsoft, code), "authorization_declined", 65004)
    with pytest.raises(KeyError):
        microsoft.approve("NOSUCHCD")


def test_microsoft_device_code_expires():
    with FakeMicrosoft(device_code_lifetime=0) as fake:
        code = device_code(fake)
        assert code["expires_in"] == 0
        time.sleep(0.01)
        fake.approve(code["user_code"])
        assert_login_error(poll(fake, code), "expired_token", 70019)
    with FakeMicrosoft(interval=0) as fake:
        code = device_code(fake)
        assert_login_error(poll(fake, code), "authorization_pending", 70016)
        fake.expire_device_codes()
        assert_login_error(poll(fake, code), "expired_token", 70019)


def test_microsoft_link_page_approves_and_declines_typed_codes(microsoft):
    page = requests.get(microsoft.verification_uri)
    for element in ("user_code", "approve", "decline"):
        assert f"id='{element}'" in page.text
    code = device_code(microsoft)
    wrong = requests.post(microsoft.verification_uri, data={"user_code": "WRONGCOD", "decision": "approve"})
    assert wrong.status_code == 400 and "id='message'" in wrong.text
    done = requests.post(microsoft.verification_uri, data={"user_code": code["user_code"].lower(),
                                                           "decision": "approve"})
    assert done.status_code == 200 and "id='result'" in done.text
    assert poll(microsoft, code).status_code == 200
    other = device_code(microsoft)
    requests.post(microsoft.verification_uri, data={"user_code": other["user_code"], "decision": "decline"})
    assert_login_error(poll(microsoft, other), "authorization_declined", 65004)


def test_microsoft_public_client_must_not_send_a_secret(microsoft):
    answer = requests.post(microsoft.devicecode_url(), data={"client_id": microsoft.client_id, "scope": MS_SCOPES,
                                                             "client_secret": "s3cret"})
    assert_login_error(answer, "invalid_client", 700025, status=401)
    code = device_code(microsoft)
    answer = requests.post(microsoft.token_url(), data={"grant_type": DEVICE_GRANT, "client_id": microsoft.client_id,
                                                        "device_code": code["device_code"], "client_secret": "x"})
    assert_login_error(answer, "invalid_client", 700025, status=401)
    assert "s3cret" in microsoft.secrets


def test_microsoft_device_code_needs_a_scope_and_a_known_client(microsoft):
    assert_login_error(requests.post(microsoft.devicecode_url(), data={"client_id": microsoft.client_id}),
                       "invalid_request", 900144)
    assert_login_error(requests.post(microsoft.devicecode_url(), data={"client_id": "nobody", "scope": MS_SCOPES}),
                       "unauthorized_client", 700016)
    assert_login_error(requests.post(microsoft.devicecode_url(), data={"client_id": microsoft.client_id,
                                                                      "scope": "Mail.Send"}), "invalid_scope", 70011)
    assert_login_error(requests.post(microsoft.token_url(), data={"grant_type": DEVICE_GRANT,
                                                                 "client_id": microsoft.client_id}),
                       "invalid_request", 900144)


@pytest.mark.parametrize("tenant", ["common", "organizations", "consumers"])
def test_microsoft_accepts_the_multi_tenant_names(microsoft, tenant):
    token = ms_token(microsoft, tenant)
    assert graph_get(microsoft, "/v1.0/me/contacts", token).status_code == 200


def test_microsoft_unknown_tenant_and_admin_consent_errors():
    with FakeMicrosoft(interval=0, consent_required_tenants=("organizations",)) as fake:
        answer = requests.post(fake.devicecode_url("contoso.example"), data={"client_id": fake.client_id,
                                                                             "scope": MS_SCOPES})
        assert_login_error(answer, "invalid_request", 90002)
        code = device_code(fake, "organizations")
        fake.approve(code["user_code"])
        body = assert_login_error(poll(fake, code, "organizations"), "invalid_grant", 65001)
        assert body["suberror"] == "consent_required"
        assert "has not consented" in body["error_description"]
        assert ms_token(fake, "consumers")["access_token"]


def test_microsoft_refresh_token_only_with_offline_access(microsoft):
    assert "refresh_token" not in ms_token(microsoft, scope="Contacts.Read User.Read")


# -- Microsoft auth code + PKCE ------------------------------------------------------------------


class MicrosoftLogin:
    def __init__(self, fake, redirect_uri="http://localhost:51000/", state="xyz", **extra):
        self.fake = fake
        self.verifier, challenge = pkce_pair()
        self.redirect_uri = redirect_uri
        params = {"client_id": fake.client_id, "response_type": "code", "redirect_uri": redirect_uri,
                  "scope": MS_SCOPES, "state": state, "code_challenge": challenge, "code_challenge_method": "S256",
                  "response_mode": "query"}
        params.update(extra)
        self.url = fake.authorize_url() + "?" + urlencode({k: v for k, v in params.items() if v is not None})

    def exchange(self, code, verifier=None):
        return requests.post(self.fake.token_url(), data={
            "grant_type": "authorization_code", "client_id": self.fake.client_id, "code": code,
            "redirect_uri": self.redirect_uri, "code_verifier": verifier or self.verifier, "scope": MS_SCOPES})


@pytest.mark.parametrize("redirect_uri", ["http://localhost:51000/", "http://localhost:1/cb", "http://127.0.0.1:7/"])
def test_microsoft_auth_code_with_pkce_on_a_loopback_redirect(microsoft, redirect_uri):
    login = MicrosoftLogin(microsoft, redirect_uri=redirect_uri)
    location = microsoft.consent(login.url)
    assert location.startswith(redirect_uri) and query_of(location)["state"] == "xyz"
    answer = login.exchange(query_of(location)["code"])
    assert answer.status_code == 200 and answer.json()["refresh_token"]


def test_microsoft_auth_code_refuses_a_pkce_mismatch_and_a_foreign_redirect(microsoft):
    login = MicrosoftLogin(microsoft)
    code = query_of(microsoft.consent(login.url))["code"]
    assert_login_error(login.exchange(code, verifier=pkce_pair()[0]), "invalid_grant", 501481)
    with pytest.raises(ConsentError) as refused:
        microsoft.consent(MicrosoftLogin(microsoft, redirect_uri="https://example.org/").url)
    assert "AADSTS50011" in refused.value.body
    no_pkce = query_of(microsoft.consent(MicrosoftLogin(microsoft, code_challenge=None,
                                                        code_challenge_method=None).url))
    assert no_pkce["error"] == "invalid_request" and no_pkce["state"] == "xyz"


def test_microsoft_cancel_redirects_with_aadsts65004(microsoft):
    location = microsoft.consent(MicrosoftLogin(microsoft, state="s&1").url, allow=False)
    assert query_of(location) == {"error": "access_denied",
                                  "error_description": "AADSTS65004: User declined to consent to access the app.",
                                  "state": "s&1"}


# -- Graph ---------------------------------------------------------------------------------------


def walk(fake, url, token, session=requests):
    records = []
    while url:
        answer = graph_get(fake, url, token, session)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        records.extend(body["value"])
        url = body.get("@odata.nextLink")
        if url:
            assert url.startswith(fake.graph_url + "/v1.0/")
    return records


def test_graph_contacts_page_by_ten_with_absolute_next_links(microsoft):
    token = ms_token(microsoft)
    first = graph_get(microsoft, "/v1.0/me/contacts", token).json()
    assert len(first["value"]) == 10
    assert first["@odata.nextLink"] == f"{microsoft.graph_url}/v1.0/me/contacts?$top=10&$skip=10"
    everything = walk(microsoft, "/v1.0/me/contacts", token)
    assert everything == microsoft.contacts and len(everything) == 25
    big = graph_get(microsoft, "/v1.0/me/contacts", token, **{"$top": "5000"}).json()
    assert len(big["value"]) == 25 and "@odata.nextLink" not in big
    counted = graph_get(microsoft, "/v1.0/me/contacts", token, **{"$count": "true", "$top": "20"}).json()
    assert counted["@odata.count"] == 25 and "$count=true" in counted["@odata.nextLink"]


def test_graph_select_is_honoured_and_checked(microsoft):
    token = ms_token(microsoft)
    selected = walk(microsoft, "/v1.0/me/contacts?$select=displayName,birthday&$top=7", token)
    assert len(selected) == 25
    assert all(set(c) == {"@odata.etag", "id", "displayName", "birthday"} for c in selected)
    assert_graph_error(graph_get(microsoft, "/v1.0/me/contacts", token, **{"$select": "shoeSize"}), 400,
                       "RequestBroker--ParseUri")
    assert_graph_error(graph_get(microsoft, "/v1.0/me/contacts", token, **{"$filter": "x"}), 400, "BadRequest")


def test_graph_nested_folders_hold_contacts_in_each():
    folders = [{"name": "Family", "contacts": 3, "children": [{"name": "Cousins", "contacts": 12,
                                                               "children": [{"name": "Far", "contacts": 1}]}]},
               {"name": "Work", "contacts": 2}]
    with FakeMicrosoft(contacts=4, folders=folders) as fake:
        token = ms_token(fake)
        found = list(walk(fake, "/v1.0/me/contacts", token))
        pending = walk(fake, "/v1.0/me/contactFolders", token)
        names = []
        while pending:
            folder = pending.pop(0)
            names.append(folder["displayName"])
            found += walk(fake, f"/v1.0/me/contactFolders/{folder['id']}/contacts", token)
            pending += walk(fake, f"/v1.0/me/contactFolders/{folder['id']}/childFolders", token)
        assert names == ["Family", "Work", "Cousins", "Far"]
        assert len(found) == 22 and len({c["id"] for c in found}) == 22
        assert sorted(c["id"] for c in found) == sorted(c["id"] for c in fake.all_contacts)
        cousins = fake.folder_id("Cousins")
        assert all(c["parentFolderId"] == cousins for c in fake.folders[cousins]["contacts"])
        assert_graph_error(graph_get(fake, "/v1.0/me/contactFolders/nope/contacts", token), 404, "ErrorItemNotFound")


def test_graph_rate_limit_answers_429_with_retry_after_once():
    with FakeMicrosoft(contacts=30, rate_limit_on_page=3, retry_after=2) as fake:
        token = ms_token(fake)
        url = fake.graph_url + "/v1.0/me/contacts"
        statuses = []
        while url:
            answer = graph_get(fake, url, token)
            statuses.append(answer.status_code)
            if answer.status_code == 429:
                assert answer.headers["Retry-After"] == "2"
                assert_graph_error(answer, 429, "ApplicationThrottled")
                continue
            url = answer.json().get("@odata.nextLink")
        assert statuses == [200, 200, 429, 200]


def test_graph_token_expiring_mid_import_answers_401_and_a_refresh_continues():
    with FakeMicrosoft(contacts=30, expire_after_requests=2) as fake:
        token = ms_token(fake)
        first = graph_get(fake, "/v1.0/me/contacts", token).json()
        second = graph_get(fake, first["@odata.nextLink"], token).json()
        expired = graph_get(fake, second["@odata.nextLink"], token)
        assert_graph_error(expired, 401, "InvalidAuthenticationToken")
        assert expired.headers["WWW-Authenticate"].startswith("Bearer ")
        refreshed = ms_refresh(fake, token["refresh_token"])
        assert refreshed.status_code == 200
        assert refreshed.json()["refresh_token"] != token["refresh_token"]  # rotated
        assert graph_get(fake, second["@odata.nextLink"], refreshed.json()).status_code == 200
        long_form = requests.post(fake.token_url(), data={
            "grant_type": "refresh_token", "client_id": fake.client_id, "refresh_token": token["refresh_token"],
            "scope": "offline_access https://graph.microsoft.com/Contacts.Read"})
        assert long_form.status_code == 200 and long_form.json()["scope"] == "offline_access Contacts.Read"
        wider = requests.post(fake.token_url(), data={
            "grant_type": "refresh_token", "client_id": fake.client_id, "refresh_token": token["refresh_token"],
            "scope": "Contacts.ReadWrite"})
        assert_login_error(wider, "invalid_scope", 70011)


def test_graph_checks_the_token_and_its_scopes(microsoft):
    assert_graph_error(requests.get(microsoft.graph_url + "/v1.0/me/contacts"), 401, "InvalidAuthenticationToken")
    assert_graph_error(graph_get(microsoft, "/v1.0/me/contacts", "made-up"), 401, "InvalidAuthenticationToken")
    user_only = ms_token(microsoft, scope="User.Read")
    assert_graph_error(graph_get(microsoft, "/v1.0/me/contacts", user_only), 403, "ErrorAccessDenied")
    contacts_only = ms_token(microsoft, scope="https://graph.microsoft.com/Contacts.Read")
    assert contacts_only["scope"] == "Contacts.Read"
    assert graph_get(microsoft, "/v1.0/me/contacts", contacts_only).status_code == 200
    assert_graph_error(graph_get(microsoft, "/v1.0/me", contacts_only), 403, "ErrorAccessDenied")


def test_graph_goes_away_after_the_configured_page():
    with FakeMicrosoft(contacts=30, stop_after_page=2) as fake:
        token = ms_token(fake)
        with requests.Session() as session:
            first = graph_get(fake, "/v1.0/me/contacts", token, session).json()
            second = graph_get(fake, first["@odata.nextLink"], token, session).json()
            with pytest.raises(requests.ConnectionError):
                graph_get(fake, second["@odata.nextLink"], token, session)
        with pytest.raises(requests.ConnectionError):
            graph_get(fake, "/v1.0/me", token)
        assert fake.gone


def test_graph_serves_malformed_records_among_good_ones():
    with FakeMicrosoft(contacts=12, malformed=6) as fake:
        token = ms_token(fake)
        served = walk(fake, "/v1.0/me/contacts?$top=100", token)
        assert len(served) == 18 and len(fake.malformed_ids) == 6
        broken = [c for c in served if c["id"] in fake.malformed_ids]
        assert any(isinstance(c["emailAddresses"], dict) for c in broken)
        assert any(c.get("birthday") == "the tenth of December" for c in broken)


# -- the generator -------------------------------------------------------------------------------


def test_generated_google_people_cover_every_field_and_variant():
    book = people.google_people(100)
    assert book == people.google_people(100)
    assert people.google_people(5, start=50) == book[50:55]
    assert len({people.google_resource_name(i) for i in range(10000)}) == 10000
    assert GOOGLE_FIELDS <= {f for p in book for f in p}
    names = [n for p in book for n in p.get("names", [])]
    for part in ("honorificPrefix", "middleName", "honorificSuffix"):
        assert any(part in n for n in names)
    assert any(not n["displayName"].isascii() for n in names)
    assert any(n["displayName"] == n["familyName"] + n["givenName"] for n in names)  # CJK order
    assert any(len(p.get("emailAddresses", [])) >= 2 for p in book)
    assert len({e["type"] for p in book for e in p.get("emailAddresses", [])}) >= 3
    assert len({t["type"] for p in book for t in p.get("phoneNumbers", [])}) >= 3
    dates = [b.get("date") for p in book for b in p.get("birthdays", [])]
    assert any(d and "year" in d for d in dates) and any(d and "year" not in d for d in dates)
    assert any("text" in b and "date" not in b for p in book for b in p.get("birthdays", []))
    photos = [ph for p in book for ph in p["photos"]]
    assert any(ph.get("default") for ph in photos) and any(not ph.get("default") for ph in photos)
    groups = {m["contactGroupMembership"]["contactGroupId"] for p in book for m in p["memberships"]}
    assert {"myContacts", "starred"} <= groups and any(g["id"] in groups for g in people.google_user_groups())
    assert any("names" not in p for p in book) and any("emailAddresses" not in p for p in book)


GRAPH_FIELDS = {"id", "displayName", "givenName", "middleName", "surname", "nickName", "title", "generation",
                "initials", "fileAs", "companyName", "department", "jobTitle", "officeLocation", "profession",
                "manager", "assistantName", "spouseName", "businessHomePage", "personalNotes", "mobilePhone",
                "parentFolderId", "changeKey", "yomiGivenName", "yomiSurname", "yomiCompanyName", "businessPhones",
                "homePhones", "imAddresses", "categories", "children", "emailAddresses", "homeAddress",
                "businessAddress", "otherAddress", "birthday", "createdDateTime", "lastModifiedDateTime",
                "@odata.etag"}


def test_generated_graph_contacts_cover_every_field_and_variant():
    book = people.graph_contacts(100)
    assert book == people.graph_contacts(100)
    assert len({people.graph_contact_id(i) for i in range(10000)}) == 10000
    for field in GRAPH_FIELDS:
        assert any(c.get(field) not in (None, "", [], {}) for c in book), field
    birthdays = {c["birthday"] for c in book if c["birthday"]}
    assert any(b.startswith("1604-") for b in birthdays) and any(b.endswith("T11:59:00Z") for b in birthdays)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b) for b in birthdays)
    assert any(len(c["categories"]) >= 2 for c in book)
    assert any(not c["displayName"].isascii() for c in book)
    address = next(c["homeAddress"] for c in book if c["homeAddress"])
    assert set(address) == {"street", "city", "state", "countryOrRegion", "postalCode"}
