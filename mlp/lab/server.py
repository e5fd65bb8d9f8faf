"""The lab's web server: the page, and a small JSON API over the runs (one per tab).

The standard library's ``ThreadingHTTPServer`` serves it: one thread per request, so a
long-polling tab never holds up another, and every run trains in a thread of its own
(``mlp.lab.run``). It is enough for a page on one's own machine and needs nothing installed;
a framework would add a dependency and no feature the lab uses.

Routes (every answer to ``/api`` is JSON; an error is ``{"error": text}`` with its status)::

    GET  /                         the page (and /lab.js, /lab.css)
    POST /api/runs                 {"config": {...}} -> {"run": id, "frame": first frame}
    POST /api/runs/<id>/command    {"command": "play", "pause", "step", "reset", "set", "sample"}
    GET  /api/runs/<id>/events     the frames as server-sent events: the page's feed
    GET  /api/runs/<id>/frame?after=<version>    the next frame (waits up to 10 s for one)
    GET  /api/runs/<id>/explain?param=<w3>       explain() of the sample's loss for a weight
    GET  /api/runs/<id>/stepper                  the stepper page of the sample's loss
    POST /api/runs/<id>/close      the tab is gone: its run is freed

Only 127.0.0.1 is served by default, and a request whose Host is not this server's address is
refused (a web page elsewhere cannot reach the lab through a DNS name that points here). POSTs
must be ``application/json`` (a plain form from another site cannot send that). Nothing a
request carries is evaluated: it is parsed as JSON and read field by field (``mlp.lab.config``).
A run nobody has asked for a frame for ``IDLE`` seconds is freed; at most ``MAX_RUNS`` live.
"""

from __future__ import annotations

import json
import re
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlsplit

from mlp.lab.config import MAX_BODY, LabInputError, RunConfig, command_of, configure, parse_body
from mlp.lab.run import Run
from mlp.lab.runs import LabError, Runs
from mlp.lab.views import explain_text, stepper_page

POLL = 10.0
"""The longest a frame request waits for a new frame before it answers with the same one."""
PAGE = {"/": ("index.html", "text/html; charset=utf-8"),
        "/lab.js": ("lab.js", "text/javascript; charset=utf-8"),
        "/lab.css": ("lab.css", "text/css; charset=utf-8")}
_RUN_PATH = re.compile(
    r"^/api/runs/([0-9a-f]{32})/(command|events|frame|explain|stepper|close)$")
HEARTBEAT = 5.0
"""Seconds between two comments on an idle event stream (a closed tab is noticed by then)."""


class LabServer(ThreadingHTTPServer):
    """The server and its runs; ``serve_forever()`` serves, ``shutdown()`` stops it."""

    daemon_threads = True

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.runs = Runs()
        self._stopped = threading.Event()
        super().__init__((host, port), Handler)  # a port in use: OSError, after server_close()
        self.hosts = {f"{host}:{self.port}", f"localhost:{self.port}",
                      f"127.0.0.1:{self.port}"}
        self._reaper = threading.Thread(target=self._reap_forever, daemon=True)
        self._reaper.start()

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        host = str(self.server_address[0])
        return f"http://{'127.0.0.1' if host in ('127.0.0.1', '0.0.0.0') else host}:{self.port}/"

    def _reap_forever(self) -> None:
        while not self._stopped.wait(1.0):
            self.runs.reap()

    def server_close(self) -> None:
        self._stopped.set()
        self.runs.close_all()
        super().server_close()


