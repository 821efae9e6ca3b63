"""FakeCloudSponge answers as the protocol document says a CloudSponge server does, so the
client tests against it mean something: every path form, every credential form, the 401
challenge, explicit nulls, one event per type oldest first, paging, 404 → 200 → 410."""
import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from fakes import FakeCloudSponge


def call(url, form=None, basic=None):
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data)
    if basic:
        request.add_header("Authorization", "Basic " + base64.b64encode(":".join(basic).encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"null")


def test_begin_takes_every_path_form_method_and_credential_form():
    with FakeCloudSponge(auto_consent=True) as api:
        key, password = api.domain_key, api.domain_password
        for path in ("begin_import/user_consent", "begin_import/user_consent/", "begin_import/user_consent.json"):
            status, headers, body = call(f"{api.url}/{path}", form={"service": "GMAIL"}, basic=(key, password))
            assert status == 200 and headers["Content-Type"].startswith("application/json"), path
            assert body["id"] == body["import_id"] and 0 < body["id"] <= 2_147_483_647
            assert body["echo"] is None and body["user_id"] is None and "echo" in body and "user_id" in body
        query = urllib.parse.urlencode({"service": "csv", "domain_key": key, "domain_password": password, "_": "1"})
        status, _, body = call(f"{api.url}/begin_import/user_consent.json?{query}")
        assert status == 200 and body["import_type"] == "CSV" and "/n/" in body["url"]
        status, _, body = call(f"{api.url}/begin_import/import.json",
                               form={"service": "plaxo", "username": "u", "password": "p",
                                     "domain_key": key, "domain_password": password})
        assert status == 200 and "url" not in body


def test_refusals_carry_the_documented_status_code_and_challenge():
    with FakeCloudSponge() as api:
        status, headers, body = call(f"{api.url}/begin_import/user_consent.json", form={"service": "gmail"})
        assert status == 401 and headers["WWW-Authenticate"] == 'Basic realm="CloudSponge"'
        assert body["status"] == "error" and body["error"]["message"]
        creds = (api.domain_key, api.domain_password)
        assert call(f"{api.url}/begin_import/user_consent.json", form={}, basic=creds)[2]["error"]["code"] == 260
        assert call(f"{api.url}/begin_import/user_consent.json", form={"service": "gmail.com"}, basic=creds)[2]["error"]["code"] == 261
        assert call(f"{api.url}/begin_import/import.json", form={"service": "plaxo"}, basic=creds)[2]["error"]["code"] == 259
        _, _, begun = call(f"{api.url}/begin_import/user_consent.json", form={"service": "gmail"}, basic=creds)
        assert call(f"{api.url}/events/{begun['id']}.json", basic=("other-domain", "other-password"))[0] == 401
        assert call(f"{api.url}/events/{begun['id'] ^ 1}.json", basic=creds)[0] == 404


def test_events_grow_one_per_type_and_contacts_go_404_200_410():
    with FakeCloudSponge(contacts=5, steps=1, retention=1) as api:
        creds = (api.domain_key, api.domain_password)
        _, _, begun = call(f"{api.url}/begin_import/user_consent.json", form={"service": "demo"}, basic=creds)
        import_id = begun["id"]
        _, _, first = call(f"{api.url}/events.json/{import_id}", basic=creds)
        assert [(e["event_type"], e["status"]) for e in first["events"]] == [("INITIALIZING", "INPROGRESS")]
        assert call(f"{api.url}/contacts/{import_id}.json", basic=creds)[0] == 404
        api.consent(begun["url"])
        sequences = []
        while not sequences or sequences[-1][-1][0] != "COMPLETE":
            _, _, body = call(f"{api.url}/events/{import_id}", basic=creds)
            sequences.append([(e["event_type"], e["status"], e["value"]) for e in body["events"]])
        assert sequences[-1] == [("INITIALIZING", "COMPLETED", 0), ("GATHERING", "COMPLETED", 5), ("COMPLETE", "COMPLETED", 0)]
        status, _, page = call(f"{api.url}/contacts.json/{import_id}?start=1&count=2", basic=creds)
        assert status == 200 and (page["start"], page["count"], page["total"]) == (1, 2, 5)
        assert len(page["contacts"]) == 2 and page["contacts_owner"]["owner"] is True
        assert call(f"{api.url}/contacts/{import_id}?count=2", basic=creds)[2]["count"] == 5  # count needs start
        time.sleep(1.1)
        assert call(f"{api.url}/contacts/{import_id}.json", basic=creds)[0] == 410
