"""What a page may ask of the lab, read field by field: a run's settings and its commands.

Everything the page sends is JSON, parsed with ``json.loads`` and then checked here against a
closed list of fields, each with its type and its range. Nothing is ever evaluated. Anything
else (an unknown field, a string where a number goes, a NaN, a negative rate, 10^9 neurons) is
a ``LabInputError`` that names the field and says what it takes; the server sends its text
back to the page, which shows it, and the run goes on as it was.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, replace
from itertools import pairwise
from typing import Any

MAX_BODY = 64 * 1024
"""The largest request body read, in bytes; a larger one is refused before it is read."""
MAX_LAYERS = 6
MAX_WIDTH = 128
MAX_PARAMETERS = 20_000
"""A run's network: at most this many hidden layers, neurons per layer, and parameters (the
digits' 64-32-10 has 2,410). A pure-Python scalar network larger than this would not train
at a speed anyone could watch."""

DATASETS = ("moons", "xor", "linear", "digits")
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
OPTIMIZERS = ("sgd", "adam", "adamw")
LOSSES = {
    "moons": ("hinge", "mse", "binary_cross_entropy"),
    "xor": ("hinge", "mse", "binary_cross_entropy"),
    "linear": ("mse",),
    "digits": ("cross_entropy",),
}
"""The losses each dataset can be trained with; the first is its default."""
COMMANDS = ("play", "pause", "step", "reset", "set", "sample")


class LabInputError(ValueError):
    """A message from the page that the lab does not take; its text says which field and why."""


@dataclass(frozen=True)
class RunConfig:
    """One run's settings; ``RunConfig()`` is the lab's first screen: moons on 2-16-16-1."""

    dataset: str = "moons"
    hidden: tuple[int, ...] = (16, 16)
    activation: str = "tanh"
    loss: str = "hinge"
    optimizer: str = "sgd"
    lr: float = 0.1
    momentum: float = 0.0
    batch_size: int | None = None
    """None: full batch (every sample, every step)."""
    seed: int = 0
    speed: int = 0
    """Steps per second at most; 0 runs as fast as the machine goes."""
    points: int = 100
    """How many samples moons and linear make (xor has 4, digits its 1,437 for training)."""
    sample: int = 0
    """The sample whose activations and gradients the network picture shows."""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("extra")
        out["hidden"] = list(self.hidden)
        return out


_FIELDS = {f for f in RunConfig.__dataclass_fields__ if f != "extra"}


def parse_body(body: bytes) -> dict[str, Any]:
    """A request body as a JSON object; anything else is a ``LabInputError``."""
    if len(body) > MAX_BODY:
        raise LabInputError(f"the message is {len(body)} bytes; the lab reads at most {MAX_BODY}")
    try:
        message = json.loads(body.decode("utf-8") or "{}", parse_constant=_no_constant)
    except UnicodeDecodeError as e:
        raise LabInputError(f"the message is not UTF-8 text: {e.reason}") from None
    except json.JSONDecodeError as e:
        raise LabInputError(f"the message is not JSON: {e.msg} at character {e.pos}") from None
    except RecursionError:
        raise LabInputError("the message is nested too deeply to read") from None
    if not isinstance(message, dict):
        raise LabInputError(f"the message must be a JSON object, got {_kind(message)}")
    return message


def _no_constant(name: str) -> Any:
    raise LabInputError(f"the message has {name}, which is not a number JSON allows")


def configure(base: RunConfig, changes: object) -> RunConfig:
    """``base`` with the fields in ``changes`` (a JSON object) checked and set."""
    if not isinstance(changes, dict):
        raise LabInputError(f"config must be a JSON object, got {_kind(changes)}")
    unknown = sorted(set(changes) - _FIELDS)
    if unknown:
        raise LabInputError(f"config: unknown field {unknown[0]!r:.40}; the fields are "
                            + ", ".join(sorted(_FIELDS)))
    values: dict[str, Any] = {}
    for name, value in changes.items():
        values[name] = _CHECKS[name](value, f"config.{name}")
    config = replace(base, **values)
    if "dataset" in values and "loss" not in values and config.loss not in LOSSES[config.dataset]:
        config = replace(config, loss=LOSSES[config.dataset][0])
    return _consistent(config)


def _consistent(config: RunConfig) -> RunConfig:
    if config.loss not in LOSSES[config.dataset]:
        raise LabInputError(f"config.loss: {config.dataset} trains with "
                            + " or ".join(LOSSES[config.dataset]) + f", not {config.loss}")
    sizes = [64 if config.dataset == "digits" else 3 if config.dataset == "linear" else 2,
             *config.hidden, 10 if config.dataset == "digits" else 1]
    count = sum((a + 1) * b for a, b in pairwise(sizes))
    if count > MAX_PARAMETERS:
        raise LabInputError(f"config.hidden: {'-'.join(map(str, sizes))} has {count} "
                            f"parameters; the lab trains at most {MAX_PARAMETERS}")
    return config


def check_sample(value: object, samples: int) -> int:
    """A sample index into a run's training set of ``samples`` samples."""
    index = _int(value, "sample", 0, 10**9)
    if index >= samples:
        raise LabInputError(f"sample: the training set has {samples} samples (0 to "
                            f"{samples - 1}), got {index}")
    return index


