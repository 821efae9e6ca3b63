"""Local fakes of Google (OAuth + People API) and Microsoft (identity platform + Graph) for
tests that run the contact-import binary. Each fake is a Flask app on 127.0.0.1 (a free port)
in a background thread; OAuth is authlib's AuthorizationServer (authorization code + PKCE S256,
refresh token, RFC 7009 revocation, RFC 8628 device code) and the APIs check bearer tokens with
authlib's ResourceProtector. Everything is in memory. Import from a test in Tests/interop:

    from fakes import FakeGoogle, FakeMicrosoft, people

    with FakeGoogle(contacts=250) as google:      # start() on enter, stop() on exit
        # run the program with its google.* settings at google.auth_url, google.token_url,
        # google.revoke_url and google.people_url; read the URL it prints, then
        location = google.consent(printed_auth_url, deliver=True)  # or click #allow in Chromium
        ...
        assert google.revoked and not any(s in output for s in google.secrets)

Shared by both fakes
--------------------
start() -> self, stop(), context manager.  url: "http://127.0.0.1:PORT" (no trailing slash).
latency=0.0           seconds slept before every answer (e.g. 0.1 for benchmarks).
requests              [RecordedRequest(method, path, query, form, headers, status, duration, extra)],
                      query/form map each name to a list of values; extra["page"] is the page
                      number of a contacts page.  durations: [seconds] per answered request,
                      from its arrival in the app until the answer is built, injected latency
                      included, sending the bytes not (a benchmark can sum them).
requests_to(part)     the recorded requests whose path contains `part`.
secrets               every client secret, authorization code, PKCE code_verifier, access token,
                      refresh token and device code the fake issued or received (user codes are
                      meant to be shown, so they are not in it). Assert none is in the program's
                      output or files.
token_responses       every successful token JSON issued, in order.
errors                tracebacks of failures inside the fake (a test can assert it is empty).
access_token_lifetime=3599       expires_in of access tokens; they really expire after it.
expire_after_requests=None       N: every access token answers 401 after N API requests
                                 made with it (the N+1th fails); a refreshed token gets N again.
expire_access_tokens()           every access token issued so far answers 401 from now on.
rate_limit_on_page=None, retry_after=1
                      N: the Nth request for a page of contacts is answered 429 once, with
                      "Retry-After: <retry_after>" (retry_after=None: no header); the retry is
                      served as page N. Pages count every request to a contacts listing
                      (Google: connections and otherContacts; Graph: /me/contacts and
                      /me/contactFolders/{id}/contacts), 1-based, across the fake's life.
stop_after_page=None  N: once the Nth contacts page is answered the provider is gone: new
                      connections are refused (werkzeug closes every connection after one
                      answer, so there is no keep-alive to linger on).  go_away() does
                      it at once; gone tells whether it happened; pages_served counts pages.
malformed=0           number of schema-breaking records mixed into the book at spread,
                      deterministic positions (people.GOOGLE_MALFORMED_KINDS /
                      GRAPH_MALFORMED_KINDS: names not a list, an e-mail value that is a
                      number, a birthday that is not a date, ...). They count in the totals.
consent(auth_url, allow=True, [scopes=None,] deliver=False) -> redirect Location
                      does over HTTP what a browser does on the consent page: GET auth_url,
                      POST its form with decision=allow or cancel. deliver=True also GETs the
                      Location (the program's loopback listener). Raises server.ConsentError
                      (status, body) when the page refuses outright (unknown client, redirect
                      not allowed), i.e. when nothing would reach the program.

FakeGoogle(client_id="fake-client-1.apps.googleusercontent.com", client_secret=None (random
"GOCSPX-..."), *, contacts=10, other_contacts=0, groups=None, owner=None, malformed=0,
latency, access_token_lifetime, expire_after_requests, rate_limit_on_page, retry_after,
stop_after_page)
-----------------------------------------------------------------------------------------
contacts        an int (people.google_people(n), generated at start() so photo URLs point at
                the fake's /photos/<id>) or a list of Person dicts served as given.
other_contacts  int (people.google_other_contacts) or list.  groups: user groups
                [{"id", "name"}] (default people.google_user_groups()); the system groups
                myContacts, starred, friends, family, coworkers are always listed.
owner           the person of people/me (default people.google_owner()).
Properties: auth_url (…/o/oauth2/v2/auth), token_url (…/token), revoke_url (…/revoke),
people_url (the base: …/v1/… is appended), client_id, client_secret, contacts (the book as
served, malformed included), malformed_resource_names, other_contacts, groups, owner,
revoked (token strings revoked, in order), store (the OAuth records).
Settings for the program: google.auth-url=auth_url, google.token-url=token_url,
google.revoke-url=revoke_url, google.people-url=people_url.

OAuth rules: response_type=code; redirect_uri must be http://127.0.0.1[:any port][/path] or
http://[::1][:port][/path] (anything else: an HTML error page, status 400, no redirect);
code_challenge with code_challenge_method=S256 required (otherwise a redirect with
error=invalid_request); scopes limited to contacts, contacts.readonly, contacts.other.readonly,
openid, email, profile, userinfo.* (otherwise error=invalid_scope); state echoed verbatim.
A refresh token is issued only when the request had access_type=offline. Token endpoint:
client_secret_post (or Basic); authorization_code needs the same redirect_uri and the
code_verifier; a code works once; refresh_token keeps the original scope and gives no new
refresh token. Token JSON: access_token, expires_in, scope (GRANTED scopes, space separated,
in request order), token_type "Bearer", refresh_token (offline only). Revocation: POST
revoke_url with form token=<access or refresh token> (no client authentication, as at
Google; token=… in the query, as in Google's own examples, works too): 200 {} and the whole
grant is revoked; an unknown or already revoked token gives
400 {"error": "invalid_token", ...}.

Consent page (GET auth_url): a form posting to the same URL, method POST, fields:
  granted_scope   one per ticked checkbox; checkbox ids are "scope-" + the scope's last path
                  segment: scope-contacts.readonly, scope-contacts.other.readonly, scope-openid...
                  (all ticked at first; unticking gives granular consent; a POST without
                  any granted_scope grants nothing)
  decision        "allow" (button id allow) or "cancel" (button id cancel)
Other ids: account (the signed-in e-mail), scopes (the list), consent (the form); error pages
have error and error-description. Allow: 302 to redirect_uri?code=…&state=…; Cancel: 302 to
redirect_uri?error=access_denied&state=….

People API (Bearer token; errors in Google's envelope {"error": {"code", "message", "status",
"details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason", "domain",
"metadata"}]}}): 401 UNAUTHENTICATED (reasons CREDENTIALS_MISSING, ACCESS_TOKEN_EXPIRED) with
WWW-Authenticate; 403 PERMISSION_DENIED / ACCESS_TOKEN_SCOPE_INSUFFICIENT without the scope;
400 INVALID_ARGUMENT for a missing or bad field mask, an unknown parameter, pageSize outside
0..1000, a bad pageToken, or a pageToken sent with parameters differing from the first call's;
429 RESOURCE_EXHAUSTED / RATE_LIMIT_EXCEEDED.
  GET /v1/people/me/connections   scope contacts.readonly (or contacts); personFields required;
      pageSize (default 100), pageToken, sortOrder, sources, requestSyncToken. Answers
      connections (absent when the book is empty), nextPageToken (absent on the last page),
      nextSyncToken (last page, with requestSyncToken=true), totalItems and totalPeople (left
      out when 0, as proto3 JSON does: an empty book answers {}). Only the requested fields
      are served (plus resourceName and etag).
  GET /v1/otherContacts   scope contacts.other.readonly; readMask required (names,
      emailAddresses, phoneNumbers, metadata, photos); otherContacts, nextPageToken, totalSize.
  GET /v1/contactGroups   groupFields (default metadata,groupType,memberCount,name), pageSize
      (default 30); contactGroups [resourceName, etag, groupType, name, formattedName,
      memberCount (only when > 0)], totalItems, nextPageToken / nextSyncToken.
  GET /v1/people/me       personFields required; any contacts or profile scope.
  GET /photos/<id>        a 1x1 PNG (no token needed, as for Google's photo URLs).

FakeMicrosoft(client_id="3fa1c6de-…", *, contacts=10, folders=(), malformed=0, owner=None,
latency, access_token_lifetime, expire_after_requests, rate_limit_on_page, retry_after,
stop_after_page, interval=5, enforced_interval=None, slow_down_increment=5, force_slow_down=0,
device_code_lifetime=900, tenants=("common", "organizations", "consumers"),
consent_required_tenants=())
-----------------------------------------------------------------------------------------
contacts        int (people.graph_contacts) or a list of Graph contact dicts: the default
                Contacts folder (what /me/contacts serves). Malformed records go there.
folders         nested folders inside it: [{"name": "Family", "contacts": 3 (int or list),
                "children": [{"name": "Cousins", "contacts": 2}]}, ...]. Generated contacts get
                ids unique across folders; folder ids are people.graph_folder_id(n), n in
                depth-first order (0 is the default folder).
interval        the "interval" (int seconds) of the device code answer, and the least gap
                between polls; enforced_interval (float seconds) overrides the enforced gap
                so tests can advertise 1 s but enforce 0.2 s.  slow_down_increment: what each
                slow_down adds to the gap that code must keep (RFC 8628 says 5).
force_slow_down N: the next N polls of pending codes answer slow_down whatever their timing.
device_code_lifetime  expires_in of device codes (after it: expired_token).
tenants         tenants the login endpoints accept (others: AADSTS90002).
consent_required_tenants  token requests that would succeed in these tenants answer 400
                invalid_grant, suberror consent_required, "AADSTS65001: The user or
                administrator has not consented to use the application ...".
Properties: login_url (= url; the program's microsoft.login-url), graph_url (= url;
microsoft.graph-url, /v1.0/... is appended), verification_uri (url + "/link"), client_id,
contacts, all_contacts, folders ({id: {"id", "displayName", "parentFolderId", "contacts",
"children": [ids]}}), default_folder_id, folder_id(name), malformed_ids, user_codes (issued,
in order), last_user_code, owner. URLs: authorize_url(tenant="common"),
token_url(tenant), devicecode_url(tenant).
Controls: approve(user_code), decline(user_code) (KeyError for an unknown code; case is
ignored), expire_device_codes(), expire_access_tokens(), consent(auth_url, allow, deliver).

Login (public client: a client_secret, client_assertion or Basic header answers 401
invalid_client AADSTS700025). Errors are HTTP 400 JSON {"error", "error_description":
"AADSTSnnnn: …", "error_codes": [nnnn], "timestamp", "trace_id", "correlation_id",
"error_uri"}.
  POST /{tenant}/oauth2/v2.0/devicecode  client_id, scope (required: AADSTS900144) ->
      device_code, user_code (8 characters), verification_uri, expires_in, interval, message.
  POST /{tenant}/oauth2/v2.0/token
      grant_type=urn:ietf:params:oauth:grant-type:device_code, client_id, device_code ->
      authorization_pending (70016), slow_down (error_codes []), authorization_declined
      (65004), expired_token (70019), bad_verification_code (70000; also a code already
      redeemed), or the token.
      grant_type=authorization_code, client_id, code, redirect_uri, code_verifier (PKCE
      failure: invalid_grant 501481).  grant_type=refresh_token, client_id, refresh_token
      [, scope: short or URI form, at most the original scopes, else invalid_scope 70011]:
      a new access token AND a new refresh token (the old one stays valid).
      Token JSON: token_type, scope (Graph scopes in short form, as requested), expires_in,
      ext_expires_in, access_token, refresh_token (only with offline_access).
  GET /{tenant}/oauth2/v2.0/authorize   as Google's page without checkboxes: field decision
      (buttons allow / cancel), list items with ids scope-Contacts.Read etc. Redirect must be
      http://localhost or http://127.0.0.1, any port and path (else AADSTS50011 page).
      PKCE S256 required. Cancel: 302 ?error=access_denied&error_description=AADSTS65004:
      User declined to consent to access the app.&state=….
  GET /link   the device page: input id user_code (name user_code), buttons approve and
      decline (field decision=approve|decline), POST /link. Unknown or expired code: the page
      again with id message, status 400. Done: a page with id result.
Graph (errors {"error": {"code", "message", "innerError": {"date", "request-id",
"client-request-id"}}}: 401 InvalidAuthenticationToken with WWW-Authenticate, 403
ErrorAccessDenied without Contacts.Read / User.Read, 404 ErrorItemNotFound, 400 BadRequest or
RequestBroker--ParseUri, 429 ApplicationThrottled with Retry-After):
  GET /v1.0/me (User.Read); /v1.0/me/contacts; /v1.0/me/contactFolders;
  /v1.0/me/contactFolders/{id}; /v1.0/me/contactFolders/{id}/childFolders;
  /v1.0/me/contactFolders/{id}/contacts (Contacts.Read or Contacts.ReadWrite).
  $top (default 10; above 1000 is served as 1000), $skip, $select (unknown property: 400;
  id and @odata.etag always kept), $count=true (@odata.count); other $ options: 400.
  Answers {"@odata.context", ["@odata.count",] "value", "@odata.nextLink" (absolute, on the
  fake's URL, repeating $select/$count with $top and the next $skip; absent on the last page)}.

FakeCloudSponge(*, contacts=10, owner, steps=3, page_limit=None, fail_with=None,
contacts_not_ready=0, retention=600, stall_events=False, drop_events=False, auto_consent=False)
-----------------------------------------------------------------------------------------
The classic CloudSponge API (begin_import, events, contacts; JSON), written from the protocol
document, for `--server`; its own docstring lists the routes, credentials and knobs.
"""

from . import people
from .google import FakeGoogle
from .microsoft import FakeMicrosoft
from .yahoo import FakeYahoo
from .cloudsponge import FakeCloudSponge
from .server import ConsentError, RecordedRequest

__all__ = ["FakeGoogle", "FakeMicrosoft", "FakeYahoo", "FakeCloudSponge", "ConsentError", "RecordedRequest", "people"]
