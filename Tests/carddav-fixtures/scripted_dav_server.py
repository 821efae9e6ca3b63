"""A CardDAV server that misbehaves on purpose, for the client's error-path tests.

Usage: python3 scripted_dav_server.py PORT
The first path segment picks the behaviour; GET /hits/<name> tells how many requests
that scenario has seen. Users: alice / secret (Basic, never challenged: a request
without credentials gets a bare 401, as Yahoo answers).
"""
import base64
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HITS = {}
LOCK = threading.Lock()
AUTH = "Basic " + base64.b64encode(b"alice:secret").decode()

CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nN:{name};;;;\r\nEMAIL:{uid}@example.org\r\nEND:VCARD\r\n"


def multistatus(responses):
    return ('<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus xmlns:D="DAV:" '
            'xmlns:C="urn:ietf:params:xml:ns:carddav">' + "".join(responses) + "</D:multistatus>")


def prop_response(href, props):
    return ("<D:response><D:href>" + href + "</D:href><D:propstat><D:prop>" + props +
            "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>")


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Book:
    """One address book at /<scenario>/ with cards a.vcf, b.vcf and, listed but gone, c.vcf."""

    def __init__(self, prefix, gone=("c.vcf",)):
        self.prefix = prefix
        self.cards = {"a.vcf": CARD.format(uid="a", name="Ada"), "b.vcf": CARD.format(uid="b", name="Bob")}
        self.listed = ["a.vcf", "b.vcf"] + list(gone)

    def propfind(self, handler, depth):
        own = prop_response(self.prefix, "<D:resourcetype><D:collection/><C:addressbook/></D:resourcetype>"
                                         "<D:displayname>Scripted</D:displayname>")
        if depth == "0":
            return handler.reply(207, multistatus([own]))
        members = [prop_response(self.prefix + name, '<D:getetag>"' + name + '"</D:getetag>'
                                 "<D:getcontenttype>text/vcard</D:getcontenttype><D:resourcetype/>")
                   for name in self.listed]
        return handler.reply(207, multistatus([own] + members))

    def multiget(self, handler, body):
        responses = []
        for href in body.split("<d:href>")[1:]:
            href = href.split("</d:href>")[0]
            name = href.rsplit("/", 1)[-1]
            if name in self.cards:
                responses.append(prop_response(href, '<D:getetag>"x"</D:getetag><C:address-data>'
                                               + escape(self.cards[name]) + "</C:address-data>"))
            else:
                responses.append("<D:response><D:href>" + href + "</D:href><D:status>HTTP/1.1 404 Not Found</D:status></D:response>")
        return handler.reply(207, multistatus(responses))

    def get(self, handler, name):
        if name in self.cards:
            return handler.reply(200, self.cards[name], "text/vcard")
        return handler.reply(404, "gone")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body="", content_type="application/xml; charset=utf-8", headers=()):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length).decode("utf-8", "replace") if length else ""

    def handle_any(self):
        body = self.body()
        parts = [p for p in self.path.split("/") if p]
        scenario = parts[0] if parts else ""
        with LOCK:
            HITS[scenario] = HITS.get(scenario, 0) + 1
            hits = HITS[scenario]
        if scenario == "hits":
            return self.reply(200, str(HITS.get(parts[1], 0)), "text/plain")
        if self.headers.get("Authorization") != AUTH:
            return self.reply(401, "no credentials", "text/plain")  # no WWW-Authenticate
        if scenario == ".well-known":
            return self.reply(301, "", headers=[("Location", "/book/")])
        if scenario == "busy":
            return self.reply(503, "busy", "text/plain", headers=[("Retry-After", "1")])
        if scenario == "ratelimited":
            return self.reply(429, "slow down", "text/plain", headers=[("Retry-After", "3600")])
        if scenario == "hang":
            time.sleep(3600)
            return None
        if scenario == "garbage":
            return self.reply(207, "<D:multistatus xmlns:D='DAV:'><D:response><D:href>/garbage/</D:href>")
        if scenario == "recovering" and hits <= 2:
            return self.reply(503, "warming up", "text/plain", headers=[("Retry-After", "0")])
        if scenario in ("book", "recovering", "nomultiget"):
            book = Book("/" + scenario + "/")
            if self.command == "PROPFIND":
                # The body must survive redirects: without it the question is a different one.
                if "propfind" not in body:
                    return self.reply(400, "PROPFIND without its body", "text/plain")
                return book.propfind(self, self.headers.get("Depth", "0"))
            if self.command == "REPORT":
                if scenario == "nomultiget":
                    return self.reply(501, "no REPORT here", "text/plain")
                return book.multiget(self, body)
            if self.command == "GET":
                return book.get(self, parts[-1])
        return self.reply(404, "nothing here", "text/plain")

    do_PROPFIND = do_REPORT = do_GET = do_PUT = handle_any


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    server.serve_forever()
