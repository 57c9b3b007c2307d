"""A local HTTP server speaking the 17TRACK-style API of ``docs/tracking.md``.

Used by the tests (tests/tracking_common.py) and by
``scripts/bench_tracking.py``: the real client talks to it over HTTP on
127.0.0.1 (random port). It lives in tools/, not tests/, so that a benchmark
need not import a test module; nothing in the addon starts it. Behaviour is scriptable:

- ``add_number(number, events, status=...)``: a known number and its events
  (``(iso_time, stage, sub_status, description, location)`` tuples);
- unknown numbers are rejected at register, unregistered ones at gettrackinfo;
- ``delay``: seconds to wait before answering (client timeouts);
- ``bad_json``: answer an HTML page instead of JSON;
- ``rate_limit(count, retry_after)``: the next ``count`` calls get HTTP 429;
- ``requests_log``: (path, numbers) of every call received.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .track17_client import (
    CODE_ALREADY_REGISTERED,
    CODE_INVALID_NUMBER,
    CODE_NOT_REGISTERED,
    sign,
)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        return

    def _send(self, status, body, headers=None, content_type="application/json"):
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(raw)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(raw)
        except (BrokenPipeError, ConnectionResetError):
            return  # the client gave up (timeout tests): nobody to answer

    def do_POST(self):
        server = self.server.tracking
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        path = self.path.rstrip("/").rsplit("/", 1)[-1]
        try:
            items = json.loads(raw or b"[]")
        except ValueError:
            items = None
        numbers = [item.get("number") for item in items or [] if isinstance(item, dict)]
        with server.lock:
            server.requests_log.append((path, numbers))
            limited = server._rate_limited > 0
            if limited:
                server._rate_limited -= 1
            delay, bad_json = server.delay, server.bad_json
        if delay:
            time.sleep(delay)
        if limited:
            self._send(
                429,
                {"code": 429, "data": {}},
                headers={"Retry-After": str(server.retry_after)},
            )
            return
        if self.headers.get("17token") != server.api_key:
            self._send(401, {"code": 401, "data": {}})
            return
        if bad_json:
            self._send(200, b"<html>Bad gateway</html>", content_type="text/html")
            return
        if not isinstance(items, list) or len(items) > 40:
            self._send(200, {"code": -18010001, "data": {}})
            return
        if path == "register":
            self._send(200, {"code": 0, "data": server._register(numbers)})
        elif path == "gettrackinfo":
            self._send(200, {"code": 0, "data": server._track_info(numbers)})
        else:
            self._send(404, {"code": 404, "data": {}})


class TrackingServer:
    def __init__(self, api_key="test-17token"):
        self.api_key = api_key
        self.numbers = {}
        self.registered = set()
        self.requests_log = []
        self.lock = threading.Lock()
        self.delay = 0
        self.bad_json = False
        self.retry_after = 30
        self._rate_limited = 0
        self._httpd = None
        self._thread = None

    # ---- scripting -------------------------------------------------------
    def add_number(self, number, events=(), status=None, sub_status=None,
                   estimated_delivery=None):  # fmt: skip
        with self.lock:
            self.numbers[number] = {
                "events": list(events),
                "status": status,
                "sub_status": sub_status,
                "estimated_delivery": estimated_delivery,
            }

    def add_event(self, number, event, status=None, sub_status=None):
        with self.lock:
            self.numbers[number]["events"].append(event)
            if status:
                self.numbers[number]["status"] = status
                self.numbers[number]["sub_status"] = sub_status

    def rate_limit(self, count=1, retry_after=30):
        with self.lock:
            self._rate_limited = count
            self.retry_after = retry_after

    def reset(self):
        with self.lock:
            self.numbers.clear()
            self.registered.clear()
            self.requests_log.clear()
            self.delay = 0
            self.bad_json = False
            self._rate_limited = 0

    def calls(self, path):
        return [numbers for logged, numbers in self.requests_log if logged == path]

    # ---- answers ---------------------------------------------------------
    def _register(self, numbers):
        accepted, rejected = [], []
        with self.lock:
            for number in numbers:
                if number not in self.numbers:
                    rejected.append(self._reject(number, CODE_INVALID_NUMBER))
                elif number in self.registered:
                    rejected.append(self._reject(number, CODE_ALREADY_REGISTERED))
                else:
                    self.registered.add(number)
                    accepted.append({"number": number, "carrier": 0})
        return {"accepted": accepted, "rejected": rejected}

    def _track_info(self, numbers):
        accepted, rejected = [], []
        with self.lock:
            for number in numbers:
                if number not in self.registered:
                    rejected.append(self._reject(number, CODE_NOT_REGISTERED))
                else:
                    accepted.append(self.track_item(number))
        return {"accepted": accepted, "rejected": rejected}

    @staticmethod
    def _reject(number, code):
        messages = {
            CODE_INVALID_NUMBER: "The tracking number is invalid.",
            CODE_ALREADY_REGISTERED: "The tracking number is already registered.",
            CODE_NOT_REGISTERED: "The tracking number is not registered.",
        }
        return {"number": number, "error": {"code": code, "message": messages[code]}}

    def track_item(self, number):
        """The 17TRACK-style ``accepted`` item (also the webhook ``data``)."""
        info = self.numbers[number]
        events = [
            {
                "time_iso": when,
                "time_utc": when,
                "stage": stage,
                "sub_status": sub_status,
                "description": description,
                "location": location,
            }
            for when, stage, sub_status, description, location in reversed(
                info["events"]
            )
        ]
        latest = {"status": info["status"], "sub_status": info["sub_status"]}
        return {
            "number": number,
            "carrier": 0,
            "track_info": {
                "latest_status": latest,
                "latest_event": events[0] if events else None,
                "time_metrics": {
                    "estimated_delivery_date": {
                        "from": None,
                        "to": info["estimated_delivery"],
                    }
                },
                "tracking": {"providers": [{"provider": {"key": 0}, "events": events}]},
            },
        }

    def webhook_body(self, number, secret=None):
        """``(body bytes, signature)`` of a TRACKING_UPDATED push for ``number``."""
        with self.lock:
            body = json.dumps(
                {"event": "TRACKING_UPDATED", "data": self.track_item(number)}
            ).encode()
        return body, sign(body, secret) if secret else ""

    # ---- life cycle ------------------------------------------------------
    @property
    def url(self):
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/track/v2.2"

    def start(self):
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.tracking = self
        self._httpd.handle_error = lambda request, client_address: None
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="tracking-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
