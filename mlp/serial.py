"""A module's file: JSON written atomically, read back with every field checked.

The file is plain data, never code (no pickle)::

    {"format": "chainrule-module", "version": 1, "class": "MLP",
     "config": {"nin": 3, "nouts": [2, 1], ...}, "state": {"layers.0.neurons.0.w.0": 0.3, ...}}

Floats are written with ``repr`` so they read back bit for bit. Reading raises ``ValueError``
prefixed with the path and naming what is wrong; the state's numbers are checked by
``Module.load_state_dict``.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import secrets
import stat
import sys
import time
from typing import Any

FORMAT = "chainrule-module"
VERSION = 1
KEYS = ("format", "version", "class", "config", "state")


def write(path: str | os.PathLike[str], cls: str, config: dict[str, Any],
          state: dict[str, float]) -> None:
    """Write the file atomically: a temporary file beside the target, then ``os.replace``.

    A symlink is written through: the file it points to is replaced and the link stays.
    Errors name ``path`` as given, never the temporary file. Temporaries left behind by a save
    that crashed (older than ``STALE_AFTER`` seconds) are removed by the next save of the
    same file; a younger one may belong to a save still running, so it is left alone.
    """
    doc = {"format": FORMAT, "version": VERSION, "class": cls, "config": config, "state": state}
    text = json.dumps(doc, indent=1, allow_nan=False) + "\n"
    given = _path(path, f"{cls}.save")
    target = _target(given, cls)
    folder, name = os.path.split(target)
    stem = _temporary_stem(name)
    for _ in range(100):  # a name already taken is another save's: draw again
        tmp = os.path.join(folder, f"{stem}{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            break
        except FileExistsError:
            continue
        except OSError as e:
            raise _named(e, f"{cls}.save", given) from None
    else:
        raise FileExistsError(f"{cls}.save: {given}: no free temporary name in {folder}")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except BaseException as e:
        if os.path.exists(tmp):
            os.remove(tmp)
        if isinstance(e, OSError):
            raise _named(e, f"{cls}.save", given) from None
        raise
    _remove_stale(folder, stem)


def _path(path: object, who: str) -> str:
    """The path as a str (a bytes path decoded as the file system does)."""
    try:
        return os.fsdecode(path)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"{who}: path must be a str or a path-like object, got "
                        f"{type(path).__name__}") from None


STALE_AFTER = 60.0
"""Seconds after which a save's temporary file, still there, is taken for a crash's leftover."""

_STEM_BYTES = 64


def _target(given: str, cls: str) -> str:
    """The file ``save`` replaces: ``given`` itself, or the file a symlink there points to.

    Said here, naming the path given: the temporary file's error would name the temporary.
    """
    if not given:
        raise ValueError(f"{cls}.save: the path is empty; give a file path, e.g. model.json")
    if "\0" in given:
        raise ValueError(f"{cls}.save: the path {given!r} contains a NUL character")
    if os.path.isdir(given):
        raise IsADirectoryError(f"{cls}.save: {given} is a folder; give a file path, e.g. "
                                f"{os.path.join(given, 'model.json')}")
    target = os.path.realpath(given) if os.path.islink(given) else os.path.abspath(given)
    if os.path.islink(target):  # realpath gave up: the links go round in a loop
        raise OSError(errno.ELOOP, f"{cls}.save: {os.strerror(errno.ELOOP)}", given)
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"{cls}.save: {given}: the folder {folder} does not exist")
    if os.path.exists(target) and not os.path.isfile(target):
        raise ValueError(f"{cls}.save: {given} exists and is not a regular file; refusing to "
                         "replace it")
    return target


def _temporary_stem(name: str) -> str:
    """The start of this file's temporary names: ``.name.``, kept short enough that the
    temporary name fits wherever ``name`` does (a long name is cut, and a hash of it added)."""
    raw = os.fsencode(name)
    if len(raw) <= _STEM_BYTES:
        return f".{name}."
    short = raw[:_STEM_BYTES].decode(sys.getfilesystemencoding(), "ignore")
    return f".{short}-{hashlib.sha256(raw).hexdigest()[:8]}."


def _remove_stale(folder: str, stem: str) -> None:
    """Remove this file's temporaries that a crashed save left behind (best effort)."""
    pattern = re.compile(re.escape(stem) + r"[0-9a-f]{8}\.tmp")
    try:
        names = [n for n in os.listdir(folder) if pattern.fullmatch(n)]
    except OSError:
        return
    now = time.time()
    for n in names:
        path = os.path.join(folder, n)
        try:
            info = os.lstat(path)
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_AFTER:
                os.remove(path)
        except OSError:
            pass  # gone already, or not ours to remove: the save itself succeeded


def _named(err: OSError, who: str, given: str) -> OSError:
    """``err`` of the same type, naming the path given instead of a temporary file."""
    try:
        if err.errno is None:
            return type(err)(f"{who}: {given}: {err}")
        return type(err)(err.errno, f"{who}: {err.strerror}", given)
    except TypeError:  # an OSError subclass with another constructor: keep it as it is
        return err


def _mode_for(target: str) -> int:
    """Keep an existing file's permissions; a new file gets the usual rw-r--r--."""
    try:
        return os.stat(target).st_mode & 0o777
    except FileNotFoundError:
        return 0o644


def read(path: str | os.PathLike[str], cls: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(config, state)`` from the file at ``path``, after checking format, version and class.

    A file that cannot be read raises its ``OSError`` (``FileNotFoundError``,
    ``IsADirectoryError``, ...) naming ``path``; a file that is read but is not a model file,
    ``ValueError`` prefixed with ``path``.
    """
    where = _path(path, f"{cls}.load")
    raw = _read_bytes(where, cls)
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


def _read_bytes(where: str, cls: str) -> bytes:
    if "\0" in where:
        raise ValueError(f"{where!r}: the path contains a NUL character")
    if os.path.isdir(where):
        raise IsADirectoryError(f"{cls}.load: {where} is a folder; give the path of a model "
                                "file")
    try:
        with open(where, "rb") as f:
            return f.read()
    except OSError as e:
        raise _named(e, f"{cls}.load", where) from None


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