class Handler(BaseHTTPRequestHandler):
    """One request: the page's files, or the API."""

    server: LabServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the lab prints its address, not every poll

    def do_GET(self) -> None:
        match = _RUN_PATH.match(urlsplit(self.path).path)
        if match is not None and match[2] == "events":
            self._stream(match[1])
        else:
            self._answer(self._get)

    def _stream(self, run_id: str) -> None:
        """The run's frames as server-sent events, the newest each time, until the tab goes.

        The one thread of this request waits for a frame and writes it: no request to parse
        per frame, so a tab gets its frames while training holds the interpreter most of the
        time. A tab that reads slowly blocks only this thread, and gets the newest frame when
        it reads again (the ones between are dropped); training never waits for it."""
        try:
            self._check_host()
            run = self.server.runs.get(run_id)
        except LabError as e:
            self._send(e.status, "application/json", _error(str(e)))
            return
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        version = 0
        try:
            while not run.closed:
                newest, frame = run.frame_after(version, HEARTBEAT)
                chunk = b"data: %s\n\n" % frame if newest > version else b": idle\n\n"
                version = newest
                self.wfile.write(chunk)
                self.wfile.flush()
        except OSError:
            pass  # the tab is gone

    def do_POST(self) -> None:
        self._answer(self._post)

    def _answer(self, route: Any) -> None:
        try:
            self._check_host()
            status, kind, body = route()
        except LabError as e:
            status, kind, body = e.status, "application/json", _error(str(e))
        except LabInputError as e:
            status, kind, body = HTTPStatus.BAD_REQUEST, "application/json", _error(str(e))
        except Exception as e:
            text = f"the lab could not do that: {type(e).__name__}: {e}"
            status, kind, body = HTTPStatus.INTERNAL_SERVER_ERROR, "application/json", _error(text)
        self._send(status, kind, body)

    def _send(self, status: HTTPStatus, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def _check_host(self) -> None:
        """Refuse a request whose Host is another name (a DNS name made to point here)."""
        if self.headers.get("Host", "") not in self.server.hosts:
            raise LabError(HTTPStatus.FORBIDDEN, "the lab answers only to its own address: "
                                                 f"open {self.server.url}")

    def _get(self) -> tuple[HTTPStatus, str, bytes]:
        url = urlsplit(self.path)
        if url.path in PAGE:
            name, kind = PAGE[url.path]
            page = resources.files("mlp.lab") / "page" / name
            return HTTPStatus.OK, kind, page.read_bytes()
        run, action = self._run(url.path)
        query = parse_qs(url.query)
        if action == "frame":
            after = _query_int(query, "after")
            _, frame = run.frame_after(after, POLL)
            return HTTPStatus.OK, "application/json", frame
        if action == "explain":
            name = query.get("param", [""])[0]
            text = run.command("call", lambda setup: explain_text(setup, name))
            return HTTPStatus.OK, "application/json", _json(text)
        if action == "stepper":
            page = run.command("call", stepper_page)
            return HTTPStatus.OK, "text/html; charset=utf-8", page.encode()
        raise LabError(HTTPStatus.METHOD_NOT_ALLOWED, f"{action} takes a POST")

    def _post(self) -> tuple[HTTPStatus, str, bytes]:
        message = self._body()
        url = urlsplit(self.path)
        if url.path == "/api/runs":
            extra = sorted(set(message) - {"config"})
            if extra:
                raise LabInputError(f"unknown field {extra[0]!r:.40}; a new run takes config")
            run = self.server.runs.create(configure(RunConfig(), message.get("config", {})))
            _, frame = run.frame_after(0, POLL)
            return HTTPStatus.OK, "application/json", b'{"run": "%s", "frame": %s}' % (
                run.id.encode(), frame)
        run, action = self._run(url.path)
        if action == "close":
            self.server.runs.close(run.id)
            return HTTPStatus.OK, "application/json", b"{}"
        if action != "command":
            raise LabError(HTTPStatus.METHOD_NOT_ALLOWED, f"{action} takes a GET")
        name, arg = command_of(message)
        run.command(name, arg)
        return HTTPStatus.OK, "application/json", b"{}"

    def _run(self, path: str) -> tuple[Run, str]:
        match = _RUN_PATH.match(path)
        if match is None:
            raise LabError(HTTPStatus.NOT_FOUND, f"no such page: {path[:80]}")
        return self.server.runs.get(match[1]), match[2]

    def _body(self) -> dict[str, Any]:
        kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            raise LabError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                           "the lab takes JSON: send Content-Type: application/json")
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self.close_connection = True  # where this body ends is unknown: so is the next
            raise LabError(HTTPStatus.LENGTH_REQUIRED, "the message needs a Content-Length") \
                from None
        if length > MAX_BODY or length < 0:
            self.close_connection = True  # the body is not read: this connection is done
            raise LabError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                           f"the message is {length} bytes; the lab reads at most {MAX_BODY}")
        return parse_body(self.rfile.read(length))


def _query_int(query: dict[str, list[str]], name: str) -> int:
    text = query.get(name, ["0"])[0]
    if not re.fullmatch(r"\d{1,12}", text):
        raise LabInputError(f"{name} must be a whole number, got {text[:20]!r}")
    return int(text)


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, allow_nan=False).encode()


def _error(text: str) -> bytes:
    return _json({"error": text})
