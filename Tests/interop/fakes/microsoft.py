"""FakeMicrosoft: the Microsoft identity platform for a public client (device code flow,
authorization code + PKCE with a loopback redirect, refresh) and the Graph contact endpoints,
on 127.0.0.1. The API is documented in the package docstring (fakes/__init__.py).
"""

import threading
import time
import uuid
from datetime import datetime, timezone
from urllib.parse import urlencode

from authlib.common.security import generate_token
from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import AccessDeniedError, InvalidScopeError
from authlib.oauth2.rfc6750 import InsufficientScopeError
from authlib.oauth2.rfc8628 import DEVICE_CODE_GRANT_TYPE, DeviceAuthorizationEndpoint, DeviceCodeGrant
from authlib.oauth2.rfc8628 import DeviceCredentialDict
from flask import g, jsonify, request

from . import pages, people
from .oauth import Client, OAuthStore, S256CodeChallenge, StoreBearerValidator, StoredCodes, Token, User
from .server import FakeServer, act_on_consent_page, make_app

GRAPH_PREFIX = "https://graph.microsoft.com/"
SUPPORTED_SCOPES = ["offline_access", "openid", "profile", "email", "Contacts.Read", "Contacts.ReadWrite",
                    "User.Read", "Contacts.Read.Shared"]
SUPPORTED_SCOPES += [GRAPH_PREFIX + s for s in SUPPORTED_SCOPES[4:]] + [GRAPH_PREFIX + ".default"]
KNOWN_TENANTS = ("common", "organizations", "consumers")
CONTACT_PROPERTIES = set(people.graph_contacts(1)[0]) - {"@odata.etag"}
FOLDER_PROPERTIES = {"id", "displayName", "parentFolderId"}
QUERY_OPTIONS = {"$top", "$skip", "$select", "$count"}
USER_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def short_scope(scope):
    return scope[len(GRAPH_PREFIX):] if scope.startswith(GRAPH_PREFIX) else scope


class GraphError(Exception):
    """An error answered in Graph's JSON envelope."""

    def __init__(self, status, code, message, headers=None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}

    def response(self):
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
        body = {"error": {"code": self.code, "message": self.message,
                          "innerError": {"date": now, "request-id": str(uuid.uuid4()),
                                         "client-request-id": str(uuid.uuid4())}}}
        response = jsonify(body)
        response.status_code = self.status
        for name, value in self.headers.items():
            response.headers[name] = value
        return response


def login_error(error, code, text, status=400, suberror=None):
    """An error of the Microsoft identity platform's token and devicecode endpoints."""
    trace, correlation = str(uuid.uuid4()), str(uuid.uuid4())
    now = datetime.now(timezone.utc)
    description = text if code is None else (
        f"AADSTS{code}: {text} Trace ID: {trace} Correlation ID: {correlation} "
        f"Timestamp: {now.strftime('%Y-%m-%d %H:%M:%SZ')}")
    body = {"error": error, "error_description": description, "error_codes": [] if code is None else [code],
            "timestamp": now.strftime("%Y-%m-%d %H:%M:%SZ"), "trace_id": trace, "correlation_id": correlation}
    if code is not None:
        body["error_uri"] = f"https://login.microsoftonline.com/error?code={code}"
    if suberror:
        body["suberror"] = suberror
    response = jsonify(body)
    response.status_code = status
    return response


