"""A TCP proxy for fault tests: it passes each HTTP request to the real server (one
request per connection) and, for requests whose path contains `target`, spoils the answer
in one of these ways:

- "reset": half the answer, then a TCP reset;
- "stall": nothing at all, the connection held open until the proxy stops;
- "truncate": half the answer, then an orderly close (the length promised is not met);
- "trickle": the whole answer, one byte a second.

Requests to other paths, and the first `spare` requests to `target`, pass untouched.
"""
import socket
import struct
import threading
import time


class FaultProxy:
    def __init__(self, upstream_port, fault, target, spare=0):
        self.upstream_port = upstream_port
        self.fault = fault
        self.target = target.encode()
        self.spare = spare
        self.spoiled = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._stopping = threading.Event()
        self._threads = []
        self._lock = threading.Lock()

    def __enter__(self):
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, *exc):
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._listener.close()

    def _accept(self):
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(client,), daemon=True)
            thread.start()
            with self._lock:
                self._threads.append(thread)

    def _read_request(self, client):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = client.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            chunk = client.recv(65536)
            if not chunk:
                break
            body += chunk
        # One request per connection: the client opens a new one for the next.
        lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
        return b"\r\n".join(lines + [b"Connection: close"]) + b"\r\n\r\n" + body

    def _serve(self, client):
        client.settimeout(30)
        try:
            request = self._read_request(client)
            if request is None:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=30)
            upstream.sendall(request)
            answer = b""
            while True:
                chunk = upstream.recv(65536)
                if not chunk:
                    break
                answer += chunk
            upstream.close()
            request_line = request.split(b"\r\n", 1)[0]
            spoil = False
            if self.target in request_line:
                with self._lock:
                    if self.spare > 0:
                        self.spare -= 1
                    else:
                        spoil = True
                        self.spoiled += 1
            if not spoil:
                client.sendall(answer)
                return
            self._spoil(client, answer)
        except OSError:
            pass
        finally:
            try:
                client.close()
            except OSError:
                pass

    def _spoil(self, client, answer):
        if self.fault == "reset":
            client.sendall(answer[: len(answer) // 2])
            # SO_LINGER with a zero timeout: close() sends a reset, not a FIN.
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif self.fault == "truncate":
            client.sendall(answer[: len(answer) // 2])
            client.shutdown(socket.SHUT_WR)
        elif self.fault == "stall":
            self._stopping.wait()
        elif self.fault == "trickle":
            for byte in answer:
                if self._stopping.wait(1.0):
                    return
                client.sendall(bytes([byte]))
        else:
            raise ValueError(self.fault)
