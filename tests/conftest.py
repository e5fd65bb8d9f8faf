"""Shared test set-up: the hypothesis profiles, a clean op table for every test, ``dot``.

``CI`` set: the "ci" profile (derandomized, no deadline), so a CI run is repeatable.
Otherwise: the "dev" profile (random, no deadline: the first call of a test may be slow).
"""

import os
import shutil
from collections.abc import Iterator

import pytest
from hypothesis import settings

from autograd.ops import OPS

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _restore_op_table() -> Iterator[None]:
    """Ops a test defines (some of them wrong on purpose) leave the table when it ends.

    Random expressions draw from the whole table, so a planted bug must not outlive its test.
    """
    before = dict(OPS)
    yield
    OPS.clear()
    OPS.update(before)


def need_dot() -> None:
    """Graphviz's dot: skip without it on a developer's machine, fail in CI."""
    if shutil.which("dot") is None:
        if os.environ.get("CI"):
            pytest.fail("Graphviz's dot is missing in CI: install it (apt-get install graphviz)")
        pytest.skip("Graphviz's dot is not installed")


@pytest.fixture
def dot() -> None:
    """Graphviz's dot: skipped without it on a developer's machine, a failure in CI."""
    need_dot()
