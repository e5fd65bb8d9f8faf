"""Files for save and load: one file replaced atomically, or read whole; errors name the path.

``replace_text`` writes a temporary file beside the target, then ``os.replace``s it, so the
target holds either its old content or the complete new one. A symlink is written through
(the file it points to is replaced, the link stays). Every error names the path the caller
gave, never the temporary file. A temporary file left behind by a write that crashed is
removed by the next write of the same file once it is ``STALE_AFTER`` seconds old (a younger
one may belong to a write still running).
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import stat
import sys
import time

STALE_AFTER = 60.0
"""Seconds after which a write's temporary file, still there, is taken for a crash's leftover."""

_STEM_BYTES = 64


def as_path(path: object, who: str) -> str:
    """The path as a str (a bytes path decoded as the file system does)."""
    try:
        return os.fsdecode(path)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"{who}: path must be a str or a path-like object, got "
                        f"{type(path).__name__}") from None


def replace_text(given: str, text: str, who: str) -> None:
    """Make the file at ``given`` hold ``text`` (UTF-8), atomically."""
    target = _target(given, who)
    folder, name = os.path.split(target)
    stem = _temporary_stem(name)
    tmp, fd = _create_temporary(folder, stem, given, who)
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
            raise _named(e, who, given) from None
        raise
    _remove_stale(folder, stem)


def read_bytes(where: str, who: str) -> bytes:
    """The whole file at ``where``; a path that cannot be read is its OSError, naming it."""
    if "\0" in where:
        raise ValueError(f"{where!r}: the path contains a NUL character")
    if os.path.isdir(where):
        raise IsADirectoryError(f"{who}: {where} is a folder; give the path of a model file")
    try:
        with open(where, "rb") as f:
            return f.read()
    except OSError as e:
        raise _named(e, who, where) from None


def _create_temporary(folder: str, stem: str, given: str, who: str) -> tuple[str, int]:
    """A new, empty temporary file ``stem + 8 hex digits + .tmp`` in ``folder``, opened."""
    for _ in range(100):  # a name already taken is another write's: draw again
        tmp = os.path.join(folder, f"{stem}{secrets.token_hex(4)}.tmp")
        try:
            return tmp, os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        except OSError as e:
            raise _named(e, who, given) from None
    raise FileExistsError(f"{who}: {given}: no free temporary name in {folder}")


def _target(given: str, who: str) -> str:
    """The file to replace: ``given`` itself, or the file a symlink there points to.

    Said here, naming the path given: the temporary file's error would name the temporary.
    """
    if not given:
        raise ValueError(f"{who}: the path is empty; give a file path, e.g. model.json")
    if "\0" in given:
        raise ValueError(f"{who}: the path {given!r} contains a NUL character")
    if os.path.isdir(given):
        raise IsADirectoryError(f"{who}: {given} is a folder; give a file path, e.g. "
                                f"{os.path.join(given, 'model.json')}")
    target = os.path.realpath(given) if os.path.islink(given) else os.path.abspath(given)
    if os.path.islink(target):  # realpath gave up: the links go round in a loop
        raise OSError(errno.ELOOP, f"{who}: {os.strerror(errno.ELOOP)}", given)
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"{who}: {given}: the folder {folder} does not exist")
    if os.path.exists(target) and not os.path.isfile(target):
        raise ValueError(f"{who}: {given} exists and is not a regular file; refusing to "
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
