"""The stepper page in a real browser: Debian's chromium, driven through its chromedriver.

Each test loads a page from a file, steps it (with ``window.chainrule.go``, the arrow keys, the
buttons, the slider) and checks the grads it shows against ``stepper_expect``'s independent
re-implementation of the steps, and the last step against ``backward()`` itself. No
JavaScript error may reach the console. The browser is ``helpers.chromium``'s: without it a
developer's run skips, naming what to install; with ``CI`` set, it fails.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from autograd import Value, backward_order, to_html

from ..helpers.chromium import INSTALL, headless_chromium, missing
from ..helpers.notes_network import build
from ..helpers.stepper_expect import backward_grads, expected_grads, names, shared


@pytest.mark.parametrize("what", list(INSTALL))
def test_a_missing_tool_names_its_own_package_and_fails_in_ci(
        what: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Was: a missing dot was skipped with "apt-get install chromium chromium-driver".
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=re.escape(f"({INSTALL[what]})")):
        missing(what)
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match=re.escape(f"in CI: {INSTALL[what]}")):
        missing(what)
    assert ("graphviz" in INSTALL[what]) == (what == "Graphviz's dot")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless chromium for the module's tests, with its console log kept."""
    with headless_chromium("chainrule-chromium-") as driver:
        yield driver


@pytest.fixture
def page(browser: Any, tmp_path: Path) -> Iterator[Callable[[Value], Any]]:
    """Writes ``to_html(root)`` to a file and opens it; the test's console must stay clean."""

    def open_page(root: Value) -> Any:
        path = tmp_path / "backprop.html"
        to_html(root, path)
        browser.get(path.as_uri())
        assert browser.execute_script("return window.chainrule.step") == 0
        return browser

    yield open_page
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert not errors, f"the page logged: {errors}"


def shown(driver: Any) -> dict[str, str | None]:
    grads: dict[str, str | None] = driver.execute_script("return window.chainrule.grads()")
    return grads


GRAPHS = {"notes network": lambda: build().loss, "shared subexpression": shared}


@pytest.mark.parametrize("make", GRAPHS.values(), ids=GRAPHS.keys())
def test_every_step_shows_the_engines_grads(page: Callable[[Value], Any],
                                             make: Callable[[], Value]) -> None:
    root = make()
    expected = expected_grads(root)
    driver = page(root)
    assert driver.execute_script("return window.chainrule.steps") == len(expected)
    for k in range(len(expected)):
        assert driver.execute_script("return window.chainrule.go(arguments[0])", k) == k
        assert shown(driver) == expected[k], f"step {k}"
    assert shown(driver) == backward_grads(root)  # the last step: what backward() leaves


def test_a_shared_node_shows_each_contribution_it_receives(page: Callable[[Value], Any]) -> None:
    root = shared()
    driver = page(root)
    a = root.inputs[1]
    order = backward_order(root)  # the engine's: output first
    square = 2 + next(k for k, v in enumerate(order) if v.inputs == (a, a))
    before = expected_grads(root)[square - 1]["a"]
    driver.execute_script("window.chainrule.go(arguments[0])", square)
    panel = driver.find_element("id", "cr-lines").text
    assert "∂mul₃/∂a (operand 1)" in panel and "∂mul₃/∂a (operand 2)" in panel  # a·a
    assert f"a.grad = {before} + " in panel
    assert "(2nd contribution)" in panel and "(3rd contribution)" in panel
    assert shown(driver)["a"] != before


def test_the_arrow_keys_step_forward_and_back(page: Callable[[Value], Any]) -> None:
    from selenium.webdriver.common.keys import Keys

    root = build().loss
    expected = expected_grads(root)
    driver = page(root)
    body = driver.find_element("tag name", "body")
    for k in range(1, len(expected)):
        body.send_keys(Keys.ARROW_RIGHT)
        assert driver.execute_script("return window.chainrule.step") == k
        assert shown(driver) == expected[k]
    body.send_keys(Keys.ARROW_RIGHT)  # past the end: stays
    assert driver.execute_script("return window.chainrule.step") == len(expected) - 1
    body.send_keys(Keys.ARROW_LEFT)
    assert shown(driver) == expected[-2]
    body.send_keys(Keys.HOME)
    assert driver.execute_script("return window.chainrule.step") == 0
    assert set(shown(driver).values()) == {None}
    body.send_keys(Keys.END)
    assert shown(driver) == backward_grads(root)


def test_the_buttons_the_slider_and_play(page: Callable[[Value], Any]) -> None:
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    root = shared()
    last = len(expected_grads(root)) - 1
    driver = page(root)

    def step() -> int:
        k: int = driver.execute_script("return window.chainrule.step")
        return k

    driver.find_element("id", "cr-next").click()
    driver.find_element("id", "cr-next").click()
    assert step() == 2
    driver.find_element("id", "cr-prev").click()
    assert step() == 1
    slider = driver.find_element("id", "cr-slider")
    slider.send_keys(Keys.ARROW_RIGHT)  # the slider's own keys move it, and the page follows
    assert step() == 2 and slider.get_attribute("value") == "2"
    assert driver.find_element("id", "cr-counter").text == f"step 2 of {last}"
    driver.find_element("id", "cr-play").click()
    WebDriverWait(driver, 10, poll_frequency=0.1).until(lambda _: step() >= 3)
    driver.find_element("id", "cr-play").click()  # pause
    paused = step()
    driver.execute_script("return new Promise(r => setTimeout(r, 1600))")
    assert step() == paused
    assert driver.find_element("id", "cr-play").text.endswith("play")


