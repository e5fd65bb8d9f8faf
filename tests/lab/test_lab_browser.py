"""The live lab in a real browser: Debian's chromium driving the page against a real server.

The tests press the page's own buttons and read the numbers it shows, then check them against
the engine: the loss after k steps is fit's after k epochs, exactly; the boundary's forward
pass (the page's JavaScript) is the network's; an edge's explain() is the engine's; a bad
setting shows the server's error and the run goes on. No JavaScript error may reach the
console. Without chromium, chromedriver, dot or selenium a developer's run skips; in CI it fails.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from mlp import MLP, data, fit, losses, optim
from mlp.lab.frame import sample_graph
from mlp.lab.server import LabServer

from ..helpers.chromium import headless_chromium
from ..helpers.stepper_expect import backward_grads, expected_grads
from .lab_client import served


@pytest.fixture(scope="module")
def server() -> Iterator[LabServer]:
    with served() as s:
        yield s


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with headless_chromium("chainrule-lab-chromium-") as driver:
        yield driver


def wait_for(condition: Callable[[], Any], what: str, timeout: float = 30.0) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"waited {timeout:g} s for {what}")


@pytest.fixture
def page(browser: Any, server: LabServer) -> Iterator[Any]:
    """The lab's page, loaded and drawn; its console must stay clean.

    Chromium logs every answer of status 400 as a failed resource: those are the server's
    refusals the tests provoke (and check, in the page's banner), so only they may appear."""
    browser.get(server.url)
    wait_for(lambda: browser.execute_script("return window.lab && window.lab.ready"),
             "the first frame")
    yield browser
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")
              and not (e["source"] == "network" and "status of 400 (Bad Request)" in e["message"])]
    assert not errors, f"the page logged: {errors}"


def js(driver: Any, script: str, *args: Any) -> Any:
    return driver.execute_script(script, *args)


def shown(driver: Any, id_: str) -> str:
    text: str = driver.find_element("id", id_).text
    return text


def settle(driver: Any, version: int | None = None) -> dict[str, Any]:
    """The newest frame once the page has drawn it (one newer than ``version`` if given)."""
    if version is not None:
        wait_for(lambda: js(driver, "return lab.drawn") > version, "a new frame")
    frame: dict[str, Any] = js(driver, "return lab.frame")
    return frame


def press(driver: Any, id_: str) -> None:
    version = js(driver, "return lab.version")
    driver.find_element("id", id_).click()
    settle(driver, version)


def moons_fit(steps: int) -> list[float]:
    X, y = data.make_moons(100, noise=0.1, seed=0)
    model = MLP(2, [16, 16, 1], activation="tanh", seed=0)
    return fit(model, X, y, losses.hinge, optim.SGD(model.parameters(), lr=0.1),
               epochs=steps, progress=False).loss


def test_step_shows_fits_loss_exactly(page: Any) -> None:
    for _ in range(3):
        press(page, "step")
    assert shown(page, "step-count") == "3" and shown(page, "epoch") == "3"
    expected = moons_fit(3)
    exact = page.find_element("id", "loss").get_attribute("data-exact")
    assert float(exact) == expected[-1]  # the number the page holds is fit's, to the bit
    assert shown(page, "loss") == f"{expected[-1]:.4f}"


def test_play_then_pause_shows_the_runs_numbers(page: Any, server: LabServer) -> None:
    page.find_element("id", "play").click()
    wait_for(lambda: js(page, "return lab.frame.step") >= 30, "30 steps")
    assert page.find_element("id", "play").get_attribute("disabled") == "true"
    page.find_element("id", "pause").click()
    wait_for(lambda: not js(page, "return lab.frame.playing"), "the pause")
    frame = settle(page)
    steps = frame["step"]
    assert shown(page, "step-count") == str(steps)
    assert float(page.find_element("id", "loss").get_attribute("data-exact")) == \
        moons_fit(steps)[-1]
    time.sleep(0.3)
    assert js(page, "return lab.frame.step") == steps  # paused: nothing trains


def test_the_pages_forward_pass_is_the_networks(page: Any) -> None:
    press(page, "step")
    frame = settle(page)
    model = MLP(2, [16, 16, 1], activation="tanh", seed=0)
    params = [w for layer in frame["model"]["layers"]
              for row, b in zip(layer["weights"], layer["biases"], strict=True) for w in [*row, b]]
    for p, v in zip(model.parameters(), params, strict=True):
        p.data = v
    for x in ([0.0, 0.0], [1.5, -0.4], [-1.0, 0.75], [2.25, 1.0]):
        ours = js(page, "return lab.forward(arguments[0])[0]", x)
        assert ours == pytest.approx(model(x).data, rel=1e-12, abs=1e-12)


