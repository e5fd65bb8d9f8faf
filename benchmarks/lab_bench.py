"""The live lab's speed: steps a second while it draws, and the frames (updates) a tab gets.

    python benchmarks/lab_bench.py [--seconds S] [--browser]

Baseline, in the same process: ``fit`` on the same network and data (what a user runs without
the lab), as steps a second. Then the lab's server in this process, and each tab a separate
process reading the frames as the page does (server-sent events): the run's steps a second
(from the frames' step counter) as a ratio of fit's, and the frames a second each tab
received. ``--browser`` also opens the page in headless chromium and counts the frames it
draws. Rows: moons 2-16-16-1 full batch (hinge), digits 64-32-10 in batches of 32
(cross-entropy, momentum 0.9), 8 tabs of moons at once, and the load test's shape (8 clients
x 200 step requests).
"""

from __future__ import annotations

import argparse
import http.client
import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mlp import MLP, data, fit, losses, optim
from mlp.lab.server import LabServer

MOONS: dict[str, Any] = {}
DIGITS = {"dataset": "digits", "hidden": [32], "loss": "cross_entropy", "batch_size": 32,
          "momentum": 0.9}


def fit_steps_per_second(config: dict[str, Any], seconds: float) -> float:
    """fit's steps a second on the row's network and data (its epochs' steps, timed)."""
    X: list[list[float]]
    y: list[Any]
    loss: Callable[..., Any]
    if config.get("dataset") == "digits":
        split = data.digits()
        X, y, batch = split.X_train, split.y_train, 32
        model: MLP[Any] = MLP(64, [32, 10], activation="tanh", seed=0)
        loss, opt = losses.cross_entropy, optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        steps_per_epoch = -(-len(X) // batch)
    else:
        X, y = data.make_moons(100, noise=0.1, seed=0)
        model, batch, steps_per_epoch = MLP(2, [16, 16, 1], activation="tanh", seed=0), None, 1
        loss, opt = losses.hinge, optim.SGD(model.parameters(), lr=0.1)
    fit(model, X, y, loss, opt, epochs=1, batch_size=batch, seed=0, progress=False)  # compile
    epochs = 1
    while True:
        start = time.perf_counter()
        fit(model, X, y, loss, opt, epochs=epochs, batch_size=batch, seed=0, progress=False)
        took = time.perf_counter() - start
        if took >= seconds / 2:
            return epochs * steps_per_epoch / took
        epochs *= 2


def request(port: int, method: str, path: str, body: Any = None) -> Any:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request(method, path, body=None if body is None else json.dumps(body).encode(),
              headers={"Content-Type": "application/json"} if body is not None else {})
    answer = json.loads(c.getresponse().read())
    c.close()
    return answer


def read_events(port: int, run: str, seconds: float) -> None:
    """(A tab, in its own process.) Read the run's frames for ``seconds``; print the count,
    the first and the last frame's step and time."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request("GET", f"/api/runs/{run}/events")
    response = c.getresponse()
    first = last = None
    frames, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        line = response.fp.readline()
        if line.startswith(b"data: "):
            step = json.loads(line[6:])["step"]
            now = time.monotonic()
            first = first or (step, now)
            last = (step, now)
            frames += 1
    assert first is not None and last is not None
    print(json.dumps({"frames": frames, "first": first, "last": last}))


def tabs(port: int, config: dict[str, Any], count: int, seconds: float) -> list[dict[str, Any]]:
    """``count`` tabs, each its own run, playing, read by its own process for ``seconds``."""
    runs = [request(port, "POST", "/api/runs", {"config": config})["run"] for _ in range(count)]
    readers = [subprocess.Popen([sys.executable, __file__, "--read", str(port), run,
                                 str(seconds)], stdout=subprocess.PIPE, text=True)
               for run in runs]
    time.sleep(0.3)  # the readers connect; then all play
    for run in runs:
        request(port, "POST", f"/api/runs/{run}/command", {"command": "play"})
    results = []
    for reader, run in zip(readers, runs, strict=True):
        out, _ = reader.communicate(timeout=seconds + 60)
        got = json.loads(out)
        (s0, t0), (s1, t1) = got["first"], got["last"]
        results.append({"frames_per_s": got["frames"] / seconds,
                        "steps_per_s": (s1 - s0) / (t1 - t0) if t1 > t0 else 0.0})
        request(port, "POST", f"/api/runs/{run}/close", {})
    return results


def load_test(port: int, clients: int = 8, steps: int = 200) -> dict[str, float]:
    """The test suite's load test, timed: each client one run and one request per step."""
    def client() -> None:
        run = request(port, "POST", "/api/runs", {"config": {"hidden": [8, 8]}})["run"]
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for _ in range(steps):
            c.request("POST", f"/api/runs/{run}/command", body=b'{"command": "step"}',
                      headers={"Content-Type": "application/json"})
            c.getresponse().read()
        c.close()
        request(port, "POST", f"/api/runs/{run}/close", {})

    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - start
    return {"seconds": took, "requests_per_s": clients * steps / took}


def browser_updates(url: str, seconds: float) -> float | None:
    """Frames a second the page in headless chromium draws while moons trains."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        return None
    options = webdriver.ChromeOptions()
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1400,900"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(url)
        while not driver.execute_script("return window.lab && window.lab.ready"):
            time.sleep(0.05)
        driver.execute_script("document.querySelector('#settings [name=speed]').value = '0';"
                              "document.getElementById('apply').click();")
        time.sleep(0.5)
        driver.find_element("id", "play").click()
        time.sleep(1.0)
        before, start = driver.execute_script("return lab.updates"), time.monotonic()
        time.sleep(seconds)
        after, end = driver.execute_script("return lab.updates"), time.monotonic()
        return float((after - before) / (end - start))
    finally:
        driver.quit()


def run(seconds: float, browser: bool) -> dict[str, Any]:
    server = LabServer()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out: dict[str, Any] = {}
    try:
        for name, config, count in [("moons 2-16-16-1", MOONS, 1),
                                    ("digits 64-32-10", DIGITS, 1),
                                    ("moons, 8 tabs at once", MOONS, 8)]:
            baseline = fit_steps_per_second(config, seconds)
            got = tabs(server.port, config, count, seconds)
            out[name] = {"fit_steps_per_s": baseline, "tabs": count,
                         "steps_per_s": sum(g["steps_per_s"] for g in got),
                         "frames_per_s_per_tab": min(g["frames_per_s"] for g in got)}
        out["load test (8 clients x 200 steps)"] = load_test(server.port)
        if browser:
            out["browser updates per s (moons)"] = browser_updates(server.url, seconds)
    finally:
        server.shutdown()
        server.server_close()
    return out


def markdown(results: dict[str, Any]) -> str:
    lines = ["| lab row | fit steps/s | lab steps/s (all tabs) | ratio | frames/s each tab |",
             "|---|---|---|---|---|"]
    for name, r in results.items():
        if isinstance(r, dict) and "fit_steps_per_s" in r:
            lines.append(f"| {name} | {r['fit_steps_per_s']:.0f} | {r['steps_per_s']:.0f} | "
                         f"{r['steps_per_s'] / r['fit_steps_per_s']:.2f}x | "
                         f"{r['frames_per_s_per_tab']:.1f} |")
    load = results["load test (8 clients x 200 steps)"]
    lines.append(f"\nLoad test, 8 clients x 200 step requests: {load['seconds']:.2f} s, "
                 f"{load['requests_per_s']:.0f} requests/s.")
    shown = results.get("browser updates per s (moons)")
    if shown is not None:
        lines.append(f"Headless chromium drew {shown:.1f} frames a second (moons 2-16-16-1).")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per row (default 5)")
    parser.add_argument("--browser", action="store_true", help="also count the page's frames")
    parser.add_argument("--read", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.read:
        read_events(int(args.read[0]), args.read[1], float(args.read[2]))
        return 0
    print(markdown(run(args.seconds, args.browser)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
