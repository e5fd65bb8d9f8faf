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
from typing import Any

from mlp.files import as_path, read_bytes, replace_text

FORMAT = "chainrule-module"
VERSION = 1
KEYS = ("format", "version", "class", "config", "state")


def write(path: str | os.PathLike[str], cls: str, config: dict[str, Any],
          state: dict[str, float]) -> None:
    """Write the file atomically (``_files.replace_text``: errors name ``path``, a symlink is
    written through, a crashed save's temporary file is cleaned up by the next save)."""
    doc = {"format": FORMAT, "version": VERSION, "class": cls, "config": config, "state": state}
    text = json.dumps(doc, indent=1, allow_nan=False) + "\n"
    replace_text(as_path(path, f"{cls}.save"), text, f"{cls}.save")


def read(path: str | os.PathLike[str], cls: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(config, state)`` from the file at ``path``, after checking format, version and class.

    A file that cannot be read raises its ``OSError`` (``FileNotFoundError``,
    ``IsADirectoryError``, ...) naming ``path``; a file that is read but is not a model file,
    ``ValueError`` prefixed with ``path``.
    """
    where = as_path(path, f"{cls}.load")
    raw = read_bytes(where, f"{cls}.load")
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


MAX_DEPTH = 32
"""Deepest nesting of JSON arrays and objects a model file may have (it needs 3)."""

_INT_DIGITS = 308
"""Longest integer literal read: a longer one is larger than any float (or count) can be."""


def _parse(text: str) -> Any:
    try:
        doc = json.loads(text, parse_constant=_no_constant, parse_int=_int,
                         object_pairs_hook=_no_duplicates)
    except RecursionError:  # the parser recurses once per level of nesting
        raise ValueError(f"not a model file: JSON nested too deeply (a model file nests "
                         f"{MAX_DEPTH} levels at most)") from None
    except json.JSONDecodeError as e:
        if not text.strip():
            raise ValueError("not JSON: the file is empty") from None
        where = f"{e.msg} (line {e.lineno}, column {e.colno})"
        if e.pos >= len(text.rstrip()) or _unclosed(text):
            raise ValueError(f"not JSON: truncated: the text ends before the JSON is complete "
                             f"({len(text)} characters; {where})") from None
        raise ValueError(f"not JSON: {where}") from None
    depth = _depth(doc)
    if depth > MAX_DEPTH:
        raise ValueError(f"not a model file: JSON nested {depth} levels deep or more (a model "
                         f"file nests {MAX_DEPTH} levels at most)")
    return doc


def _depth(doc: Any) -> int:
    """How deep arrays and objects nest in ``doc`` (0 for a number), counted without
    recursion, up to ``MAX_DEPTH + 1``: messages that show a part of the file call ``repr``,
    which recurses."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(doc, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            depth += 1
            if depth > MAX_DEPTH:
                return depth
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((c, depth) for c in children if isinstance(c, (dict, list)))
    return deepest


def _int(digits: str) -> int:
    if len(digits.lstrip("-")) > _INT_DIGITS:
        raise ValueError(f"not a model file: an integer of {len(digits.lstrip('-'))} digits "
                         "(no count or weight is that large)")
    return int(digits)


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
