"""A small HTTP client of the lab's API for the tests: a server in a thread, JSON in and out."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from mlp.lab.server import LabServer


@contextmanager
def served() -> Iterator[LabServer]:
    """A lab server on a free port of 127.0.0.1, serving from a thread until the block ends."""
    server = LabServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


class Client:
    """One connection to a server (one tab's worth of requests)."""

    def __init__(self, port: int, timeout: float = 60.0) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        sent = {"Content-Type": "application/json"} if body is not None else {}
        sent.update(headers or {})
        self.connection.request(method, path, body=body, headers=sent)
        response = self.connection.getresponse()
        data = response.read()
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, data

    def post(self, path: str, message: Any) -> tuple[int, Any]:
        status, data = self.request("POST", path, json.dumps(message).encode())
        return status, json.loads(data)

    def get(self, path: str) -> tuple[int, Any]:
        status, data = self.request("GET", path)
        return status, json.loads(data)

    def new_run(self, config: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
        status, answer = self.post("/api/runs", {"config": config or {}})
        assert status == 200, answer
        return answer["run"], answer["frame"]

    def command(self, run: str, message: dict[str, Any]) -> tuple[int, Any]:
        return self.post(f"/api/runs/{run}/command", message)

    def frame(self, run: str, after: int = 0) -> dict[str, Any]:
        status, frame = self.get(f"/api/runs/{run}/frame?after={after}")
        assert status == 200, frame
        return frame  # type: ignore[no-any-return]

    def close(self) -> None:
        self.connection.close()