def _choice(options: tuple[str, ...]) -> Any:
    def check(value: object, name: str) -> str:
        if not isinstance(value, str):
            raise LabInputError(f"{name} must be one of {', '.join(options)}; got {_kind(value)}")
        if value not in options:
            raise LabInputError(f"{name} must be one of {', '.join(options)}; got {value!r:.40}")
        return value

    return check


def _int(value: object, name: str, low: int, high: int) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise LabInputError(f"{name} must be a whole number from {low} to {high}, "
                            f"got {_kind(value)}")
    if not low <= value <= high:
        raise LabInputError(f"{name} must be from {low} to {high}, got {_shown(value)}")
    return value


def _number(value: object, name: str, low: float, high: float, *, open_low: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise LabInputError(f"{name} must be a number, got {_kind(value)}")
    number = float(value) if abs(value) < 1e308 else math.inf
    below = number <= low if open_low else number < low
    if not math.isfinite(number) or below or number > high:
        side = "above" if open_low else "from"
        raise LabInputError(f"{name} must be {side} {low:g} and at most {high:g}, "
                            f"got {_shown(value)}")
    return number


def _hidden(value: object, name: str) -> tuple[int, ...]:
    if not isinstance(value, list):
        raise LabInputError(f"{name} must be a list of layer widths, e.g. [16, 16]; "
                            f"got {_kind(value)}")
    if len(value) > MAX_LAYERS:
        raise LabInputError(f"{name}: at most {MAX_LAYERS} hidden layers, got {len(value)}")
    return tuple(_int(w, f"{name}[{i}]", 1, MAX_WIDTH) for i, w in enumerate(value))


def _batch(value: object, name: str) -> int | None:
    return None if value is None else _int(value, name, 1, 10_000)


_CHECKS: dict[str, Any] = {
    "dataset": _choice(DATASETS),
    "hidden": _hidden,
    "activation": _choice(ACTIVATIONS),
    "loss": _choice(tuple(sorted({loss for names in LOSSES.values() for loss in names}))),
    "optimizer": _choice(OPTIMIZERS),
    "lr": lambda v, n: _number(v, n, 0.0, 10.0, open_low=True),
    "momentum": lambda v, n: _number(v, n, 0.0, 0.99, open_low=False),
    "batch_size": _batch,
    "seed": lambda v, n: _int(v, n, 0, 2**31 - 1),
    "speed": lambda v, n: _int(v, n, 0, 10_000),
    "points": lambda v, n: _int(v, n, 4, 1_000),
    "sample": lambda v, n: _int(v, n, 0, 10**9),
}


def command_of(message: dict[str, Any]) -> tuple[str, Any]:
    """A command message ``{"command": ..., ...}`` as (command, its argument)."""
    command = message.get("command")
    if not isinstance(command, str) or command not in COMMANDS:
        shown = _kind(command) if not isinstance(command, str) else repr(command[:40])
        raise LabInputError(f"command must be one of {', '.join(COMMANDS)}; got {shown}")
    extra = sorted(set(message) - {"command", "config", "sample", "steps"})
    if extra:
        raise LabInputError(f"{command}: unknown field {extra[0]!r:.40}")
    if command == "set":
        return command, message.get("config")
    if command == "step":
        return command, _int(message.get("steps", 1), "steps", 1, 10_000)
    if command == "sample":
        return command, message.get("sample")
    return command, None


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true or false",
            type(None): "null"}.get(type(value), type(value).__name__)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 24 else text[:20] + "..."