# (authlib error, words in its description) -> (Microsoft error, AADSTS code, text)
LOGIN_ERRORS = [
    ("authorization_pending", "", ("authorization_pending", 70016,
                                   "OAuth 2.0 device flow error. Authorization is pending. Continue polling.")),
    ("expired_token", "", ("expired_token", 70019, "Verification code expired.")),
    ("access_denied", "", ("authorization_declined", 65004, "User declined to consent to access the app.")),
    ("invalid_request", "Missing 'device_code'", ("invalid_request", 900144, "The request body must contain the "
                                                                         "following parameter: 'device_code'.")),
    ("invalid_request", "device_code", ("bad_verification_code", 70000,
                                        "The provided value for the input parameter 'device_code' is not valid.")),
    ("invalid_request", "code_verifier", ("invalid_request", 900144,
                                          "The request body must contain the following parameter: 'code_verifier'.")),
    ("invalid_grant", "Code challenge", ("invalid_grant", 501481,
                                         "The Code_Verifier does not match the code_challenge supplied in the "
                                         "authorization request.")),
    ("invalid_grant", "redirect_uri", ("invalid_grant", 50148,
                                       "The redirect_uri does not match the one used in the authorization request.")),
    ("invalid_grant", "", ("invalid_grant", 70000, "The provided authorization code or refresh token is invalid "
                                                   "or has expired.")),
    ("invalid_scope", "", ("invalid_scope", 70011, "The provided value for the input parameter 'scope' is not "
                                                   "valid.")),
    ("unsupported_grant_type", "", ("unsupported_grant_type", 70003, "The app requested an unsupported grant "
                                                                     "type.")),
]


def translate_login_error(response, client_id, tenant, interval):
    payload = response.get_json(silent=True) or {}
    error, description = payload.get("error", ""), payload.get("error_description", "")
    if error == "slow_down":
        return login_error("slow_down", None, f"Polling too fast: wait {interval} seconds between requests.")
    if error == "invalid_client":
        return login_error("unauthorized_client", 700016,
                           f"Application with identifier '{client_id}' was not found in the directory '{tenant}'.")
    for known, words, (ms_error, code, text) in LOGIN_ERRORS:
        if error == known and words in description:
            return login_error(ms_error, code, text)
    return login_error(error or "invalid_request", 9002313, f"Invalid request. {description}".strip())


# -- authlib grants and endpoints --------------------------------------------------------------