def test_clicking_an_edge_explains_its_weight(page: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    press(page, "step")
    # the middle of edge 40, in the drawing's pixels from its top left corner
    middle = js(page, """const e = net.edges[40], svg = document.getElementById('network');
        const m = svg.getScreenCTM(), box = svg.getBoundingClientRect();
        return [(e.x1 + e.x2) / 2 * m.a + m.e - box.left,
                (e.y1 + e.y2) / 2 * m.d + m.f - box.top];""")
    svg = page.find_element("id", "network")
    size = svg.size
    ActionChains(page).move_to_element_with_offset(
        svg, middle[0] - size["width"] / 2, middle[1] - size["height"] / 2).click().perform()
    wait_for(lambda: shown(page, "explain").startswith("∂L/∂"), "the explanation")
    chosen = page.find_element("id", "chosen-edge")
    name = chosen.get_attribute("data-name")
    assert shown(page, "explain").startswith((f"∂L/∂{name}:", f"∂L/∂{name} ="))
    total = float(page.find_element("id", "explain").get_attribute("data-total"))
    assert total == pytest.approx(float(chosen.get_attribute("data-sample-grad")), rel=1e-12)
    frame = settle(page)
    weight = float(chosen.get_attribute("data-weight"))
    assert weight in [w for layer in frame["model"]["layers"] for row in layer["weights"]
                      for w in row]


def test_a_bad_setting_shows_the_servers_error_and_the_run_goes_on(page: Any) -> None:
    for field, value, words in [("lr", "fast", "config.lr must be a number, got a string"),
                                ("lr", "-1", "config.lr must be above 0"),
                                ("hidden", "1000000000", "config.hidden[0] must be from 1 to 128"),
                                ("hidden", "16, x", "config.hidden[1] must be a whole number"),
                                ("batch_size", "0", "config.batch_size must be from 1")]:
        box = page.find_element("css selector", f"#settings [name={field}]")
        box.clear()
        box.send_keys(value)
        page.find_element("id", "apply").click()
        def refused(words: str = words) -> bool:
            return words in shown(page, "error")

        wait_for(refused, f"the error for {field}={value}")
        box.clear()
        box.send_keys({"lr": "0.1", "hidden": "16, 16", "batch_size": ""}[field])
    press(page, "step")
    assert shown(page, "step-count") == "1" and shown(page, "error") == ""


def test_the_stepper_shows_the_samples_backward_pass(page: Any, server: LabServer) -> None:
    press(page, "step")
    run = server.runs.get(js(page, "return lab.run"))
    loss, _ = run.command("call", lambda setup: sample_graph(setup, 0))
    expected = expected_grads(loss)
    page.find_element("id", "stepper").click()
    wait_for(lambda: page.find_element("id", "stepper-overlay").is_displayed(), "the stepper")
    page.switch_to.frame(page.find_element("id", "stepper-frame"))
    try:
        steps = wait_for(lambda: js(page, "return window.chainrule && window.chainrule.steps"),
                         "the stepper's script")
        assert steps == len(expected)
        for k in (2, steps // 2, steps - 1):
            assert js(page, "return window.chainrule.go(arguments[0])", k) == k
            assert js(page, "return window.chainrule.grads()") == expected[k], f"step {k}"
    finally:
        page.switch_to.default_content()
    # the last step is what backward() leaves (run in the run's thread, which owns the model)
    assert expected[-1] == run.command("call", lambda setup: backward_grads(loss))
    page.find_element("id", "stepper-close").click()


def test_digits_show_test_accuracy_and_refuse_the_stepper_with_a_reason(page: Any) -> None:
    version = js(page, "return lab.version")
    page.find_element("css selector", "[data-preset=digits]").click()
    frame = settle(page, version)
    wait_for(lambda: js(page, "return lab.frame.config.dataset") == "digits", "digits")
    assert len(page.find_elements("css selector", "#network circle")) == 64 + 32 + 10
    assert shown(page, "accuracy-name") == "test accuracy"
    press(page, "step")
    frame = settle(page)
    assert frame["step"] == 1 and frame["model"]["sizes"] == [64, 32, 10]
    page.find_element("id", "stepper").click()
    wait_for(lambda: "the stepper" in shown(page, "error"), "the stepper's refusal")
    assert page.find_element("id", "digit-panel").is_displayed()


def test_choosing_a_sample_on_the_boundary_moves_the_picture(page: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    frame = settle(page)
    canvas = page.find_element("id", "boundary")
    version = js(page, "return lab.version")
    ActionChains(page).move_to_element_with_offset(canvas, 60, -60).click().perform()
    frame = settle(page, version)
    assert frame["config"]["sample"] == frame["sample"]["index"] != 0
    assert shown(page, "sample-name") == str(frame["sample"]["index"])


def test_each_tab_has_its_own_run_and_a_closed_tab_frees_it(page: Any,
                                                           server: LabServer) -> None:
    first = js(page, "return lab.run")
    before = server.runs.count()
    page.switch_to.new_window("tab")
    page.get(server.url)
    wait_for(lambda: js(page, "return window.lab && window.lab.ready"), "the second tab")
    second = js(page, "return lab.run")
    assert second != first and server.runs.count() == before + 1
    page.close()
    page.switch_to.window(page.window_handles[0])
    wait_for(lambda: server.runs.count() == before, "the closed tab's run to be freed")
    assert js(page, "return lab.run") == first


def test_updates_keep_coming_while_training(page: Any) -> None:
    # Not a speed check (that is benchmarks/lab_bench.py): frames keep arriving and drawing.
    page.find_element("id", "play").click()
    first = wait_for(lambda: js(page, "return lab.frame.playing && lab.drawn"), "playing")
    wait_for(lambda: js(page, "return lab.drawn") >= first + 10, "10 more frames")
    page.find_element("id", "pause").click()
    wait_for(lambda: not js(page, "return lab.frame.playing"), "the pause")
