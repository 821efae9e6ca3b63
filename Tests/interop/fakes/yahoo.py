"""FakeYahoo: Yahoo's OAuth 2.0 for an app without a web address (authorization code with
redirect_uri=oob: Yahoo's page shows the code for the person to copy) and a CardDAV address
book that takes the access token as `Authorization: Bearer`, on 127.0.0.1.

    with FakeYahoo(contacts=3) as yahoo:
        # settings: yahoo.client-id=yahoo.client_id, yahoo.client-secret=yahoo.client_secret,
        #           yahoo.auth-url=yahoo.auth_url, yahoo.token-url=yahoo.token_url
        # the program is told --url yahoo.carddav_url
        code = yahoo.consent(printed_auth_url)      # what the person copies from the page
        ...
        assert not any(s in output for s in yahoo.secrets)

The consent page is the shared consent form (button ids allow / cancel); on Allow the answer
is a page with the code in the element with id `code`, as Yahoo shows it. The token endpoint
takes client_secret_post or client_secret_basic. The address book at /dav/ answers PROPFIND
(Depth 0 and 1) and addressbook-multiget REPORTs, and 401 without a valid bearer token of
scope sdct-r. `bearer_requests` counts the DAV requests that carried a valid token.
"""

import re
import threading
from html import escape
from urllib.parse import parse_qs, urlsplit

from authlib.common.security import generate_token
from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import AccessDeniedError
from flask import Response, g, request

from . import pages
from .oauth import Client, OAuthStore, StoreBearerValidator, StoredCodes, Token, User
from .server import FakeServer, http_exchange, make_app

AUTH_PATH = "/oauth2/request_auth"
TOKEN_PATH = "/oauth2/get_token"
DAV_PATH = "/dav/"
SCOPE = "sdct-r"


class OutOfBandClient(Client):
    """A Yahoo app registered without a web address: its only redirect is `oob`."""

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri == "oob"


