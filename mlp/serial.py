"""A module's file: JSON written atomically, read back with every field checked.

The file is plain data, never code (no pickle)::

    {"format": "chainrule-module", "version": 1, "class": "MLP",
     "config": {"nin": 3, "nouts": [2, 1], ...}, "state": {"layers.0.neurons.0.w.0": 0.3, ...}}

Floats are written with ``repr`` so they read back bit for bit. Reading raises ``ValueError``
prefixed with the path and naming what is wrong; the state's numbers are checked by
``Module.load_state_dict``.
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any

FORMAT = "chainrule-module"
VERSION = 1
KEYS = ("format", "version", "class", "config", "state")


def write(path: str | os.PathLike[str], cls: str, config: dict[str, Any],
          state: dict[str, float]) -> None:
    """Write the file atomically: a temporary file beside ``path``, then ``os.replace``."""
    doc = {"format": FORMAT, "version": VERSION, "class": cls, "config": config, "state": state}
    text = json.dumps(doc, indent=1, allow_nan=False) + "\n"
    target = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(target))
    # Said here, naming the path given: the temporary file's error would name the temporary.
    if os.path.isdir(target):
        raise IsADirectoryError(f"{cls}.save: {target} is a folder; give a file path, e.g. "
                                f"{os.path.join(target, 'model.json')}")
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"{cls}.save: {target}: the folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(target)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _mode_for(target: str) -> int:
    """Keep an existing file's permissions; a new file gets the usual rw-r--r--."""
    try:
        return os.stat(target).st_mode & 0o777
    except FileNotFoundError:
        return 0o644


def read(path: str | os.PathLike[str], cls: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(config, state)`` from the file at ``path``, after checking format, version and class."""
    where = os.fspath(path)
    with open(where, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"{where}: not JSON: not UTF-8 text (byte {raw[e.start]:#04x} at "
                         f"position {e.start})") from None
    try:
        doc = _parse(text)
    except ValueError as e:
        raise ValueError(f"{where}: {e}") from None
    problem = _problem(doc, cls)
    if problem:
        raise ValueError(f"{where}: {problem}")
    return doc["config"], doc["state"]


def _parse(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as e:
        if not text.strip():
            raise ValueError("not JSON: the file is empty") from None
        where = f"{e.msg} (line {e.lineno}, column {e.colno})"
        if e.pos >= len(text.rstrip()) or _unclosed(text):
            raise ValueError(f"not JSON: truncated: the text ends before the JSON is complete "
                             f"({len(text)} characters; {where})") from None
        raise ValueError(f"not JSON: {where}") from None


def _unclosed(text: str) -> bool:
    """Whether the text ends inside a string, an object or an array, as a cut-off file does."""
    depth, in_string, escaped = 0, False, False
    for c in text:
        if escaped:
            escaped = False
        elif in_string:
            escaped, in_string = c == "\\", c != '"'
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
    return in_string or depth > 0


def _no_constant(name: str) -> Any:
    raise ValueError(f"non-finite number {name} (a saved model holds finite numbers only)")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _problem(doc: Any, cls: str) -> str | None:
    """The first thing wrong with the document's frame, or None."""
    return _shape_problem(doc) or _header_problem(doc, cls)


def _shape_problem(doc: Any) -> str | None:
    if not isinstance(doc, dict):
        return f"wrong format: expected a JSON object, got {_kind(doc)}"
    if doc.get("format") != FORMAT:
        return f"wrong format: 'format' is {doc.get('format')!r:.40}, expected {FORMAT!r}"
    missing = [k for k in KEYS if k not in doc]
    if missing:
        return f"wrong format: missing {', '.join(map(repr, missing))}"
    extra = [k for k in doc if k not in KEYS]
    if extra:
        return f"wrong format: unexpected key(s) {', '.join(map(repr, extra))}"
    return None


def _header_problem(doc: dict[str, Any], cls: str) -> str | None:
    version = doc["version"]
    if isinstance(version, bool) or not isinstance(version, int):
        return f"wrong format: 'version' must be an int, got {version!r:.40}"
    if version != VERSION:
        return f"unsupported format version {version} (this chainrule reads version {VERSION})"
    if doc["class"] != cls:
        return f"the file holds a {doc['class']!r:.40}, not a {cls!r}"
    for key in ("config", "state"):
        if not isinstance(doc[key], dict):
            return f"wrong format: {key!r} must be a JSON object, got {_kind(doc[key])}"
    return None


def _kind(x: Any) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", int: "a number",
             float: "a number", dict: "an object"}
    return names.get(type(x), "null")
