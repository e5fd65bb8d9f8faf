"""Module: what every model part shares — its parameters, their state, and saving it.

A module lists its parameters with stable structural names (``layers.0.neurons.1.w.2``). The
state is a flat ``{name: float}`` dict; a saved file is JSON holding the module's class, its
configuration (the constructor's arguments) and that state, so ``load`` rebuilds the model
without running any code from the file.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from typing import Any, TypeVar

from autograd import Value
from mlp import serial
from mlp.checks import zero_grads

M = TypeVar("M", bound="Module")


class Module:
    """Base class of Neuron, Layer and MLP.

    Subclasses give ``named_parameters`` (in a fixed order), and ``config`` plus
    ``from_config`` so that ``save``/``load`` can rebuild them.
    """

    def named_parameters(self) -> list[tuple[str, Value]]:
        """``(name, parameter)`` pairs in ``parameters()`` order; names are unique and stable."""
        raise NotImplementedError(f"{type(self).__name__} must define named_parameters()")

    def parameters(self) -> list[Value]:
        """Every trainable Value, in a fixed order."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Set every parameter's ``.grad`` to 0.0 (leaf grads accumulate until zeroed);
        ``set_to_none`` is PyTorch's switch, taken and the same here (``mlp.checks.zero_grads``)."""
        zero_grads(self.parameters(), set_to_none)

    def state_dict(self) -> dict[str, float]:
        """``{name: value}`` of every parameter, in ``parameters()`` order (a snapshot)."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, object]) -> None:
        """Set every parameter from ``state``; all or nothing.

        ``state`` must hold exactly this module's parameter names, each with a finite int or
        float. Anything else raises ``ValueError`` naming the keys or the value at fault, and
        leaves the parameters untouched.
        """
        if not isinstance(state, Mapping):
            raise ValueError(f"state must be a mapping of names to numbers, got "
                             f"{type(state).__name__}")
        named = self.named_parameters()
        _check_names({name for name, _ in named}, state.keys(), self)
        values = [_finite(state[name], name) for name, _ in named]
        for (_, p), v in zip(named, values, strict=True):
            p.data = v

    def config(self) -> dict[str, Any]:
        """The constructor's arguments, as JSON-ready values, for ``from_config``."""
        raise NotImplementedError(f"{type(self).__name__} must define config()")

    @classmethod
    def from_config(cls: type[M], config: Mapping[str, Any]) -> M:
        """A new module built from ``config()``'s output (its weights freshly drawn)."""
        raise NotImplementedError(f"{cls.__name__} must define from_config()")

    @classmethod
    def parameter_count(cls, config: Mapping[str, Any]) -> int | None:
        """How many parameters ``from_config(config)`` would make, found without making them
        (so ``load`` refuses a file that could not fill them before building anything);
        ``None`` when a subclass does not say."""
        return None

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the module to ``path`` as JSON: class, config and state (format version 1).

        The write is atomic: a temporary file in the same directory, then ``os.replace``, so
        ``path`` holds either the old file or the complete new one, never half of one.
        A weight that is not a real number (``True``, a string) raises ``TypeError``, and a
        non-finite one ``ValueError`` (JSON has no NaN), and nothing is written: what is saved
        loads. A symlink is written through (the file it points to is replaced). A path that
        is empty, a folder, not a regular file, or in a folder that does not exist raises an
        error naming it; so does a failed write, which leaves the old file as it was.
        """
        who = type(self).__name__
        state = {name: _savable(v, name, who) for name, v in self.state_dict().items()}
        serial.write(path, who, self.config(), state)

    @classmethod
    def load(cls: type[M], path: str | os.PathLike[str]) -> M:
        """The module saved at ``path``: rebuilt from its config, then its weights loaded.

        Raises ``ValueError`` naming the path and the problem for a file that is not JSON,
        is truncated, nests too deeply, has the wrong format, version, class or shapes, or holds
        non-finite numbers. A config that needs more parameters than the state holds is refused
        before anything is built. A path that cannot be read raises its ``OSError``
        (``FileNotFoundError``, ``IsADirectoryError``, ...), naming it.
        """
        config, state = serial.read(path, cls.__name__)
        try:
            count = cls.parameter_count(config)
            if count is not None and count > len(state):
                shown = ", ".join(f"{k}={v!r:.40}" for k, v in config.items())
                raise _UnfitError(f"state does not fit {cls.__name__}({shown}): {cls.__name__} has "
                             f"{count} parameters, the state has {len(state)}")
            module = cls.from_config(config)
        except _UnfitError as e:
            raise ValueError(f"{os.fsdecode(path)}: {e}") from None
        except (TypeError, ValueError) as e:
            raise ValueError(f"{os.fsdecode(path)}: bad config for {cls.__name__}: {e}") from None
        try:
            module.load_state_dict(state)
        except ValueError as e:
            raise ValueError(f"{os.fsdecode(path)}: state does not fit {module!r}: {e}") from None
        return module


class _UnfitError(ValueError):
    """A config that asks for more parameters than the file's state holds."""


def _check_names(expected: set[str], given: Any, module: Module) -> None:
    given = set(given)
    if given == expected:
        return
    missing = sorted(expected - given, key=_natural)
    unexpected = sorted((str(k) for k in given - expected), key=_natural)
    parts = []
    if missing:
        parts.append(f"missing {_few(missing)}")
    if unexpected:
        parts.append(f"unexpected {_few(unexpected)}")
    raise ValueError(f"{type(module).__name__} has {len(expected)} parameters, the state has "
                     f"{len(given)}: {'; '.join(parts)}")


def _natural(name: str) -> list[Any]:
    """Sort key so ``w.10`` comes after ``w.9``."""
    return [int(p) if p.isdigit() else p for p in name.split(".")]


def _few(names: list[str], limit: int = 5) -> str:
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def _savable(value: object, name: str, who: str) -> float:
    """A weight as the float the file will hold; anything ``load`` would refuse, refused."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"cannot save {who}: parameter {name} is {type(value).__name__} "
                        f"{value!r:.40}, not a number")
    try:
        v = float(value)
    except OverflowError:
        raise ValueError(f"cannot save {who}: parameter {name} is an int too large for a "
                         "float") from None
    if not math.isfinite(v):
        raise ValueError(f"cannot save {who}: parameter {name} is {v}")
    return v


def _finite(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"parameter {name} must be a number, got {type(value).__name__} "
                         f"{value!r:.40}")
    try:
        v = float(value)
    except OverflowError:
        raise ValueError(f"parameter {name} is an int too large for a float") from None
    if not math.isfinite(v):
        raise ValueError(f"parameter {name} is non-finite ({v})")
    return v
