"""FakeGoogle: Google's installed-app OAuth (authorization code + PKCE, loopback redirect,
refresh, revocation) and the People API endpoints the importer reads, on 127.0.0.1.
The API is documented in the package docstring (fakes/__init__.py).
"""

import threading
import time
from urllib.parse import parse_qs, urlsplit

from authlib.common.security import generate_token
from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import AccessDeniedError, InvalidGrantError
from authlib.oauth2.rfc6750 import InsufficientScopeError
from authlib.oauth2.rfc7009 import RevocationEndpoint
from flask import Response, g, jsonify, request

from . import pages, people
from .oauth import (AuthorizationCode, Client, OAuthStore, S256CodeChallenge, StoreBearerValidator, StoredCodes, Token,
                    User)
from .server import FakeServer, act_on_consent_page, make_app

CONTACTS_READONLY = "https://www.googleapis.com/auth/contacts.readonly"
CONTACTS_OTHER_READONLY = "https://www.googleapis.com/auth/contacts.other.readonly"
CONTACTS = "https://www.googleapis.com/auth/contacts"
PROFILE_SCOPES = ["openid", "email", "profile", "https://www.googleapis.com/auth/userinfo.email",
                  "https://www.googleapis.com/auth/userinfo.profile"]
SUPPORTED_SCOPES = [CONTACTS_READONLY, CONTACTS_OTHER_READONLY, CONTACTS, *PROFILE_SCOPES]

AUTH_PATH = "/o/oauth2/v2/auth"
TOKEN_PATH = "/token"
REVOKE_PATH = "/revoke"

PERSON_FIELDS = {
    "addresses", "ageRanges", "biographies", "birthdays", "calendarUrls", "clientData", "coverPhotos",
    "emailAddresses", "events", "externalIds", "genders", "imClients", "interests", "locales", "locations",
    "memberships", "metadata", "miscKeywords", "names", "nicknames", "occupations", "organizations",
    "phoneNumbers", "photos", "relations", "sipAddresses", "skills", "urls", "userDefined",
}
OTHER_CONTACT_FIELDS = {"emailAddresses", "metadata", "names", "phoneNumbers", "photos"}
GROUP_FIELDS = {"clientData", "groupType", "memberCount", "metadata", "name"}
SORT_ORDERS = {"LAST_MODIFIED_ASCENDING", "LAST_MODIFIED_DESCENDING", "FIRST_NAME_ASCENDING", "LAST_NAME_ASCENDING"}
READ_SOURCES = {"READ_SOURCE_TYPE_PROFILE", "READ_SOURCE_TYPE_CONTACT", "READ_SOURCE_TYPE_DOMAIN_CONTACT",
                "READ_SOURCE_TYPE_OTHER_CONTACT"}
# Parameters every Google API accepts besides the method's own.
SYSTEM_PARAMETERS = {"$.xgafv", "access_token", "alt", "callback", "fields", "key", "oauth_token", "prettyPrint",
                     "quotaUser", "upload_protocol", "uploadType"}

# A 1x1 PNG for photo URLs.
PHOTO_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8"
    "cfc0f01f0005000201a5f6453a0000000049454e44ae426082")


class GoogleApiError(Exception):
    """An error answered in Google's JSON envelope."""

    def __init__(self, code, status, message, reason, headers=None, method=None):
        super().__init__(message)
        self.code, self.status, self.message, self.reason = code, status, message, reason
        self.headers = headers or {}
        self.method = method

    def response(self):
        detail = {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": self.reason,
                  "domain": "googleapis.com", "metadata": {"service": "people.googleapis.com"}}
        if self.method:
            detail["metadata"]["method"] = self.method
        if self.code == 429:
            detail["metadata"].update({"quota_metric": "people.googleapis.com/read_requests",
                                       "quota_limit": "ReadRequestsPerMinutePerUser",
                                       "quota_location": "global", "quota_unit": "1/min/{project}/{user}",
                                       "consumer": "projects/000000000000", "quota_limit_value": "90"})
        body = {"error": {"code": self.code, "message": self.message, "status": self.status, "details": [detail]}}
        response = jsonify(body)
        response.status_code = self.code
        for name, value in self.headers.items():
            response.headers[name] = value
        return response


