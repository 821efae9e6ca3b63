"""FakeCloudSponge: the classic CloudSponge contact-import REST API (begin_import → events →
contacts), written from the protocol document (../shared/docs/cloudsponge-api.md), not from
our Swift code, so that the program's HTTP client is checked against the protocol. JSON only.

    with FakeCloudSponge(contacts=25) as api:
        # run the program with --server api.url --domain-key api.domain_key and
        # CONTACT_IMPORT_DOMAIN_PASSWORD=api.domain_password; read the consent URL it prints
        api.consent(printed_url)            # the end user allows access (or allow=False)
        ...
        assert api.domain_password not in output

Routes (§1.0, every path form): /begin_import/{user_consent|import|desktop_applet} with no
suffix, a trailing slash or .json, GET or POST, parameters merged from query and body;
/events/{id}, /events/{id}.json, /events.json/{id}; the same for /contacts with `start` and
`count` (§1.5: count ignored without start; 0 = all). Credentials by HTTP Basic (pre-emptive),
or domain_key/domain_password in query or body (§1.0); otherwise 401 with
`WWW-Authenticate: Basic realm="CloudSponge"` and the error body of §1.7. Another domain's
import: 401. Unknown import: 404. Missing/unknown service: 400 with code 260/261 (§1.7,
inferred); `import` without username/password: 400 with 259.

An import (§5): INITIALIZING/INPROGRESS at begin. A consent import waits until the page at its
`url` (/n/XXXXXXX) is answered: Allow, or Deny (514, INITIALIZING/ERROR + COMPLETE/ERROR). An
`import` (username/password) starts at once. From then each events poll moves it one step:
INITIALIZING/COMPLETED + GATHERING/INPROGRESS (value: gathered so far), in `steps` steps,
then GATHERING/COMPLETED (value: total) + COMPLETE/COMPLETED (value 0). Events keep one per
type, oldest first, updated in place (§3).

Knobs:
contacts=10          number of generated contacts (people with emails and phones), or a list.
owner                the contacts_owner object (default: a small one); None for null.
steps=3              polls spent gathering after consent.
page_limit=None      N: the server pages: at most N contacts per answer whatever count says.
fail_with=None       code: the import fails while gathering (GATHERING/ERROR value=code and
                     COMPLETE/ERROR value=code, description set).
contacts_not_ready=0 N: the first N contacts requests after COMPLETE answer 404 (§1.7).
retention=600        seconds after COMPLETE until contacts answer 410 (§5).
stall_events=False   events requests are held without an answer until the fake stops.
drop_events=False    events requests are cut: the connection closes without an answer.
stall_contacts=False contacts requests are held without an answer until the fake stops.
auto_consent=False   consent imports start without anyone answering their page.
Properties: url (base, no trailing slash), domain_key, domain_password, imports (id →
record), requests (see server.RecordedRequest), consent(url, allow=True).
"""

import base64
import random
import socket
import string
import threading
import time
from datetime import datetime, timezone

from flask import Response, g, jsonify, request

from .server import FakeServer, http_exchange, make_app

CONSENT_SERVICES = {"gmail", "yahoo", "windowslive", "outlookcom", "office365", "aol", "csv", "demo",
                    "vcard", "linkedin", "mail_ru"}
PASSWORD_SERVICES = {"plaxo", "icloud", "gmx", "fastmail", "carddav"}
APPLET_SERVICES = {"outlook", "addressbook"}


def generated_contacts(count):
    people = []
    for index in range(1, count + 1):
        people.append({
            "first_name": f"Remote{index:03d}", "last_name": "Person",
            "phone": [{"number": f"+1 555 01{index:04d}", "type": "mobile"}],
            "email": [{"address": f"remote{index:03d}@example.org", "type": "Home", "primary": True}],
            "address": [], "groups": [], "companies": ["Example Ltd"], "photos": [], "locations": [],
            "job_title": "Tester",
        })
    return people


DEFAULT_OWNER = {"first_name": "Ada", "last_name": "Owner", "email": [{"address": "ada.owner@example.org"}],
                 "phone": [], "groups": [], "companies": [], "photos": [], "locations": [], "owner": True}


def now_text():
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