def test_go_outside_the_steps_is_a_range_error(page: Callable[[Value], Any]) -> None:
    driver = page(shared())
    for bad in ("-1", "window.chainrule.steps", "1.5", "'2'"):
        error = driver.execute_script(
            f"try {{ window.chainrule.go({bad}); return null; }} "
            "catch (e) { return e.name + ': ' + e.message; }")
        assert error is not None and error.startswith("RangeError: chainrule.go: step must be")
    assert driver.execute_script("return window.chainrule.step") == 0


def test_the_page_can_open_at_a_step(page: Callable[[Value], Any], tmp_path: Path) -> None:
    root = build().loss
    driver = page(root)
    driver.get((tmp_path / "backprop.html").as_uri() + "#step=4")
    assert driver.execute_script("return window.chainrule.step") == 4
    assert shown(driver) == expected_grads(root)[4]


def test_labels_with_markup_show_literally_and_run_nothing(page: Callable[[Value], Any]) -> None:
    labels = ["<b>bold</b>", "fish & chips", 'say "hi"', "</script><script>window.hit=1</script>",
              "<img src=x onerror=window.hit=2>"]
    xs = [Value(float(i + 1), label=label) for i, label in enumerate(labels)]
    root = (xs[0] * xs[1] + xs[2] * xs[3]) * xs[4]
    root.label = "<i>loss</i>"
    driver = page(root)
    driver.execute_script("window.chainrule.go(window.chainrule.steps - 1)")
    assert driver.execute_script("return window.hit") is None
    assert driver.execute_script("return document.querySelectorAll("
                                 "'#cr-graph b, #cr-graph img, #cr-graph i, #cr-lines *:not(p)'"
                                 ").length") == 0
    grads = shown(driver)
    assert set(labels) <= set(grads) and None not in grads.values()
    drawing = driver.find_element("id", "cr-graph").text
    for label in labels:
        assert label in drawing
    assert driver.find_element("id", "cr-root").text == "<i>loss</i>"
    assert grads == backward_grads(root) and sorted(grads) == sorted(names(root))


VISIBLE = """
const view = arguments[0].getBoundingClientRect(), graph = arguments[0];
const left = view.left + graph.clientLeft, top = view.top + graph.clientTop;
return arguments[1].map(el => {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.left >= left - 0.5 && r.right <= left + graph.clientWidth + 0.5
      && r.top >= top - 0.5 && r.bottom <= top + graph.clientHeight + 0.5;
});
"""


def _drawn_scale(driver: Any) -> float:
    """CSS px per Graphviz point as drawn: 4/3 is Graphviz's own size, 1 a 9 pt label 9 px
    (about: the drawing is sized in whole pixels)."""
    scale: float = driver.execute_script(
        "const svg = document.querySelector('#cr-graph svg');"
        "return svg.getBoundingClientRect().width / svg.viewBox.baseVal.width")
    return scale


def test_the_drawing_is_readable_and_each_step_is_in_view(page: Callable[[Value], Any]) -> None:
    """In a 1400 × 900 window the notes' network is drawn large enough to read (a 9 pt edge
    label at least 9 px), and each step scrolls the drawing, not the page, so that the node
    passing its gradient and the labels of its edges are in view; so is the root at the seed."""
    root = build().loss
    driver = page(root)
    assert _drawn_scale(driver) >= 0.99
    graph = driver.find_element("id", "cr-graph")
    steps = driver.execute_script("return window.chainrule.steps")
    for k in range(1, steps):
        driver.execute_script("window.chainrule.go(arguments[0])", k)
        if k == 1:
            wanted = driver.find_elements("css selector", "#cr-graph g.node.cr-active, "
                                          "#cr-graph text.cr-new")
        else:
            wanted = driver.find_elements(
                "css selector", "#cr-graph g.node.cr-active, "
                "#cr-graph g.edge.cr-lit:not([id$='-in']) text")
        assert len(wanted) >= (1 if k == 1 else 2), f"step {k}"
        assert all(driver.execute_script(VISIBLE, graph, wanted)), f"step {k}"
        assert driver.execute_script("return window.scrollX + window.scrollY") == 0


def test_the_whole_graph_box_fits_the_drawing_to_its_frame(page: Callable[[Value], Any]) -> None:
    root = build().loss
    driver = page(root)
    readable = _drawn_scale(driver)
    whole = driver.find_element("id", "cr-whole")
    whole.click()
    graph = driver.find_element("id", "cr-graph")
    svg = driver.find_element("css selector", "#cr-graph svg")
    assert _drawn_scale(driver) < readable
    assert svg.rect["width"] <= graph.size["width"] and svg.rect["height"] <= graph.size["height"]
    whole.click()
    assert _drawn_scale(driver) == readable


def test_in_a_narrow_window_the_drawing_sits_above_the_panel_and_follows(
        page: Callable[[Value], Any]) -> None:
    root = build().loss
    driver = page(root)
    driver.set_window_size(700, 900)
    try:
        driver.execute_script("window.chainrule.go(4)")
        graph = driver.find_element("id", "cr-graph")
        panel = driver.find_element("id", "cr-panel")
        assert graph.size["height"] >= 200 and graph.rect["y"] < panel.rect["y"]
        assert _drawn_scale(driver) >= 0.99
        wanted = driver.find_elements("css selector", "#cr-graph g.node.cr-active")
        assert len(wanted) == 2 and all(driver.execute_script(VISIBLE, graph, wanted))
    finally:
        driver.set_window_size(1400, 900)