class MicrosoftCodeGrant(StoredCodes, grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["none"]

    def create_authorization_response(self, redirect_uri, grant_user):
        if not grant_user:
            raise AccessDeniedError(description="AADSTS65004: User declined to consent to access the app.",
                                    redirect_uri=redirect_uri)
        return super().create_authorization_response(redirect_uri, grant_user)


class MicrosoftRefreshGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["none"]
    INCLUDE_NEW_REFRESH_TOKEN = True  # the identity platform answers every refresh with a new one

    def authenticate_refresh_token(self, refresh_token):
        return self.server.fake.store.find_refresh(refresh_token)

    def authenticate_user(self, refresh_token):
        return refresh_token.user

    def revoke_old_credential(self, refresh_token):
        pass

    def _validate_token_scope(self, token):
        # Scopes may come in short (Contacts.Read) or URI form; a refresh may narrow them.
        requested = {short_scope(s) for s in (self.request.payload.scope or "").split()}
        if requested and not set(token.get_scope().split()) >= requested:
            raise InvalidScopeError()


class MicrosoftDeviceGrant(DeviceCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["none"]

    def query_device_credential(self, device_code):
        return self.server.fake._device_credentials.get(device_code)

    def query_user_grant(self, user_code):
        return self.server.fake._user_grants.get(user_code)

    def should_slow_down(self, credential):
        return self.server.fake._polled_too_soon(credential)

    def create_token_response(self):
        answer = super().create_token_response()
        # A device code gives one token; polling again with it is an error.
        self.server.fake._device_credentials.pop(self.request.credential["device_code"], None)
        return answer


class MicrosoftDeviceEndpoint(DeviceAuthorizationEndpoint):
    CLIENT_AUTH_METHODS = ["none"]

    @property
    def EXPIRES_IN(self):  # noqa: N802 - authlib's attribute name
        return self.server.fake.device_code_lifetime

    @property
    def INTERVAL(self):  # noqa: N802
        return self.server.fake.interval

    def get_verification_uri(self):
        return self.server.fake.verification_uri

    def generate_device_code(self):
        return self.server.fake.store.remember("DAQABIQEAAAD" + generate_token(120))

    def generate_user_code(self):
        taken = self.server.fake._issued_user_codes()
        while True:
            code = generate_token(8, USER_CODE_ALPHABET)
            if code not in taken:
                return code

    def save_device_credential(self, client_id, scope, data):
        fake = self.server.fake
        now = time.time()
        credential = DeviceCredentialDict(client_id=client_id, scope=scope, user_code=data["user_code"],
                                          device_code=data["device_code"], expires_at=now + data["expires_in"],
                                          last_poll=None, gap=fake._enforced_gap(), tenant=g.tenant)
        with fake._device_lock:
            fake._device_credentials[data["device_code"]] = credential
            fake._device_code_of[data["user_code"]] = data["device_code"]
            fake.user_codes.append(data["user_code"])

    def create_endpoint_response(self, oauth_request):
        status, data, headers = super().create_endpoint_response(oauth_request)
        data = {k: v for k, v in data.items() if k != "verification_uri_complete"}
        data["message"] = (f"To sign in, use a web browser to open the page {data['verification_uri']} "
                           f"and enter the code {data['user_code']} to authenticate.")
        return status, data, headers


class FakeMicrosoft(FakeServer):
    """Microsoft identity platform + Graph contacts on 127.0.0.1. See the package docstring."""

    def __init__(self, client_id="3fa1c6de-0f1b-4e55-9b6a-5c1d2e3f4a5b", *, contacts=10, folders=(), malformed=0,
                 owner=None, latency=0.0, access_token_lifetime=3599, expire_after_requests=None,
                 rate_limit_on_page=None, retry_after=1, stop_after_page=None, interval=5, enforced_interval=None,
                 slow_down_increment=5, force_slow_down=0, device_code_lifetime=900, tenants=KNOWN_TENANTS,
                 consent_required_tenants=()):
        super().__init__(latency=latency)
        self.client_id = client_id
        self.access_token_lifetime = access_token_lifetime
        self.expire_after_requests = expire_after_requests
        self.rate_limit_on_page = rate_limit_on_page
        self.retry_after = retry_after
        self.stop_after_page = stop_after_page
        self.interval = interval
        self.enforced_interval = enforced_interval
        self.slow_down_increment = slow_down_increment
        self.force_slow_down = force_slow_down
        self.device_code_lifetime = device_code_lifetime
        self.tenants = tuple(tenants)
        self.consent_required_tenants = tuple(consent_required_tenants)
        self.owner = owner or people.graph_owner()
        self.user = User(self.owner["id"])
        self.store = OAuthStore("eyJ0eXAiOiJKV1QiLCJub25jZSI6IkZha2", "0.AXoAFake", "M.C5Fake")
        self.store.add_client(Client(
            client_id=client_id, client_secret=None, redirect_hosts=("localhost", "127.0.0.1"),
            auth_methods={"token": ("none",), "device_authorization": ("none",)},
            grant_types=("authorization_code", "refresh_token", DEVICE_CODE_GRANT_TYPE)))
        self.token_responses = []
        self.user_codes = []
        self._device_lock = threading.Lock()
        self._device_credentials = {}
        self._device_code_of = {}
        self._user_grants = {}
        self._page_lock = threading.Lock()
        self._pages_served = 0
        self._rate_limited = False
        self.folders = {}
        self._build_folders(contacts, folders, malformed)

    # -- public properties and controls ------------------------------------------------------

    @property
    def login_url(self):
        return self.url

    @property
    def graph_url(self):
        return self.url

    @property
    def verification_uri(self):
        return self.url + "/link"

    def authorize_url(self, tenant="common"):
        return f"{self.url}/{tenant}/oauth2/v2.0/authorize"

    def token_url(self, tenant="common"):
        return f"{self.url}/{tenant}/oauth2/v2.0/token"

    def devicecode_url(self, tenant="common"):
        return f"{self.url}/{tenant}/oauth2/v2.0/devicecode"

    @property
    def secrets(self):
        return list(self.store.secrets)

    @property
    def default_folder_id(self):
        return people.graph_folder_id(0)

    @property
    def contacts(self):
        """The default Contacts folder's records (what /me/contacts serves), malformed included."""
        return self.folders[self.default_folder_id]["contacts"]

    @property
    def all_contacts(self):
        return [c for folder in self.folders.values() for c in folder["contacts"]]

    @property
    def malformed_ids(self):
        return [c["id"] for c in self.all_contacts if str(c.get("id", "")).startswith("malformed-")]

    @property
    def last_user_code(self):
        return self.user_codes[-1] if self.user_codes else None

    @property
    def pages_served(self):
        return self._pages_served

    def approve(self, user_code):
        """The user typed user_code at /link and approved (KeyError for a code never issued)."""
        self._decide(user_code, True)

    def decline(self, user_code):
        self._decide(user_code, False)

    def expire_device_codes(self):
        """Every device code issued so far is past its lifetime."""
        with self._device_lock:
            for credential in self._device_credentials.values():
                credential["expires_at"] = time.time() - 1

    def expire_access_tokens(self):
        self.store.expire_access_tokens()

    def consent(self, auth_url, allow=True, deliver=False):
        """As FakeGoogle.consent: GET the /authorize URL, POST decision=allow|cancel, return
        the redirect Location (and request it when deliver=True)."""
        return act_on_consent_page(auth_url, {"decision": "allow" if allow else "cancel"}, deliver)

    # -- state ------------------------------------------------------------------------------

    def _build_folders(self, contacts, folders, malformed):
        counter = [0]

        def records(spec, folder_id):
            if isinstance(spec, int):
                made = people.graph_contacts(spec, start=counter[0], folder_id=folder_id)
                counter[0] += spec
                return made
            return [dict(c, parentFolderId=c.get("parentFolderId", folder_id)) if isinstance(c, dict) else c
                    for c in spec]

        default_id = people.graph_folder_id(0)
        book = records(contacts, default_id)
        broken = people.graph_malformed(malformed, folder_id=default_id)
        for k, record in enumerate(broken):
            book.insert(min(len(book), (k + 1) * (len(book) // (len(broken) + 1) + 1)), record)
        self.folders[default_id] = {"id": default_id, "displayName": "Contacts",
                                    "parentFolderId": "AAMkAGI2TG93AAAuAAAAAARoZS1tc2dmb2xkZXJyb290",
                                    "contacts": book, "children": []}
        number = [0]

        def add(spec, parent_id):
            number[0] += 1
            folder_id = people.graph_folder_id(number[0])
            self.folders[folder_id] = {"id": folder_id, "displayName": spec["name"], "parentFolderId": parent_id,
                                       "contacts": records(spec.get("contacts", 0), folder_id), "children": []}
            self.folders[parent_id]["children"].append(folder_id)
            for child in spec.get("children", ()):
                add(child, folder_id)

        for spec in folders:
            add(spec, default_id)

    def folder_id(self, name):
        """Id of the (first) folder with this display name."""
        for folder in self.folders.values():
            if folder["displayName"] == name:
                return folder["id"]
        raise KeyError(name)

    def _decide(self, user_code, approved):
        code = user_code.strip().upper()
        with self._device_lock:
            if code not in self._device_code_of:
                raise KeyError(user_code)
            self._user_grants[code] = (self.user, approved)

    def _issued_user_codes(self):
        return set(self._device_code_of)

    def _enforced_gap(self):
        return self.interval if self.enforced_interval is None else self.enforced_interval

    def _polled_too_soon(self, credential):
        now = time.monotonic()
        with self._device_lock:
            last, credential["last_poll"] = credential["last_poll"], now
            if self.force_slow_down > 0:
                self.force_slow_down -= 1
            elif last is None or now - last >= credential["gap"] - 0.05:
                return False
            credential["gap"] += self.slow_down_increment
            return True

    # -- the app ----------------------------------------------------------------------------

    def create_app(self):
        app = make_app(f"fake-microsoft-{id(self)}")
        server = AuthorizationServer(app, query_client=self.store.query_client, save_token=self._save_token)
        server.fake = self
        server.scopes_supported = SUPPORTED_SCOPES
        server.register_token_generator("default", self._generate_token)
        server.register_grant(MicrosoftCodeGrant, [S256CodeChallenge(required=True)])
        server.register_grant(MicrosoftRefreshGrant)
        server.register_grant(MicrosoftDeviceGrant)
        server.register_endpoint(MicrosoftDeviceEndpoint)
        self.authorization_server = server
        self.protector = ResourceProtector()
        self.protector.register_token_validator(StoreBearerValidator(self.store))

        app.add_url_rule("/<tenant>/oauth2/v2.0/devicecode", "devicecode", self._devicecode, methods=["POST"])
        app.add_url_rule("/<tenant>/oauth2/v2.0/token", "token", self._token, methods=["POST"])
        app.add_url_rule("/<tenant>/oauth2/v2.0/authorize", "authorize", self._authorize, methods=["GET", "POST"])
        app.add_url_rule("/link", "link", self._link, methods=["GET", "POST"])
        app.add_url_rule("/v1.0/me", "me", self._graph(self._me))
        app.add_url_rule("/v1.0/me/contacts", "contacts", self._graph(self._default_contacts))
        app.add_url_rule("/v1.0/me/contactFolders", "folders", self._graph(self._top_folders))
        app.add_url_rule("/v1.0/me/contactFolders/<folder_id>", "folder", self._graph(self._folder))
        app.add_url_rule("/v1.0/me/contactFolders/<folder_id>/childFolders", "children",
                         self._graph(self._child_folders))
        app.add_url_rule("/v1.0/me/contactFolders/<folder_id>/contacts", "folder_contacts",
                         self._graph(self._folder_contacts))
        return app

    # -- login ------------------------------------------------------------------------------

    def _generate_token(self, grant_type, client, user=None, scope=None, expires_in=None, include_refresh_token=True):
        scopes = [short_scope(s) for s in (scope or "").split()]
        token = {"token_type": "Bearer", "scope": " ".join(scopes), "expires_in": self.access_token_lifetime,
                 "ext_expires_in": self.access_token_lifetime, "access_token": self.store.new_access_token()}
        # offline_access is what yields a refresh token; a refresh always gives a new one.
        if include_refresh_token and ("offline_access" in scopes or grant_type == "refresh_token"):
            token["refresh_token"] = self.store.new_refresh_token()
        return token

    def _save_token(self, token, oauth_request):
        previous = oauth_request.refresh_token
        self.store.save_token(Token(
            access_token=token["access_token"], client_id=oauth_request.client.get_client_id(),
            scope=token["scope"], user=oauth_request.user,
            grant_id=previous.grant_id if previous is not None else token["access_token"],
            expires_in=token["expires_in"], refresh_token=token.get("refresh_token"),
            max_uses=self.expire_after_requests))
        self.token_responses.append(dict(token))

    def _login_precheck(self, tenant):
        """Checks the identity platform makes before any grant: tenant, no secret, scope."""
        g.tenant = tenant
        if tenant not in self.tenants:
            return login_error("invalid_request", 90002, f"Tenant '{tenant}' not found. Check to make sure you have "
                                                         "the correct tenant ID and are signing into the correct "
                                                         "cloud.")
        if request.form.get("client_secret") or request.form.get("client_assertion"):
            self.store.remember(request.form.get("client_secret"))
            return login_error("invalid_client", 700025, "Client is public so neither 'client_assertion' nor "
                                                         "'client_secret' should be presented.", status=401)
        if request.headers.get("Authorization", "").lower().startswith("basic "):
            return login_error("invalid_client", 700025, "Client is public so neither 'client_assertion' nor "
                                                         "'client_secret' should be presented.", status=401)
        return None

    def _devicecode(self, tenant):
        refused = self._login_precheck(tenant)
        if refused is not None:
            return refused
        if not request.form.get("scope"):
            return login_error("invalid_request", 900144, "The request body must contain the following parameter: "
                                                          "'scope'.")
        response = self.authorization_server.create_endpoint_response(MicrosoftDeviceEndpoint.ENDPOINT_NAME)
        if response.status_code != 200:
            return translate_login_error(response, request.form.get("client_id"), tenant, self.interval)
        return response

    def _token(self, tenant):
        refused = self._login_precheck(tenant)
        if refused is not None:
            return refused
        self.store.remember(request.form.get("code_verifier"))
        response = self.authorization_server.create_token_response()
        if response.status_code != 200:
            credential = self._device_credentials.get(request.form.get("device_code", ""))
            gap = credential["gap"] if credential else self._enforced_gap()
            return translate_login_error(response, request.form.get("client_id"), tenant, gap)
        if tenant in self.consent_required_tenants:
            issued = self.store.find_any(response.get_json()["access_token"])
            if issued is not None:
                self.store.revoke_grant(issued)
            return login_error("invalid_grant", 65001,
                               f"The user or administrator has not consented to use the application with ID "
                               f"'{self.client_id}' named 'contact-import'. Send an interactive authorization "
                               "request for this user and resource.", suberror="consent_required")
        return response

    def _authorize(self, tenant):
        server = self.authorization_server
        if tenant not in self.tenants:
            return pages.error_page("Microsoft", "invalid_request", f"AADSTS90002: Tenant '{tenant}' not found.", 400)
        try:
            grant = server.get_consent_grant(end_user=self.user)
        except OAuth2Error as error:
            if error.redirect_uri:
                return server.handle_error_response(None, error)
            description = error.get_error_description()
            if "Redirect URI" in (description or ""):
                description = ("AADSTS50011: The redirect URI specified in the request does not match the redirect "
                               "URIs configured for the application.")
            return pages.error_page("Microsoft", error.error, description, error.status_code)
        if request.method == "GET":
            action = request.full_path if request.query_string else request.path
            return pages.consent_page("Microsoft", self.owner["userPrincipalName"], "contact-import",
                                      (grant.request.payload.scope or "").split(), action, granular=False)
        allowed = request.form.get("decision") == "allow"
        return server.create_authorization_response(grant=grant, grant_user=self.user if allowed else None)

    def _link(self):
        if request.method == "GET":
            return pages.device_link_page("Microsoft", user_code=request.args.get("user_code", ""))
        code = request.form.get("user_code", "").strip().upper()
        credential = self._device_credentials.get(self._device_code_of.get(code, ""))
        if credential is None:
            return pages.device_link_page("Microsoft", "That code didn't work. Check the code and try again.", 400)
        if credential.is_expired():
            return pages.device_link_page("Microsoft", "That code has expired. Request a new one on your device.",
                                          400)
        approved = request.form.get("decision") == "approve"
        self._decide(code, approved)
        return pages.device_done_page("Microsoft", approved)

    # -- Graph ------------------------------------------------------------------------------

    def _graph(self, handler):
        def endpoint(**kwargs):
            try:
                return handler(**kwargs)
            except GraphError as error:
                return error.response()
        endpoint.__name__ = handler.__name__
        return endpoint

    def _authenticate(self, any_of_scopes):
        try:
            return self.protector.acquire_token(any_of_scopes)
        except InsufficientScopeError:
            raise GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.") from None
        except OAuth2Error:
            authorization = request.headers.get("Authorization", "")
            message = ("Access token is empty." if not authorization.strip()
                       else "Access token has expired or is not yet valid.")
            raise GraphError(401, "InvalidAuthenticationToken", message, headers={
                "WWW-Authenticate": 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/'
                                    'oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"'}) from None

    def _me(self):
        self._authenticate(["User.Read"])
        return jsonify(self.owner)

    def _query(self, properties):
        """$top, $skip, $select and $count of a collection request."""
        for name in request.args:
            if name.startswith("$") and name not in QUERY_OPTIONS:
                raise GraphError(400, "BadRequest", f"The query specified in the URI is not valid. Query option "
                                                    f"'{name}' is not supported here.")
        try:
            top = int(request.args.get("$top", "10"))
            skip = int(request.args.get("$skip", "0"))
        except ValueError:
            raise GraphError(400, "BadRequest", "Invalid $top or $skip value: an integer is expected.") from None
        if top < 1 or skip < 0:
            raise GraphError(400, "BadRequest", "Invalid $top or $skip value.")
        top = min(top, 1000)
        select = None
        if "$select" in request.args:
            select = [s.strip() for s in request.args["$select"].split(",") if s.strip()]
            for name in select:
                if name not in properties:
                    raise GraphError(400, "RequestBroker--ParseUri",
                                     f"Could not find a property named '{name}' on type 'microsoft.graph."
                                     f"{'contact' if properties is CONTACT_PROPERTIES else 'contactFolder'}'.")
        count = request.args.get("$count") == "true"
        return top, skip, select, count

    def _collection(self, records, context, properties, project=None):
        top, skip, select, count = self._query(properties)
        page = records[skip:skip + top]
        if project is not None:
            page = [project(r) for r in page]
        if select is not None:
            keep = set(select) | {"id", "@odata.etag"}
            page = [{k: v for k, v in r.items() if k in keep} if isinstance(r, dict) else r for r in page]
        body = {"@odata.context": f"{self.url}/v1.0/$metadata#users('{self.owner['id']}')/{context}"}
        if count:
            body["@odata.count"] = len(records)
        body["value"] = page
        if skip + top < len(records):
            params = {}
            if select is not None:
                params["$select"] = ",".join(select)
            if count:
                params["$count"] = "true"
            params["$top"] = str(top)
            params["$skip"] = str(skip + top)
            # On the host that was asked, as Graph's own links are: a proxy in front of
            # the fake (the fault tests') is asked for the next pages too.
            host = request.host_url.rstrip("/")
            body["@odata.nextLink"] = f"{host}{request.path}?{urlencode(params, safe='$,')}"
        return jsonify(body)

    def _count_contact_page(self):
        with self._page_lock:
            number = self._pages_served + 1
            if number == self.rate_limit_on_page and not self._rate_limited:
                self._rate_limited = True
                headers = {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}
                raise GraphError(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.",
                                 headers=headers)
            self._pages_served = number
            g.fake_extra = {"page": number}
            if number == self.stop_after_page:
                g.fake_go_away = True

    def _find_folder(self, folder_id):
        folder = self.folders.get(folder_id)
        if folder is None:
            raise GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.")
        return folder

    @staticmethod
    def _folder_record(folder):
        return {"id": folder["id"], "displayName": folder["displayName"], "parentFolderId": folder["parentFolderId"]}

    def _contacts_page(self, folder, context):
        self._query(CONTACT_PROPERTIES)  # a bad query is refused before it counts as a page
        self._count_contact_page()
        return self._collection(folder["contacts"], context, CONTACT_PROPERTIES)

    def _default_contacts(self):
        self._authenticate(["Contacts.Read", "Contacts.ReadWrite"])
        return self._contacts_page(self.folders[self.default_folder_id], "contacts")

    def _folder_contacts(self, folder_id):
        self._authenticate(["Contacts.Read", "Contacts.ReadWrite"])
        folder = self._find_folder(folder_id)
        return self._contacts_page(folder, f"contactFolders('{folder_id}')/contacts")

    def _folders_in(self, folder, context):
        children = [self.folders[i] for i in folder["children"]]
        return self._collection(children, context, FOLDER_PROPERTIES, project=self._folder_record)

    def _top_folders(self):
        self._authenticate(["Contacts.Read", "Contacts.ReadWrite"])
        return self._folders_in(self.folders[self.default_folder_id], "contactFolders")

    def _child_folders(self, folder_id):
        self._authenticate(["Contacts.Read", "Contacts.ReadWrite"])
        folder = self._find_folder(folder_id)
        return self._folders_in(folder, f"contactFolders('{folder_id}')/childFolders")

    def _folder(self, folder_id):
        self._authenticate(["Contacts.Read", "Contacts.ReadWrite"])
        record = self._folder_record(self._find_folder(folder_id))
        record["@odata.context"] = f"{self.url}/v1.0/$metadata#users('{self.owner['id']}')/contactFolders/$entity"
        return jsonify(record)