class Import:
    """One import as the fake runs it."""

    def __init__(self, import_id, domain_key, service, consent, user_id, echo):
        self.id = import_id
        self.domain_key = domain_key
        self.service = service
        self.user_id = user_id
        self.echo = echo
        self.code = "".join(random.choice(string.ascii_uppercase + string.digits) for _ in range(7))
        self.waiting = consent         # for the end user's answer on the consent page
        self.step = 0                  # polls spent gathering
        self.events = []
        self.completed_at = None
        self.contacts_requests = 0
        self.event("INITIALIZING", "INPROGRESS", 0)

    def event(self, event_type, status, value, description=None):
        for existing in self.events:
            if existing["event_type"] == event_type:
                existing.update(status=status, value=value, description=description)
                return
        self.events.append({"import_action_id": self.id, "import_id": self.id, "event_type": event_type,
                            "value": value, "description": description, "status": status,
                            "created_at": now_text()})

    @property
    def finished(self):
        return any(e["event_type"] == "COMPLETE" for e in self.events)

    def fail(self, event_type, code, description):
        self.event(event_type, "ERROR", code, description)
        self.event("COMPLETE", "ERROR", code, description)
        self.completed_at = time.monotonic()


class FakeCloudSponge(FakeServer):
    def __init__(self, *, contacts=10, owner=DEFAULT_OWNER, steps=3, page_limit=None, fail_with=None,
                 contacts_not_ready=0, retention=600, stall_events=False, drop_events=False,
                 stall_contacts=False, auto_consent=False, latency=0.0):
        super().__init__(latency=latency)
        self.domain_key = "fake-" + "".join(random.choice(string.ascii_lowercase) for _ in range(12))
        self.domain_password = "".join(random.choice(string.ascii_letters + string.digits) for _ in range(24))
        self.accounts = {self.domain_key: self.domain_password, "other-domain": "other-password"}
        self.contacts = contacts if isinstance(contacts, list) else generated_contacts(contacts)
        self.owner = owner
        self.steps = steps
        self.page_limit = page_limit
        self.fail_with = fail_with
        self.contacts_not_ready = contacts_not_ready
        self.retention = retention
        self.stall_events = stall_events
        self.drop_events = drop_events
        self.stall_contacts = stall_contacts
        self.auto_consent = auto_consent
        self.imports = {}
        self._lock = threading.Lock()
        self._stopped = threading.Event()

    def stop(self):
        self._stopped.set()
        super().stop()

    # -- what the end user does -------------------------------------------------------------

    def consent(self, url, allow=True):
        """Answers the consent page at `url` as the end user would (Allow or Deny)."""
        status, _, body = http_exchange("POST", url, form={"decision": "allow" if allow else "deny"})
        if status != 200:
            raise AssertionError(f"consent page answered {status}: {body[:200]}")

    # -- the API ----------------------------------------------------------------------------

    def create_app(self):
        app = make_app("fake-cloudsponge")

        for action in ("user_consent", "import", "desktop_applet"):
            for path in (f"/begin_import/{action}", f"/begin_import/{action}/", f"/begin_import/{action}.json"):
                app.add_url_rule(path, f"begin_{action}_{path}", self._begin(action), methods=["GET", "POST"])
        for kind, handler in (("events", self._events), ("contacts", self._contacts)):
            for path in (f"/{kind}/<int:import_id>", f"/{kind}/<int:import_id>.json", f"/{kind}.json/<int:import_id>"):
                app.add_url_rule(path, f"{kind}_{path}", handler, methods=["GET"])
        app.add_url_rule("/n/<code>", "consent_page", self._consent_page, methods=["GET", "POST"])
        return app

    def _parameters(self):
        merged = {k: v for k, v in request.args.items()}
        merged.update({k: v for k, v in request.form.items()})
        return merged

    def _domain(self, parameters):
        """The domain key of valid credentials (Basic first, then parameters), else None."""
        header = request.headers.get("Authorization", "")
        key = password = None
        if header.startswith("Basic "):
            try:
                key, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
            except Exception:
                return None
        elif "domain_key" in parameters:
            key, password = parameters.get("domain_key"), parameters.get("domain_password")
        if key is not None and self.accounts.get(key) == password:
            return key
        return None

    @staticmethod
    def _error(status, message, code=None, headers=None):
        error = {"message": message}
        if code is not None:
            error["code"] = code
        response = jsonify({"status": "error", "error": error})
        response.status_code = status
        for name, value in (headers or {}).items():
            response.headers[name] = value
        return response

    def _unauthorised(self):
        return self._error(401, "Domain key and password did not match a domain.", 1,
                           {"WWW-Authenticate": 'Basic realm="CloudSponge"'})

    def _begin(self, action):
        def handler():
            parameters = self._parameters()
            domain = self._domain(parameters)
            if domain is None:
                return self._unauthorised()
            service = (parameters.get("service") or "").strip().lower()
            if not service:
                return self._error(400, "A service is required.", 260)
            if action == "user_consent" and "username" in parameters:
                action_taken = "import"      # §1.2: the .NET library's quirk
            else:
                action_taken = action
            known = {"user_consent": CONSENT_SERVICES, "import": PASSWORD_SERVICES,
                     "desktop_applet": APPLET_SERVICES}[action_taken]
            if service not in known:
                return self._error(400, f"The service {service} is not recognised.", 261)
            if action_taken == "import" and not (parameters.get("username") and parameters.get("password")):
                return self._error(400, "A username and password are required.", 259)
            with self._lock:
                import_id = random.randint(1, 2_147_483_647)
                while import_id in self.imports:
                    import_id = random.randint(1, 2_147_483_647)
                record = Import(import_id, domain, service, consent=(action_taken == "user_consent" and not self.auto_consent),
                                user_id=parameters.get("user_id"), echo=parameters.get("echo"))
                self.imports[import_id] = record
            answer = {"status": "success", "echo": record.echo, "import_id": import_id,
                      "user_id": record.user_id, "id": import_id}
            if action_taken != "import":
                answer["url"] = f"{self.url}/n/{record.code}"
                answer["import_type"] = "CSV" if service == "csv" else "OAUTH"
            return jsonify(answer)
        return handler

    def _consent_page(self, code):
        with self._lock:
            record = next((r for r in self.imports.values() if r.code == code), None)
        if record is None:
            return Response("<p>No such import.</p>", status=404, mimetype="text/html")
        if request.method == "GET":
            return Response("<form method=post><button name=decision value=allow id=allow>Allow</button>"
                            "<button name=decision value=deny id=deny>Deny</button></form>", mimetype="text/html")
        with self._lock:
            if not record.waiting or record.finished:
                return Response("<p>This page has been answered.</p>", status=410, mimetype="text/html")
            record.waiting = False
            if request.form.get("decision") != "allow":
                record.fail("INITIALIZING", 514, "The user refused consent.")
        return Response("<p>Thank you.</p>", mimetype="text/html")

    def _lookup(self, import_id):
        """(record, None) or (None, error response)."""
        parameters = self._parameters()
        domain = self._domain(parameters)
        if domain is None:
            return None, self._unauthorised()
        with self._lock:
            record = self.imports.get(import_id)
        if record is None:
            return None, self._error(404, f"No import {import_id}.")
        if record.domain_key != domain:
            return None, self._error(401, "The import belongs to another domain.", 1,
                                     {"WWW-Authenticate": 'Basic realm="CloudSponge"'})
        return record, None

    def _events(self, import_id):
        if self.drop_events:
            connection = request.environ.get("werkzeug.socket")
            if connection is not None:
                connection.shutdown(socket.SHUT_RDWR)
            return ("", 500)
        if self.stall_events:
            self._stopped.wait(120)
            return ("", 503)
        record, refusal = self._lookup(import_id)
        if refusal is not None:
            return refusal
        with self._lock:
            self._advance(record)
            events = [dict(e) for e in record.events]
        return jsonify({"events": events, "echo": request.args.get("echo", record.echo),
                        "import_id": record.id, "user_id": record.user_id, "id": record.id})

    def _advance(self, record):
        """One step of the import per poll, once nobody is waited for."""
        if record.waiting or record.finished:
            return
        record.event("INITIALIZING", "COMPLETED", 0)
        total = len(self.contacts)
        if self.fail_with is not None and record.step >= 1:
            record.fail("GATHERING", self.fail_with, f"The import failed with {self.fail_with}.")
            return
        if record.step < self.steps:
            record.event("GATHERING", "INPROGRESS", total * record.step // max(1, self.steps))
            record.step += 1
            return
        record.event("GATHERING", "COMPLETED", total)
        record.event("COMPLETE", "COMPLETED", 0)
        record.completed_at = time.monotonic()

    def _contacts(self, import_id):
        if self.stall_contacts:
            self._stopped.wait(120)
            return ("", 503)
        record, refusal = self._lookup(import_id)
        if refusal is not None:
            return refusal
        with self._lock:
            if not record.finished:
                return self._error(404, "The contacts are not available yet.")
            record.contacts_requests += 1
            if record.contacts_requests <= self.contacts_not_ready:
                return self._error(404, "The contacts are not available yet.")
            if time.monotonic() - record.completed_at >= self.retention:
                return self._error(410, "The contacts were already retrieved and deleted.")
            failed = any(e["status"] == "ERROR" for e in record.events)
        everyone = [] if failed else self.contacts
        start = count = 0
        if "start" in request.args:
            start = max(0, int(request.args.get("start") or 0))
            count = max(0, int(request.args.get("count") or 0))
        if self.page_limit:
            count = min(count, self.page_limit) if count else self.page_limit
        page = everyone[start:start + count] if count else everyone[start:]
        g.fake_extra = {"start": start, "count": len(page)}
        return jsonify({"contacts": page, "contacts_owner": None if failed else self.owner, "start": start,
                        "count": len(page), "total": len(everyone), "import_id": record.id,
                        "user_id": record.user_id, "id": record.id, "echo": request.args.get("echo", record.echo)})
