"""The headless chromium the browser tests drive: Debian's, through its chromedriver.

Nothing downloads a browser: the driver is /usr/bin/chromedriver (apt's chromium-driver).
Without it (or chromium, Graphviz's dot, selenium) a developer's run skips, naming what to
install; with ``CI`` set, it fails.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--window-size=1400,900"]
"""Headless, and nothing that would reach for the network (there is none: it would only wait)."""

INSTALL = {"chromedriver": "apt-get install chromium-driver",
           "chromium": "apt-get install chromium",
           "Graphviz's dot": "apt-get install graphviz",
           "selenium": "pip install selenium, or the test extra: pip install -e '.[test]'"}
"""What the browser tests need, each with the command that installs it (Debian's packages)."""


def missing(what: str) -> None:
    """Skip, naming the command that installs ``what``; fail instead under CI."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing in CI: {INSTALL[what]}")
    pytest.skip(f"{what} is not installed ({INSTALL[what]})")


@contextmanager
def headless_chromium(prefix: str) -> Iterator[Any]:
    """A headless chromium with a profile of its own and its console log kept."""
    for path, what in [(CHROMEDRIVER, "chromedriver"), (CHROMIUM, "chromium")]:
        if not Path(path).exists():
            missing(what)
    if shutil.which("dot") is None:
        missing("Graphviz's dot")
    if importlib.util.find_spec("selenium") is None:
        missing("selenium")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix=prefix)
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
