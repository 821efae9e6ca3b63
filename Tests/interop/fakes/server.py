"""What every provider fake shares: a Flask app served by werkzeug on 127.0.0.1 (a free port)
in a background thread, a record of each request with its server-side duration, injected
latency, and "going away" (the provider vanishing in the middle of an import).
"""

import socket
import threading
import time
import traceback
from dataclasses import dataclass, field

from flask import Flask, g, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.serving import WSGIRequestHandler, make_server


@dataclass
class RecordedRequest:
    """One request as the fake saw it. `duration` is the time the fake spent on it in seconds,
    injected latency included; `status` is the HTTP status it answered."""

    method: str
    path: str
    query: dict
    form: dict
    headers: dict
    status: int = 0
    duration: float = 0.0
    extra: dict = field(default_factory=dict)
    # time.perf_counter() when the request arrived, so a benchmark in the same process can
    # place it on its own clock.
    arrived: float = 0.0


class _QuietHandler(WSGIRequestHandler):
    # The test output stays readable: no access log line per request.
    def log_request(self, *args, **kwargs):
        pass

    def log(self, *args, **kwargs):
        pass


class FakeServer:
    """Base of FakeGoogle and FakeMicrosoft; see the package docstring for the shared API."""

    def __init__(self, latency=0.0):
        self.latency = latency
        self.requests = []
        self.errors = []
        self.gone = False
        self._server = None
        self._thread = None
        self._port = None

    # Subclasses build their routes here.
    def create_app(self):
        raise NotImplementedError

    # -- life cycle -------------------------------------------------------------------------

    def start(self):
        if self._thread is not None:  # started already (a stopped fake stays stopped)
            return self
        app = self.create_app()
        app.before_request(self._before_request)
        app.after_request(self._after_request)
        app.register_error_handler(Exception, self._unexpected_error)
        self._server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
        self._port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"{type(self).__name__}:{self._port}", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        """Stop listening and refuse what is still in flight on open connections."""
        self.gone = True
        self._close_listener()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    @property
    def url(self):
        """Base URL, e.g. http://127.0.0.1:40123 (no trailing slash)."""
        if self._port is None:
            raise RuntimeError("the fake is not started")
        return f"http://127.0.0.1:{self._port}"

    @property
    def port(self):
        return self._port

    @property
    def durations(self):
        """Server-side seconds per answered request (injected latency included), in order."""
        return [r.duration for r in list(self.requests)]

    def requests_to(self, path_part):
        """The recorded requests whose path contains `path_part`."""
        return [r for r in list(self.requests) if path_part in r.path]

    # -- going away -------------------------------------------------------------------------
    # werkzeug answers every request with "Connection: close", so a client opens a connection
    # per request and "gone" means refused connections; a request already read is cut.

    def go_away(self):
        """From now on the provider is gone: new connections are refused, requests on
        connections already open are cut without an answer."""
        self.gone = True
        threading.Thread(target=self._close_listener, daemon=True).start()

    def _close_listener(self):
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()

    # -- per request ------------------------------------------------------------------------

    def _before_request(self):
        g.fake_started = time.perf_counter()
        if self.gone:
            connection = request.environ.get("werkzeug.socket")
            if connection is not None:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            return ("", 503, {"Connection": "close"})
        if self.latency:
            time.sleep(self.latency)
        return None

    def _after_request(self, response):
        started = g.get("fake_started", time.perf_counter())
        self.requests.append(RecordedRequest(
            method=request.method,
            path=request.path,
            query={k: request.args.getlist(k) for k in request.args},
            form={k: request.form.getlist(k) for k in request.form},
            headers=dict(request.headers),
            status=response.status_code,
            duration=time.perf_counter() - started,
            extra=dict(g.get("fake_extra", {})),
            arrived=started,
        ))
        if g.get("fake_go_away"):
            self.go_away()
        return response

    def _unexpected_error(self, error):
        if isinstance(error, HTTPException):
            return error
        self.errors.append(traceback.format_exc())
        return jsonify({"error": {"code": 500, "message": f"fake failed: {error!r}"}}), 500


def make_app(name):
    app = Flask(name)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    return app


def http_exchange(method, url, form=None, timeout=10):
    """One HTTP request without following redirects: (status, headers dict, body text).
    Used by the fakes' consent helpers, which act as the browser would."""
    import http.client
    from urllib.parse import urlencode, urlsplit

    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    body = None
    headers = {}
    if form is not None:
        body = urlencode(form, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, target, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", errors="replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text
    finally:
        connection.close()


def act_on_consent_page(auth_url, form, deliver):
    """GET the consent page, POST its form, return the redirect Location; with deliver, also
    GET the Location as the browser would (whatever the program's listener answers)."""
    status, headers, body = http_exchange("GET", auth_url)
    if status == 200:
        status, headers, body = http_exchange("POST", auth_url, form=form)
    if status != 302:
        raise ConsentError(status, body)
    location = headers["location"]
    if deliver:
        from urllib.error import HTTPError
        from urllib.request import urlopen
        try:
            with urlopen(location, timeout=10) as answer:
                answer.read()
        except HTTPError:
            pass
    return location


class ConsentError(Exception):
    """The authorization page refused the request outright (no redirect back to the client)."""

    def __init__(self, status, body):
        super().__init__(f"authorization page answered {status}: {body[:300]}")
        self.status = status
        self.body = body
