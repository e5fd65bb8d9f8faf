"""The lab's server over real sockets: its API, the bad messages, many tabs at once, Ctrl-C.

Every hostile message gets its status and a JSON error naming what was wrong, and the server
(and the run) go on as before.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from mlp import MLP, data, fit, losses, optim
from mlp.lab import Lab, runs
from mlp.lab.server import LabServer

from .lab_client import Client, served


@pytest.fixture
def server() -> Iterator[LabServer]:
    with served() as s:
        yield s


@pytest.fixture
def client(server: LabServer) -> Iterator[Client]:
    c = Client(server.port)
    yield c
    c.close()


def test_the_page_and_its_files_are_served(client: Client) -> None:
    for path, kind in [("/", "text/html"), ("/lab.js", "text/javascript"),
                       ("/lab.css", "text/css")]:
        client.connection.request("GET", path)
        response = client.connection.getresponse()
        body = response.read()
        assert response.status == 200 and response.getheader("Content-Type", "").startswith(kind)
        assert len(body) > 500
    status, answer = client.get("/nope")
    assert status == 404 and answer == {"error": "no such page: /nope"}


def test_a_run_answers_commands_with_frames(client: Client) -> None:
    run, frame = client.new_run({"hidden": [4], "seed": 1})
    assert frame["step"] == 0 and frame["config"]["hidden"] == [4] and frame["loss"] is None
    assert client.command(run, {"command": "step", "steps": 5}) == (200, {})
    frame = client.frame(run)
    X, y = data.make_moons(100, noise=0.1, seed=1)
    model = MLP(2, [4, 1], activation="tanh", seed=1)
    history = fit(model, X, y, losses.hinge, optim.SGD(model.parameters(), lr=0.1), epochs=5,
                  progress=False)
    assert frame["step"] == 5 and frame["loss"] == history.loss[-1]
    assert client.post(f"/api/runs/{run}/close", {}) == (200, {})
    status, answer = client.get(f"/api/runs/{run}/frame")
    assert status == 404 and "this run is gone" in answer["error"]


BAD = [  # (what, body bytes, headers, status, words of the error)
    ("not JSON", b"{nope", {}, 400, "not JSON"),
    ("a list", b"[1, 2]", {}, 400, "must be a JSON object, got a list"),
    ("NaN", b'{"command": "set", "config": {"lr": NaN}}', {}, 400, "NaN"),
    ("Infinity", b'{"command": "step", "steps": Infinity}', {}, 400, "Infinity"),
    ("1e999", b'{"command": "set", "config": {"lr": 1e999}}', {}, 400, "config.lr must be"),
    ("10^9 neurons", b'{"command": "set", "config": {"hidden": [1000000000]}}', {}, 400,
     "config.hidden[0] must be from 1 to 128"),
    ("too many parameters", b'{"command": "set", "config": {"hidden": [128, 128, 128]}}', {},
     400, "parameters; the lab trains at most 20000"),
    ("too many layers", b'{"command": "set", "config": {"hidden": [1,1,1,1,1,1,1]}}', {}, 400,
     "at most 6 hidden layers"),
    ("a negative rate", b'{"command": "set", "config": {"lr": -0.1}}', {}, 400,
     "config.lr must be above 0"),
    ("a string rate", b'{"command": "set", "config": {"lr": "0.1"}}', {}, 400,
     "config.lr must be a number, got a string"),
    ("code as a rate", b'{"command": "set", "config": {"lr": "__import__(\'os\')"}}', {}, 400,
     "config.lr must be a number, got a string"),
    ("true as a width", b'{"command": "set", "config": {"hidden": [true]}}', {}, 400,
     "config.hidden[0] must be a whole number"),
    ("a fraction of a neuron", b'{"command": "set", "config": {"hidden": [2.5]}}', {}, 400,
     "config.hidden[0] must be a whole number"),
    ("an unknown dataset", b'{"command": "set", "config": {"dataset": "cifar"}}', {}, 400,
     "config.dataset must be one of moons, xor, linear, digits"),
    ("a loss for another dataset", b'{"command": "set", "config": {"loss": "cross_entropy"}}',
     {}, 400, "moons trains with hinge or mse or binary_cross_entropy"),
    ("an unknown field", b'{"command": "set", "config": {"eval": 1}}', {}, 400,
     "unknown field 'eval'"),
    ("an unknown command", b'{"command": "shutdown"}', {}, 400, "command must be one of"),
    ("no command", b"{}", {}, 400, "command must be one of"),
    ("a huge step count", b'{"command": "step", "steps": 1000000000000}', {}, 400,
     "steps must be from 1 to 10000"),
    ("a sample out of range", b'{"command": "sample", "sample": 100}', {}, 400,
     "the training set has 100 samples"),
    ("deep nesting", b"[" * 20000 + b"]" * 20000, {}, 400, "nested too deeply"),
    ("not UTF-8", b'{"command": "\xff"}', {}, 400, "not UTF-8"),
    ("a form", b"command=play", {"Content-Type": "application/x-www-form-urlencoded"}, 415,
     "the lab takes JSON"),
    ("a huge body", b" " * (65 * 1024), {}, 413, "the lab reads at most 65536"),
    ("an empty body", b"", {}, 400, "command must be one of"),
]


@pytest.mark.parametrize(("body", "headers", "status", "words"),
                         [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_bad_message_gets_a_clear_error_and_changes_nothing(
        client: Client, body: bytes | None, headers: dict[str, str], status: int,
        words: str) -> None:
    run, _ = client.new_run({"hidden": [3]})
    client.command(run, {"command": "step", "steps": 2})
    before = client.frame(run)
    got, answer = client.request("POST", f"/api/runs/{run}/command", body, headers)
    assert got == status
    assert words in json.loads(answer)["error"]
    after = Client(client.port)  # the connection may be closed after a body it did not read
    assert after.command(run, {"command": "step", "steps": 1}) == (200, {})
    frame = after.frame(run)
    assert frame["step"] == before["step"] + 1 and frame["config"] == before["config"]
    after.close()


def test_a_post_without_a_length_is_refused(server: LabServer) -> None:
    import socket

    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                     b"Content-Type: application/json\r\n\r\n" % server.port)
        answer = b"".join(iter(lambda: sock.recv(65536), b"")).decode()  # to the close
    assert answer.startswith("HTTP/1.1 411") and "needs a Content-Length" in answer


def test_a_request_for_another_host_is_refused(client: Client) -> None:
    for path in ["/", "/api/runs"]:
        status, answer = client.request("GET", path, headers={"Host": "evil.example:80"})
        assert status == 403 and "only to its own address" in json.loads(answer)["error"]


def test_bad_queries_and_methods_get_errors(client: Client) -> None:
    run, _ = client.new_run({"hidden": [2]})
    assert client.get(f"/api/runs/{run}/frame?after=-1")[0] == 400
    assert client.get(f"/api/runs/{run}/frame?after=1e9")[0] == 400
    status, answer = client.get(f"/api/runs/{run}/explain?param=__class__")
    assert status == 400 and "no weight or bias is labelled" in answer["error"]
    assert client.get(f"/api/runs/{run}/command")[0] == 405
    assert client.post(f"/api/runs/{run}/frame", {})[0] == 405
    assert client.get("/api/runs/" + "0" * 32 + "/frame")[0] == 404
    status, answer = client.post("/api/runs", {"config": {"lr": 0}})
    assert status == 400 and "config.lr must be above 0" in answer["error"]
    assert client.post("/api/runs", {"configs": {}})[0] == 400


def test_the_stepper_is_refused_for_a_large_graph_with_a_reason(client: Client) -> None:
    run, _ = client.new_run({"dataset": "digits", "hidden": [32], "loss": "cross_entropy"})
    status, answer = client.get(f"/api/runs/{run}/stepper")
    assert status == 400 and "the stepper" in answer["error"] and "1000" in answer["error"]


def test_the_events_stream_sends_the_newest_frames(server: LabServer, client: Client) -> None:
    run, _ = client.new_run({"hidden": [4]})
    client.command(run, {"command": "play"})
    stream = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
    stream.request("GET", f"/api/runs/{run}/events")
    response = stream.getresponse()
    assert response.getheader("Content-Type", "").startswith("text/event-stream")
    versions: list[int] = []
    steps: list[int] = []
    while len(versions) < 10:
        line = response.fp.readline()
        if line.startswith(b"data: "):
            frame = json.loads(line[6:])
            versions.append(frame["version"])
            steps.append(frame["step"])
    stream.close()
    assert versions == sorted(set(versions)) and steps == sorted(steps) and steps[-1] > 0


def test_runs_are_limited_freed_when_idle_and_when_closed(
        server: LabServer, client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runs, "MAX_RUNS", 3)
    ids = [client.new_run({"hidden": [2]})[0] for _ in range(3)]
    status, answer = client.post("/api/runs", {"config": {"hidden": [2]}})
    assert status == 503 and "at most 3 networks" in answer["error"]
    client.post(f"/api/runs/{ids[0]}/close", {})
    assert server.runs.count() == 2
    monkeypatch.setattr(runs, "IDLE", 0.2)
    time.sleep(0.3)
    client.new_run({"hidden": [2]})  # making a run frees the idle ones first
    assert server.runs.count() == 1


def _load(port: int, seed: int, steps: int, out: dict[int, Any]) -> None:
    c = Client(port)
    run, _ = c.new_run({"hidden": [8, 8], "seed": seed})
    reader = Client(port)
    for k in range(steps):
        assert c.command(run, {"command": "step"}) == (200, {})
        if k % 20 == 0:
            reader.frame(run)  # a tab reading its frames while another request steps
    out[seed] = c.frame(run)
    c.close()
    reader.close()


def test_eight_tabs_at_once_each_train_their_own_run(server: LabServer) -> None:
    # The bounded load test: 8 clients x 200 steps, one request per step, on loopback.
    # Each run must be its own: its loss is fit's for its seed, exactly.
    results: dict[int, Any] = {}
    threads = [threading.Thread(target=_load, args=(server.port, seed, 200, results))
               for seed in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert sorted(results) == list(range(8))
    for seed, frame in results.items():
        X, y = data.make_moons(100, noise=0.1, seed=seed)
        model = MLP(2, [8, 8, 1], activation="tanh", seed=seed)
        history = fit(model, X, y, losses.hinge, optim.SGD(model.parameters(), lr=0.1),
                      epochs=200, progress=False)
        assert frame["step"] == 200 and frame["loss"] == history.loss[-1], seed
    assert server.runs.count() == 8


def test_ctrl_c_stops_the_lab_cleanly() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "mlp.lab", "--no-browser"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("chainrule lab: http://127.0.0.1:"), line
        port = int(line.split(":")[3].split("/")[0])
        c = Client(port)
        run, _ = c.new_run({"hidden": [4]})
        c.command(run, {"command": "play"})
        c.close()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "chainrule lab: stopped" in out and "Traceback" not in err


def test_a_port_in_use_is_a_clear_error() -> None:
    with served() as s:
        command = [sys.executable, "-m", "mlp.lab", "--no-browser", "--port", str(s.port)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 1 and f"cannot serve on 127.0.0.1:{s.port}" in result.stderr
    result = subprocess.run([sys.executable, "-m", "mlp.lab", "--port", "70000"],
                            capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 2 and "--port must be from 0 to 65535" in result.stderr


def test_the_notebook_lab_is_an_iframe_to_its_own_server() -> None:
    with Lab() as lab:
        html = lab._repr_html_()
        assert f'src="{lab.url}"' in html and "<iframe" in html
        c = Client(lab.server.port)
        _, frame = c.new_run()
        assert frame["config"]["dataset"] == "moons"
        c.close()
