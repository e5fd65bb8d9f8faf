"""The wheel and the sdist, built with the project's own backend (hatchling), hold what they must.

The wheel: both import packages, each with its ``py.typed`` (else mypy sees all of it as Any).
The sdist: everything its own test suite reads, so the tests pass from an unpacked sdist.
The metadata: where the project lives, which Pythons it supports, how mature it is.
"""

from __future__ import annotations

import re
import tarfile
import zipfile
from dataclasses import dataclass
from email.message import Message
from email.parser import Parser
from pathlib import Path

import pytest
from hatchling.builders.sdist import SdistBuilder
from hatchling.builders.wheel import WheelBuilder

from ..helpers.notes_network import PICTURE

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("autograd", "mlp")


@dataclass(frozen=True)
class Built:
    wheel: list[str]
    """Paths inside the wheel."""
    sdist: list[str]
    """Paths inside the sdist, relative to its top folder."""
    metadata: Message


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("dist")
    (sdist,) = SdistBuilder(str(ROOT)).build(directory=str(out), versions=["standard"])
    (wheel,) = WheelBuilder(str(ROOT)).build(directory=str(out), versions=["standard"])
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        (meta,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(zf.read(meta).decode("utf-8"))
    with tarfile.open(sdist) as tf:
        members = [m.name.split("/", 1)[1] for m in tf.getmembers() if m.isfile()]
    return Built(names, members, metadata)


@pytest.mark.parametrize("package", PACKAGES)
def test_the_wheel_marks_each_package_as_typed(built: Built, package: str) -> None:
    assert f"{package}/py.typed" in built.wheel


def source_files(folder: str) -> set[str]:
    """Every file under ``folder`` (relative to the root), leaving out Python's caches."""
    return {p.relative_to(ROOT).as_posix() for p in (ROOT / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}


@pytest.mark.parametrize("package", PACKAGES)
def test_the_wheel_holds_every_file_of_each_package(built: Built, package: str) -> None:
    files = source_files(package)  # modules, and data such as the stepper page's parts
    assert files, package
    assert files <= set(built.wheel), sorted(files - set(built.wheel))


def test_the_sdist_holds_what_its_own_tests_read(built: Built) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    images = set(re.findall(r"\]\((docs/[^)\s]+)\)", readme))
    assert images, "the README shows pictures from docs/"
    needed = {
        "README.md", "LICENSE", "pyproject.toml",
        ".ci/run",  # test_readme_tour: the README's test command is the one CI runs
        PICTURE.relative_to(ROOT).as_posix(),  # test_draw: the committed picture is current
        *images,
        *source_files("tests"),  # and the notebook, for the notebook test:
        *source_files("demos"),
    }
    missing = sorted(needed - set(built.sdist))
    assert not missing, f"the sdist lacks {missing}"


def test_the_metadata_says_where_the_project_lives(built: Built) -> None:
    urls = dict(u.split(", ", 1) for u in built.metadata.get_all("Project-URL") or [])
    assert {"Homepage", "Source", "Issues"} <= set(urls), urls
    for label, url in urls.items():
        assert url.startswith("https://"), f"{label}: {url}"


def test_the_classifiers_name_each_supported_python_and_the_status(built: Built) -> None:
    classifiers = built.metadata.get_all("Classifier") or []
    minors = sorted(int(c.rsplit(".", 1)[1]) for c in classifiers
                    if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c))
    assert minors, f"no 'Programming Language :: Python :: 3.x' classifier in {classifiers}"
    requires = built.metadata["Requires-Python"]
    assert requires == f">=3.{minors[0]}", (requires, minors)
    assert minors == list(range(minors[0], minors[-1] + 1)), "no version left out"
    assert sum(c.startswith("Development Status :: ") for c in classifiers) == 1


def test_ci_runs_the_suite_on_each_python_the_classifiers_name(built: Built) -> None:
    # .ci/run lists the versions itself: a classifier added without it would go untested.
    classifiers = built.metadata.get_all("Classifier") or []
    named = sorted(c.rsplit(" ", 1)[1] for c in classifiers
                   if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c))
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    (listed,) = re.findall(r"^for v in ([\d. ]+); do$", ci, re.MULTILINE)
    assert sorted(listed.split()) == named, (listed, named)


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_closure(requirements: list[str], extra: str) -> set[str]:
    """The distributions ``requirements`` (with ``extra`` chosen) pull in, installed ones
    followed through their own requirements."""
    from importlib import metadata

    from packaging.requirements import Requirement

    seen: set[str] = set()
    todo = [(r, extra) for r in requirements]
    while todo:
        text, chosen = todo.pop()
        req = Requirement(text)
        if req.marker is not None and not req.marker.evaluate({"extra": chosen}):
            continue
        name = _canonical(req.name)
        if name in seen:
            continue
        seen.add(name)
        try:
            todo += [(r, wanted) for wanted in ("", *req.extras)
                     for r in metadata.requires(req.name) or []]
        except metadata.PackageNotFoundError:
            continue  # not installed here: nothing imports from it in this run
    return seen


def _third_party_imports(files: list[Path]) -> dict[str, str]:
    """Top-level modules the files import that are neither the standard library nor this
    project's (its packages, and the helper modules beside the tests and demos)."""
    import ast
    import sys

    # benchmarks/ is the repository's too, in the sdist: a README test reads its table code
    local = {"autograd", "mlp", "benchmarks", "__future__"} | {p.stem for p in files}
    found: dict[str, str] = {}
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0
                     and node.module else [])
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in local:
                    found.setdefault(top, path.relative_to(ROOT).as_posix())
    return found


def test_the_test_extra_installs_everything_the_tests_and_the_demos_they_run_import(
        built: Built) -> None:
    # Was: `pip install ".[test]"` then pytest, from the sdist, failed the xor and moons demos:
    # matplotlib (their plots) came only with the demos extra.
    from importlib import metadata

    files = sorted([*(ROOT / "tests").rglob("*.py"), *(ROOT / "demos").glob("*.py")])
    provided = _requirement_closure(built.metadata.get_all("Requires-Dist") or [], "test")
    owners = metadata.packages_distributions()
    missing = {module: where for module, where in _third_party_imports(files).items()
               if not {_canonical(d) for d in owners.get(module, [module])} & provided}
    assert not missing, f"imported by the tests or demos, not in the test extra: {missing}"
