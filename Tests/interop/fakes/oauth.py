"""In-memory OAuth 2.0 models for authlib's AuthorizationServer and ResourceProtector, shared by
the provider fakes: clients, authorization codes (with their PKCE challenge), tokens, and the
list of every secret a fake issued or was told, so tests can look for leaks.
"""

import hmac
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from authlib.common.security import generate_token
from authlib.oauth2.rfc6749 import AuthorizationCodeMixin, ClientMixin, TokenMixin
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc6749.errors import InvalidRequestError
from authlib.oauth2.rfc6750 import BearerTokenValidator


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str | None
    redirect_hosts: tuple
    auth_methods: dict  # endpoint name -> allowed client authentication methods
    grant_types: tuple

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return None

    def get_allowed_scope(self, scope):
        return scope or None

    def check_redirect_uri(self, redirect_uri):
        """Loopback redirects only, on any port and path (the desktop-app rule)."""
        try:
            parts = urlsplit(redirect_uri)
            parts.port  # noqa: B018 - raises ValueError on a malformed port
        except ValueError:
            return False
        return (parts.scheme == "http" and parts.hostname in self.redirect_hosts
                and parts.username is None and not parts.fragment)

    def check_client_secret(self, client_secret):
        return self.client_secret is not None and hmac.compare_digest(self.client_secret, client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return method in self.auth_methods.get(endpoint, ())

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type in self.grant_types


@dataclass
class User:
    user_id: str

    def get_user_id(self):
        return self.user_id


@dataclass
class AuthorizationCode(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: User
    code_challenge: str | None
    code_challenge_method: str | None
    offline: bool
    expires_at: float

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def is_expired(self):
        return time.time() > self.expires_at


@dataclass
class Token(TokenMixin):
    access_token: str
    client_id: str
    scope: str
    user: User
    grant_id: str
    expires_in: int
    refresh_token: str | None = None
    issued_at: float = field(default_factory=time.time)
    max_uses: int | None = None
    uses: int = 0
    revoked: bool = False
    expired: bool = False

    def check_client(self, client):
        return client.get_client_id() == self.client_id

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return self.expires_in

    def is_expired(self):
        if self.expired or time.time() > self.issued_at + self.expires_in:
            return True
        return self.max_uses is not None and self.uses > self.max_uses

    def is_revoked(self):
        return self.revoked

    def get_user(self):
        return self.user


class S256CodeChallenge(CodeChallenge):
    """PKCE as the fakes demand it: a code_challenge is required and must use S256."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant, redirect_uri):
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("Missing 'code_challenge'")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("'code_challenge_method' must be S256")
        super().validate_code_challenge(grant, redirect_uri)


class OAuthStore:
    """Clients, codes and tokens of one fake, guarded by one lock."""

    def __init__(self, access_prefix, refresh_prefix, code_prefix):
        self.lock = threading.RLock()
        self.clients = {}
        self.codes = {}
        self.access_tokens = {}
        self.refresh_tokens = {}
        self.secrets = []
        self.revoked = []
        self._prefixes = (access_prefix, refresh_prefix, code_prefix)

    def remember(self, secret):
        if secret and secret not in self.secrets:
            self.secrets.append(secret)
        return secret

    def add_client(self, client):
        self.clients[client.client_id] = client
        self.remember(client.client_secret)

    def query_client(self, client_id):
        return self.clients.get(client_id)

    def new_code(self):
        return self.remember(self._prefixes[2] + generate_token(40))

    def new_access_token(self):
        return self.remember(self._prefixes[0] + generate_token(60))

    def new_refresh_token(self):
        return self.remember(self._prefixes[1] + generate_token(60))

    def save_code(self, code):
        with self.lock:
            self.codes[code.code] = code

    def find_code(self, code, client):
        with self.lock:
            found = self.codes.get(code)
        if found and found.client_id == client.client_id and not found.is_expired():
            return found
        return None

    def delete_code(self, code):
        with self.lock:
            self.codes.pop(code.code, None)

    def save_token(self, token):
        with self.lock:
            self.access_tokens[token.access_token] = token
            if token.refresh_token:
                self.refresh_tokens[token.refresh_token] = token

    def find_refresh(self, refresh_token):
        with self.lock:
            token = self.refresh_tokens.get(refresh_token)
        return token if token and not token.revoked else None

    def find_any(self, token_string):
        with self.lock:
            return self.access_tokens.get(token_string) or self.refresh_tokens.get(token_string)

    def use_access_token(self, token_string):
        """The token record for an API request, counting the use."""
        with self.lock:
            token = self.access_tokens.get(token_string)
            if token is not None:
                token.uses += 1
            return token

    def revoke_grant(self, token):
        """Revoke every token descending from the same consent (as Google does)."""
        with self.lock:
            for record in list(self.access_tokens.values()):
                if record.grant_id == token.grant_id:
                    record.revoked = True

    def expire_access_tokens(self):
        with self.lock:
            for record in self.access_tokens.values():
                record.expired = True


class StoreBearerValidator(BearerTokenValidator):
    def __init__(self, store):
        super().__init__()
        self.store = store

    def authenticate_token(self, token_string):
        return self.store.use_access_token(token_string)


class StoredCodes:
    """The authorization codes of an authlib code grant, kept in the fake's OAuthStore."""

    def save_authorization_code(self, code, oauth_request):
        data = oauth_request.payload.data
        self.server.fake.store.save_code(AuthorizationCode(
            code=code, client_id=oauth_request.client.get_client_id(),
            redirect_uri=oauth_request.payload.redirect_uri, scope=oauth_request.payload.scope or "",
            user=oauth_request.user, code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"), offline=True, expires_at=time.time() + 600))

    def generate_authorization_code(self):
        return self.server.fake.store.new_code()

    def query_authorization_code(self, code, client):
        return self.server.fake.store.find_code(code, client)

    def delete_authorization_code(self, authorization_code):
        self.server.fake.store.delete_code(authorization_code)

    def authenticate_user(self, authorization_code):
        return authorization_code.user
