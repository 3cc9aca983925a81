"""A real HTTP receiver for webhook deliveries (docs/adr/0083), started by a test or a benchmark on
localhost, and the receiver's signature check exactly as the README documents it."""

import hashlib
import hmac
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from partners import webhook_sending


class Receiver:
    """An HTTP server in a thread; ``script`` holds what it answers next (a status code, or "hang").
    ``received`` collects ``(headers, body, time.monotonic() on arrival)`` per POST."""

    def __init__(self, script=()):
        self.script = list(script)
        self.received = []
        self.arrived = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body, time.monotonic()))
                receiver.arrived.set()
                action = receiver.script.pop(0) if receiver.script else 200
                if action == "hang":
                    time.sleep(webhook_sending.TIMEOUT + 0.5)
                    action = 200
                try:
                    self.send_response(action)
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def wait_for(self, count, timeout=30.0):
        """The first ``count`` deliveries, waiting up to ``timeout`` seconds for them; fails if they do not come."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            self.arrived.wait(0.02)
            self.arrived.clear()
        assert len(self.received) >= count, f"{len(self.received)} of {count} webhook deliveries in {timeout} s"
        return self.received[:count]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def verify(secret, headers, body):
    """The receiver's check, as documented in the README: HMAC-SHA256 over ``timestamp + "." + body``."""
    expected = hmac.new(
        secret.encode(), headers["X-Tijdig-Timestamp"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(headers["X-Tijdig-Signature"], f"sha256={expected}")