class YahooCodeGrant(StoredCodes, grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_post", "client_secret_basic"]

    def create_authorization_response(self, redirect_uri, grant_user):
        if not grant_user:
            raise AccessDeniedError(redirect_uri=redirect_uri)
        return super().create_authorization_response(redirect_uri, grant_user)


def card(index):
    return (f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:yahoo-{index}\r\nFN:Yahoo Person {index}\r\n"
            f"N:Person {index};Yahoo;;;\r\nEMAIL;TYPE=INTERNET:person{index}@yahoo.example\r\nEND:VCARD\r\n")


class FakeYahoo(FakeServer):
    def __init__(self, client_id="dj0yJmk9ZmFrZQ--", client_secret=None, *, contacts=3, latency=0.0):
        super().__init__(latency=latency)
        self.client_id = client_id
        self.client_secret = client_secret or generate_token(40)
        self.cards = {f"{i}.vcf": card(i) for i in range(1, contacts + 1)}
        self.user = User("yahoo-user")
        self.store = OAuthStore("Yahoo.Access.", "Yahoo.Refresh.", "yahoocode")
        self.store.add_client(OutOfBandClient(
            client_id=client_id, client_secret=self.client_secret, redirect_hosts=(),
            auth_methods={"token": ("client_secret_post", "client_secret_basic")},
            grant_types=("authorization_code", "refresh_token")))
        self.bearer_requests = 0
        self._lock = threading.Lock()

    @property
    def auth_url(self):
        return self.url + AUTH_PATH

    @property
    def token_url(self):
        return self.url + TOKEN_PATH

    @property
    def carddav_url(self):
        return self.url + DAV_PATH

    @property
    def secrets(self):
        return list(self.store.secrets)

    def consent(self, auth_url, allow=True):
        """Does what the person does on Yahoo's page; returns the code the page shows (None
        after Cancel, when the page says access was denied)."""
        status, _, body = http_exchange("GET", auth_url)
        if status != 200:
            raise RuntimeError(f"consent page answered {status}: {body[:200]}")
        status, _, body = http_exchange("POST", auth_url, form={"decision": "allow" if allow else "cancel"})
        found = re.search(r"id='code'>([^<]+)<", body)
        return found.group(1) if found else None

    def create_app(self):
        app = make_app(f"fake-yahoo-{id(self)}")
        server = AuthorizationServer(app, query_client=self.store.query_client, save_token=self._save_token)
        server.fake = self
        server.scopes_supported = [SCOPE, "openid"]
        server.register_token_generator("default", self._generate_token)
        server.register_grant(YahooCodeGrant)
        self.authorization_server = server
        self.protector = ResourceProtector()
        self.protector.register_token_validator(StoreBearerValidator(self.store))
        app.add_url_rule(AUTH_PATH, "authorize", self._authorize, methods=["GET", "POST"])
        app.add_url_rule(TOKEN_PATH, "token", self._token, methods=["POST"])
        app.add_url_rule(DAV_PATH, "book", self._book, methods=["PROPFIND", "REPORT", "OPTIONS"])
        app.add_url_rule(DAV_PATH + "<name>", "card", self._card, methods=["GET"])
        app.add_url_rule("/.well-known/carddav", "well-known", lambda: ("", 301, {"Location": DAV_PATH}),
                         methods=["PROPFIND", "GET"])
        return app

    def _generate_token(self, grant_type, client, user=None, scope=None, expires_in=None, include_refresh_token=True):
        token = {"access_token": self.store.new_access_token(), "expires_in": 3600, "token_type": "bearer",
                 "xoauth_yahoo_guid": "FAKEGUID"}
        if include_refresh_token:
            token["refresh_token"] = self.store.new_refresh_token()
        return token

    def _save_token(self, token, oauth_request):
        self.store.save_token(Token(
            access_token=token["access_token"], client_id=oauth_request.client.get_client_id(),
            scope=oauth_request.authorization_code.scope, user=oauth_request.user, grant_id=token["access_token"],
            expires_in=token["expires_in"], refresh_token=token.get("refresh_token")))

    def _authorize(self):
        server = self.authorization_server
        try:
            grant = server.get_consent_grant(end_user=self.user)
        except OAuth2Error as error:
            return pages.error_page("Yahoo", error.error, error.get_error_description(), error.status_code)
        if request.method == "GET":
            action = request.full_path if request.query_string else request.path
            return pages.consent_page("Yahoo", "someone@yahoo.example", "contact-import",
                                      (grant.request.payload.scope or "").split(), action, granular=False)
        allowed = request.form.get("decision") == "allow"
        try:
            answer = server.create_authorization_response(grant=grant, grant_user=self.user if allowed else None)
        except OAuth2Error as error:
            return pages.error_page("Yahoo", error.error, error.get_error_description(), error.status_code)
        # The redirect is "oob": Yahoo shows the code (or the refusal) on its own page instead.
        query = parse_qs(urlsplit(answer.headers.get("Location", "")).query)
        if "code" not in query:
            return pages.error_page("Yahoo", "access_denied", "You did not allow access.", 200)
        code = query["code"][0]
        html = (f"<!DOCTYPE html><html><body><h1>Yahoo</h1><p>Copy this code into the application:</p>"
                f"<p id='code'>{escape(code)}</p></body></html>")
        return html, 200, {"Content-Type": "text/html; charset=utf-8"}

    def _token(self):
        return self.authorization_server.create_token_response()

    def _authorized(self):
        try:
            self.protector.acquire_token([SCOPE])
        except OAuth2Error:
            return False
        with self._lock:
            self.bearer_requests += 1
        return True

    def _book(self):
        if not self._authorized():
            return Response("", 401)
        if request.method == "OPTIONS":
            return Response("", 200, {"DAV": "1, 3, addressbook"})
        own = self._response(DAV_PATH, "<D:resourcetype><D:collection/><C:addressbook/></D:resourcetype>"
                                       "<D:displayname>Contacts</D:displayname>")
        if request.method == "PROPFIND":
            parts = [own]
            if request.headers.get("Depth", "0") == "1":
                parts += [self._response(DAV_PATH + name, f'<D:getetag>"{name}"</D:getetag>'
                                         "<D:getcontenttype>text/vcard</D:getcontenttype><D:resourcetype/>")
                          for name in self.cards]
            return self._multistatus(parts)
        body = request.get_data(as_text=True)
        parts = []
        for href in re.findall(r"<[^>]*href>([^<]+)</[^>]*href>", body):
            name = href.rsplit("/", 1)[-1]
            if name in self.cards:
                parts.append(self._response(href, f'<D:getetag>"{name}"</D:getetag><C:address-data>'
                                            f"{escape(self.cards[name])}</C:address-data>"))
        return self._multistatus(parts)

    def _card(self, name):
        if not self._authorized():
            return Response("", 401)
        if name not in self.cards:
            return Response("", 404)
        return Response(self.cards[name], 200, {"Content-Type": "text/vcard"})

    @staticmethod
    def _response(href, props):
        return (f"<D:response><D:href>{escape(href)}</D:href><D:propstat><D:prop>{props}</D:prop>"
                "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>")

    @staticmethod
    def _multistatus(parts):
        body = ('<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus xmlns:D="DAV:" '
                'xmlns:C="urn:ietf:params:xml:ns:carddav">' + "".join(parts) + "</D:multistatus>")
        return Response(body, 207, {"Content-Type": "application/xml; charset=utf-8"})