def invalid_argument(message, method=None):
    return GoogleApiError(400, "INVALID_ARGUMENT", message, "INVALID_ARGUMENT", method=method)


# -- authlib grants ----------------------------------------------------------------------------


class GoogleCodeGrant(StoredCodes, grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_post", "client_secret_basic"]

    def save_authorization_code(self, code, oauth_request):
        fake = self.server.fake
        requested = (oauth_request.payload.scope or "").split()
        granted = g.get("granted_scopes")
        scopes = [s for s in requested if granted is None or s in granted]
        data = oauth_request.payload.data
        fake.store.save_code(AuthorizationCode(
            code=code, client_id=oauth_request.client.get_client_id(),
            redirect_uri=oauth_request.payload.redirect_uri, scope=" ".join(scopes), user=oauth_request.user,
            code_challenge=data.get("code_challenge"), code_challenge_method=data.get("code_challenge_method"),
            offline=data.get("access_type") == "offline", expires_at=time.time() + 600))

    def generate_token(self, user=None, scope=None, grant_type=None, expires_in=None, include_refresh_token=True):
        # Google issues a refresh token only to requests made with access_type=offline.
        offline = self.request.authorization_code.offline
        return super().generate_token(user=user, scope=scope, grant_type=grant_type, expires_in=expires_in,
                                      include_refresh_token=include_refresh_token and offline)

    def create_authorization_response(self, redirect_uri, grant_user):
        if not grant_user:
            # Google's cancel redirect carries only error=access_denied and the state.
            raise AccessDeniedError(description="", redirect_uri=redirect_uri)
        return super().create_authorization_response(redirect_uri, grant_user)


class GoogleRefreshGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_post", "client_secret_basic"]
    INCLUDE_NEW_REFRESH_TOKEN = False

    def authenticate_refresh_token(self, refresh_token):
        return self.server.fake.store.find_refresh(refresh_token)

    def authenticate_user(self, refresh_token):
        return refresh_token.user

    def revoke_old_credential(self, refresh_token):
        pass  # Google keeps a refresh token valid until it is revoked


class GoogleRevocation(RevocationEndpoint):
    # Google's revoke endpoint takes just the token (in the form body, or in the query as
    # Google's own examples do): the client is the one it was issued to.
    CLIENT_AUTH_METHODS = ["token_owner"]

    def authenticate_token(self, oauth_request, client):
        token = self.query_token(oauth_request.payload.data.get("token", ""), None)
        if token and not token.check_client(client):
            raise InvalidGrantError()
        return token

    def query_token(self, token_string, token_type_hint):
        return self.server.fake.store.find_any(token_string)

    def revoke_token(self, token, oauth_request):
        fake = self.server.fake
        fake.store.revoke_grant(token)
        fake.store.revoked.append(oauth_request.payload.data["token"])


class FakeGoogle(FakeServer):
    """Google OAuth + People API on 127.0.0.1. See the package docstring for every knob."""

    def __init__(self, client_id="fake-client-1.apps.googleusercontent.com", client_secret=None, *,
                 contacts=10, other_contacts=0, groups=None, owner=None, malformed=0, latency=0.0,
                 access_token_lifetime=3599, expire_after_requests=None, rate_limit_on_page=None,
                 retry_after=1, stop_after_page=None):
        super().__init__(latency=latency)
        self.client_id = client_id
        self.client_secret = client_secret or "GOCSPX-" + generate_token(28)
        self.access_token_lifetime = access_token_lifetime
        self.expire_after_requests = expire_after_requests
        self.rate_limit_on_page = rate_limit_on_page
        self.retry_after = retry_after
        self.stop_after_page = stop_after_page
        self._contacts_spec = contacts
        self._malformed_count = malformed
        self.contacts = []
        self.other_contacts = (people.google_other_contacts(other_contacts) if isinstance(other_contacts, int)
                               else list(other_contacts))
        self.groups = people.google_user_groups() if groups is None else list(groups)
        self.owner = owner or people.google_owner()
        self.user = User(self.owner["resourceName"])
        self.store = OAuthStore("ya29.a0Fake", "1//0gFake", "4/0AFake")
        self.store.add_client(Client(
            client_id=client_id, client_secret=self.client_secret, redirect_hosts=("127.0.0.1", "::1"),
            auth_methods={"token": ("client_secret_post", "client_secret_basic"), "revocation": ("token_owner",)},
            grant_types=("authorization_code", "refresh_token")))
        self.token_responses = []
        self._page_lock = threading.Lock()
        self._pages_served = 0
        self._rate_limited = False
        self._page_tokens = {}
        if not isinstance(contacts, int):
            self._build_book(None)

    # -- public properties -----------------------------------------------------------------

    @property
    def auth_url(self):
        return self.url + AUTH_PATH

    @property
    def token_url(self):
        return self.url + TOKEN_PATH

    @property
    def revoke_url(self):
        return self.url + REVOKE_PATH

    @property
    def people_url(self):
        return self.url

    @property
    def secrets(self):
        return list(self.store.secrets)

    @property
    def revoked(self):
        return list(self.store.revoked)

    @property
    def malformed_resource_names(self):
        return [p["resourceName"] for p in self.contacts
                if isinstance(p, dict) and str(p.get("resourceName", "")).startswith("people/cmalformed")]

    @property
    def pages_served(self):
        return self._pages_served

    def expire_access_tokens(self):
        """Every access token issued so far answers 401 from now on (refresh tokens still work)."""
        self.store.expire_access_tokens()

    def consent(self, auth_url, allow=True, scopes=None, deliver=False):
        """Do what a browser does on the consent page: GET auth_url, then POST the form with
        decision=allow (ticking `scopes`, default all requested) or decision=cancel. Returns the
        redirect Location (the client's loopback URL with code/state or error/state). With
        deliver=True the Location is also requested, as the browser would. Raises ConsentError
        when the page refuses the request without redirecting (bad client, bad redirect_uri)."""
        if scopes is None:
            scopes = parse_qs(urlsplit(auth_url).query).get("scope", [""])[0].split()
        form = {"decision": "allow" if allow else "cancel", "granted_scope": list(scopes)}
        return act_on_consent_page(auth_url, form, deliver)

    # -- the app ----------------------------------------------------------------------------

    def start(self):
        if isinstance(self._contacts_spec, int) and not self.contacts:
            super().start()
            self._build_book(people.google_people(self._contacts_spec, photo_base=self.url + "/photos"))
            return self
        return super().start()

    def _build_book(self, generated):
        book = list(generated if generated is not None else self._contacts_spec)
        malformed = people.google_malformed(self._malformed_count)
        for k, record in enumerate(malformed):
            # Spread the broken records through the book, deterministically.
            book.insert(min(len(book), (k + 1) * (len(book) // (len(malformed) + 1) + 1)), record)
        self.contacts = book

    def create_app(self):
        app = make_app(f"fake-google-{id(self)}")
        server = AuthorizationServer(app, query_client=self.store.query_client, save_token=self._save_token)
        server.fake = self
        server.scopes_supported = SUPPORTED_SCOPES
        server.register_token_generator("default", self._generate_token)
        server.register_client_auth_method("token_owner", self._token_owner)
        server.register_grant(GoogleCodeGrant, [S256CodeChallenge(required=True)])
        server.register_grant(GoogleRefreshGrant)
        server.register_endpoint(GoogleRevocation)
        self.authorization_server = server
        self.protector = ResourceProtector()
        self.protector.register_token_validator(StoreBearerValidator(self.store))

        app.add_url_rule(AUTH_PATH, "authorize", self._authorize, methods=["GET", "POST"])
        app.add_url_rule(TOKEN_PATH, "token", self._token, methods=["POST"])
        app.add_url_rule(REVOKE_PATH, "revoke", self._revoke, methods=["POST"])
        app.add_url_rule("/v1/people/me/connections", "connections", self._api(self._connections))
        app.add_url_rule("/v1/people/me", "me", self._api(self._me))
        app.add_url_rule("/v1/contactGroups", "groups", self._api(self._contact_groups))
        app.add_url_rule("/v1/otherContacts", "other", self._api(self._other_contacts))
        app.add_url_rule("/photos/<photo_id>", "photo", self._photo)
        return app

    # -- OAuth ------------------------------------------------------------------------------

    def _generate_token(self, grant_type, client, user=None, scope=None, expires_in=None, include_refresh_token=True):
        token = {"access_token": self.store.new_access_token(), "expires_in": self.access_token_lifetime,
                 "scope": scope or "", "token_type": "Bearer"}
        if include_refresh_token:
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

    def _token_owner(self, query_client, oauth_request):
        token = self.store.find_any(oauth_request.payload.data.get("token", ""))
        return query_client(token.client_id) if token is not None else None

    def _authorize(self):
        server = self.authorization_server
        try:
            grant = server.get_consent_grant(end_user=self.user)
        except OAuth2Error as error:
            if error.redirect_uri:
                return server.handle_error_response(None, error)
            return pages.error_page("Google", error.error, error.get_error_description(), error.status_code)
        if request.method == "GET":
            requested = (grant.request.payload.scope or "").split()
            action = request.full_path if request.query_string else request.path
            return pages.consent_page("Google", self.owner["emailAddresses"][0]["value"], "contact-import",
                                      requested, action, granular=True)
        allowed = request.form.get("decision") == "allow"
        g.granted_scopes = set(request.form.getlist("granted_scope"))
        return server.create_authorization_response(grant=grant, grant_user=self.user if allowed else None)

    def _token(self):
        self.store.remember(request.form.get("code_verifier"))
        self.store.remember(request.form.get("client_secret"))
        return self.authorization_server.create_token_response()

    def _revoke(self):
        token = self.store.find_any(request.values.get("token", ""))
        if token is None or token.revoked:
            return jsonify({"error": "invalid_token", "error_description": "Token expired or revoked"}), 400
        return self.authorization_server.create_endpoint_response(GoogleRevocation.ENDPOINT_NAME)

    # -- People API -------------------------------------------------------------------------

    def _api(self, handler):
        def endpoint():
            try:
                return handler()
            except GoogleApiError as error:
                return error.response()
        endpoint.__name__ = handler.__name__
        return endpoint

    def _authenticate(self, any_of_scopes, method):
        try:
            return self.protector.acquire_token(any_of_scopes)
        except InsufficientScopeError:
            raise GoogleApiError(403, "PERMISSION_DENIED", "Request had insufficient authentication scopes.",
                                 "ACCESS_TOKEN_SCOPE_INSUFFICIENT", method=method) from None
        except OAuth2Error as error:
            missing = not request.headers.get("Authorization")
            message = ("Request is missing required authentication credential. Expected OAuth 2 access token, "
                       "login cookie or other valid authentication credential. See "
                       "https://developers.google.com/identity/sign-in/web/devconsole-project."
                       if missing else
                       "Request had invalid authentication credentials. Expected OAuth 2 access token, "
                       "login cookie or other valid authentication credential. See "
                       "https://developers.google.com/identity/sign-in/web/devconsole-project.")
            reason = "CREDENTIALS_MISSING" if missing else (
                "ACCESS_TOKEN_EXPIRED" if error.error == "invalid_token" else "ACCESS_TOKEN_TYPE_UNSUPPORTED")
            raise GoogleApiError(401, "UNAUTHENTICATED", message, reason, method=method, headers={
                "WWW-Authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"'}) from None

    @staticmethod
    def _check_parameters(allowed, method):
        for name in request.args:
            if name not in allowed and name not in SYSTEM_PARAMETERS:
                raise invalid_argument(f'Invalid JSON payload received. Unknown name "{name}": Cannot bind query '
                                       f"parameter. Field '{name}' could not be found in request message.", method)

    @staticmethod
    def _field_mask(name, valid, method, required=True):
        value = request.args.get(name, "")
        fields = [f.strip() for f in value.split(",") if f.strip()]
        if not fields:
            if required:
                raise invalid_argument(f"{name} mask is required. Please specify one or more valid paths. "
                                       "Valid paths are documented at "
                                       "https://developers.google.com/people/api/rest/v1/people.connections/list.",
                                       method)
            return None
        for f in fields:
            if f.startswith("person."):
                f = f[len("person."):]
            if f not in valid:
                raise invalid_argument(f'Invalid {name} mask path: "{f}". Valid paths are documented at '
                                       "https://developers.google.com/people/api/rest/v1/people.connections/list.",
                                       method)
        return {f.removeprefix("person.") for f in fields}

    @staticmethod
    def _page_size(default, method):
        raw = request.args.get("pageSize")
        if raw is None:
            return default
        try:
            size = int(raw)
        except ValueError:
            raise invalid_argument(f'Invalid value at \'page_size\' (TYPE_INT32), "{raw}"', method) from None
        if size < 0 or size > 1000:
            raise invalid_argument("Page size must be between 0 and 1000.", method)
        return size or default

    def _page_start(self, listing, method):
        """Offset of this page: 0 without pageToken; with one, every other parameter must be
        the same as in the call that got it."""
        signature = (listing, tuple(sorted((k, tuple(request.args.getlist(k))) for k in request.args
                                           if k != "pageToken")))
        token = request.args.get("pageToken")
        if not token:
            return 0, signature
        known = self._page_tokens.get(token)
        if known is None:
            raise invalid_argument("Page token is not valid.", method)
        if known[0] != signature:
            raise invalid_argument("Parameters provided with a page token must match the parameters of the "
                                   "call that provided the page token.", method)
        return known[1], signature

    def _next_page_token(self, signature, offset):
        token = generate_token(32)
        self._page_tokens[token] = (signature, offset)
        return token

    def _count_contact_page(self, method):
        """Rate limiting and going away count the requests for a page of contacts."""
        with self._page_lock:
            number = self._pages_served + 1
            if number == self.rate_limit_on_page and not self._rate_limited:
                self._rate_limited = True
                headers = {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}
                raise GoogleApiError(429, "RESOURCE_EXHAUSTED",
                                     "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per "
                                     "minute per user' of service 'people.googleapis.com' for consumer "
                                     "'project_number:000000000000'.", "RATE_LIMIT_EXCEEDED", headers=headers,
                                     method=method)
            self._pages_served = number
            g.fake_extra = {"page": number}
            if number == self.stop_after_page:
                g.fake_go_away = True

    @staticmethod
    def _only(record, fields):
        if not isinstance(record, dict):
            return record
        return {k: v for k, v in record.items() if k in ("resourceName", "etag") or k in fields}

    def _sorted_book(self, order):
        book = self.contacts
        if order in (None, "LAST_MODIFIED_ASCENDING"):
            return book
        if order == "LAST_MODIFIED_DESCENDING":
            return list(reversed(book))
        key = "givenName" if order == "FIRST_NAME_ASCENDING" else "familyName"

        def sort_key(person):
            try:
                return str(person["names"][0].get(key) or "")
            except (KeyError, IndexError, TypeError, AttributeError):
                return ""
        return sorted(book, key=sort_key)

    def _connections(self):
        method = "google.people.v1.PeopleService.ListConnections"
        self._authenticate([CONTACTS_READONLY, CONTACTS], method)
        self._check_parameters({"personFields", "pageSize", "pageToken", "sortOrder", "requestSyncToken",
                                "syncToken", "sources", "requestMask.includeField"}, method)
        fields = self._field_mask("personFields", PERSON_FIELDS, method)
        size = self._page_size(100, method)
        order = request.args.get("sortOrder")
        if order is not None and order not in SORT_ORDERS:
            raise invalid_argument(f'Invalid value at \'sort_order\' (type.googleapis.com/google.people.v1.'
                                   f'ListConnectionsRequest.SortOrder), "{order}"', method)
        for source in request.args.getlist("sources"):
            if source not in READ_SOURCES:
                raise invalid_argument(f"Invalid value at 'sources' (type.googleapis.com/google.people.v1."
                                       f'ReadSourceType), "{source}"', method)
        start, signature = self._page_start("connections", method)
        self._count_contact_page(method)
        book = self._sorted_book(order)
        page = book[start:start + size]
        body = {}
        if page:
            body["connections"] = [self._only(p, fields) for p in page]
        if start + size < len(book):
            body["nextPageToken"] = self._next_page_token(signature, start + size)
        elif request.args.get("requestSyncToken") == "true":
            body["nextSyncToken"] = "EAEg" + generate_token(24)
        if book:  # proto3 JSON leaves out zero counts: an empty book answers {}
            body["totalPeople"] = len(book)
            body["totalItems"] = len(book)
        return jsonify(body)

    def _other_contacts(self):
        method = "google.people.v1.OtherContacts.ListOtherContacts"
        self._authenticate([CONTACTS_OTHER_READONLY], method)
        self._check_parameters({"readMask", "pageSize", "pageToken", "requestSyncToken", "syncToken", "sources"},
                               method)
        fields = self._field_mask("readMask", OTHER_CONTACT_FIELDS, method)
        size = self._page_size(100, method)
        start, signature = self._page_start("otherContacts", method)
        self._count_contact_page(method)
        book = self.other_contacts
        page = book[start:start + size]
        body = {}
        if page:
            body["otherContacts"] = [self._only(p, fields) for p in page]
        if start + size < len(book):
            body["nextPageToken"] = self._next_page_token(signature, start + size)
        elif request.args.get("requestSyncToken") == "true":
            body["nextSyncToken"] = "EAEg" + generate_token(24)
        if book:
            body["totalSize"] = len(book)
        return jsonify(body)

    def _me(self):
        method = "google.people.v1.PeopleService.GetPerson"
        self._authenticate([CONTACTS_READONLY, CONTACTS, CONTACTS_OTHER_READONLY, *PROFILE_SCOPES], method)
        self._check_parameters({"personFields", "requestMask.includeField", "sources"}, method)
        fields = self._field_mask("personFields", PERSON_FIELDS, method)
        return jsonify(self._only(self.owner, fields))

    def _group_counts(self):
        counts = {}
        for person in self.contacts:
            try:
                for membership in person["memberships"]:
                    group = membership["contactGroupMembership"]["contactGroupId"]
                    counts[group] = counts.get(group, 0) + 1
            except (KeyError, TypeError):
                continue
        return counts

    def _contact_groups(self):
        method = "google.people.v1.ContactGroupService.ListContactGroups"
        self._authenticate([CONTACTS_READONLY, CONTACTS], method)
        self._check_parameters({"pageSize", "pageToken", "groupFields", "syncToken"}, method)
        fields = self._field_mask("groupFields", GROUP_FIELDS, method, required=False)
        if fields is None:
            fields = {"metadata", "groupType", "memberCount", "name"}
        size = self._page_size(30, method)
        start, signature = self._page_start("contactGroups", method)
        counts = self._group_counts()
        groups = []
        for group_id, name in people.GOOGLE_SYSTEM_GROUPS:
            groups.append((group_id, name, name, "SYSTEM_CONTACT_GROUP"))
        for group in self.groups:
            groups.append((group["id"], group["name"], group["name"], "USER_CONTACT_GROUP"))
        records = []
        for number, (group_id, name, formatted, kind) in enumerate(groups):
            record = {"resourceName": f"contactGroups/{group_id}", "etag": f"#grp{number:04d}"}
            if "metadata" in fields:
                record["metadata"] = {"updateTime": "2025-01-01T00:00:00.000Z"}
            if "groupType" in fields:
                record["groupType"] = kind
            if "name" in fields:
                record["name"] = name
                record["formattedName"] = formatted
            if "memberCount" in fields and counts.get(group_id):
                record["memberCount"] = counts[group_id]
            records.append(record)
        page = records[start:start + size]
        body = {"contactGroups": page, "totalItems": len(records)}
        if start + size < len(records):
            body["nextPageToken"] = self._next_page_token(signature, start + size)
        else:
            body["nextSyncToken"] = "EAEg" + generate_token(24)
        return jsonify(body)

    def _photo(self, photo_id):
        return Response(PHOTO_PNG, mimetype="image/png")
